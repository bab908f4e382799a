// Calendar days and months as 'YYYY-MM-DD' strings (UTC), the way the roll-ups key them.

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC calendar day of an instant. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Whether a 'YYYY-MM-DD' string names a real calendar day. */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && dayOf(parsed) === value;
}

export function addDays(day: string, count: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS));
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1);
}

/** The first day of the month of `day`. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month `count` months after the month of `day`. */
export function addMonths(day: string, count: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + count;
  return dayOf(new Date(Date.UTC(year, month, 1)));
}

export function lastDayOfMonth(day: string): string {
  return addDays(addMonths(day, 1), -1);
}

/** Every day of [from, to], in order. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The first day of every month of [from, to], in order. */
export function eachMonth(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = monthOf(from); month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

/**
 * A day range [from, to] cut into the whole calendar months it covers (read from the monthly
 * roll-up) and the days left at either end (read from the daily roll-up), so that a long range reads
 * one row per month and product rather than one per day.
 */
export interface RangeParts {
  months: { from: string; to: string } | null;
  days: { from: string; to: string }[];
}

export function splitRange(from: string, to: string): RangeParts {
  const firstWhole = from === monthOf(from) ? from : addMonths(from, 1);
  const lastWhole = to === lastDayOfMonth(to) ? monthOf(to) : addMonths(to, -1);
  if (firstWhole > lastWhole) return { months: null, days: [{ from, to }] };
  const days: { from: string; to: string }[] = [];
  if (from < firstWhole) days.push({ from, to: addDays(firstWhole, -1) });
  if (lastDayOfMonth(lastWhole) < to) days.push({ from: addMonths(lastWhole, 1), to });
  return { months: { from: firstWhole, to: lastWhole }, days };
}

/**
 * The billing period that starts on `billingDay` of the month of `month`: [start, next start),
 * returned with its last day included, as statements show it.
 */
export function billingPeriod(month: string, billingDay: number): { start: string; end: string } {
  const start = addDays(monthOf(month), billingDay - 1);
  return { start, end: addDays(addDays(addMonths(month, 1), billingDay - 1), -1) };
}

/** The start of the billing period that contains `day`. */
export function billingPeriodContaining(day: string, billingDay: number): string {
  const thisMonth = billingPeriod(day, billingDay);
  return day >= thisMonth.start ? thisMonth.start : billingPeriod(addMonths(day, -1), billingDay).start;
}

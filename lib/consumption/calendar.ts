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
 * A day range [from, to] as whole calendar months (read from the monthly roll-up) and days (read from
 * the daily one) to add or take off: a month the range covers mostly is read whole, less the days it
 * leaves out, so that a long range, or one of the last 90 days, reads a row per month and product
 * and only a few days.
 */
export interface RangeParts {
  months: { from: string; to: string } | null;
  add: DayRange[];
  subtract: DayRange[];
}

export interface DayRange {
  from: string;
  to: string;
}

export function splitRange(from: string, to: string): RangeParts {
  const add: DayRange[] = [];
  const subtract: DayRange[] = [];
  const months: string[] = [];
  for (let month = monthOf(from); month <= to; month = addMonths(month, 1)) {
    const monthEnd = lastDayOfMonth(month);
    const start = from > month ? from : month;
    const end = to < monthEnd ? to : monthEnd;
    const left = [
      { from: month, to: addDays(start, -1) },
      { from: addDays(end, 1), to: monthEnd },
    ].filter((range) => range.from <= range.to);
    const leftDays = left.reduce((sum, range) => sum + daysBetween(range.from, range.to), 0);
    if (leftDays < daysBetween(start, end)) {
      months.push(month);
      subtract.push(...left);
    } else {
      add.push({ from: start, to: end });
    }
  }
  // Months read whole are contiguous: only the first and the last can be partial.
  return { months: months.length ? { from: months[0]!, to: months[months.length - 1]! } : null, add, subtract };
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

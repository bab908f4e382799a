// How the consumption pages write points, money and periods: the same everywhere, on the server and in the browser.

const pointsFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const exactPointsFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 4 });
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const longMonthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** Points rounded to one decimal, grouped: 12,345.6. */
export function formatPoints(value: number): string {
  return pointsFormat.format(value);
}

/** Points as stored (up to four decimals), for tables that must add up. */
export function formatExactPoints(value: number | string): string {
  return exactPointsFormat.format(Number(value));
}

const percentFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/** A percentage given in percent (87.4), rounded for reading: "87%", "1,293%". */
export function formatPercent(value: number): string {
  return `${percentFormat.format(value)}%`;
}

/** An amount in a currency, from the exact decimal text the statement gives. */
export function formatMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(Number(amount));
}

/** 'YYYY-MM' or 'YYYY-MM-01' as "Mar 2026" (long: "March 2026"). */
export function formatMonth(month: string, long = false): string {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  return (long ? longMonthFormat : monthFormat).format(date);
}

/** A day or month of a series as an axis shows it: "3 Mar" for days, "Mar 2026" for months. */
export function formatPeriod(period: string, granularity: "day" | "month"): string {
  return granularity === "month" ? formatMonth(period) : dayFormat.format(new Date(`${period}T00:00:00Z`));
}

/** A day as people read it in a sentence: "3 Mar 2026". */
export function formatLongDay(day: string): string {
  return `${dayFormat.format(new Date(`${day}T00:00:00Z`))} ${day.slice(0, 4)}`;
}

/** A point's price, with as many decimals as it has (up to four): $0.0125. */
export function formatPrice(amount: string | number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 4 }).format(Number(amount));
}

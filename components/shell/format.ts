/** A date as the portal shows it: the day in UTC (expiries are set by the day). */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A moment as the portal shows it, in UTC. */
export function formatMoment(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

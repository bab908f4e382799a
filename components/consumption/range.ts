import { addDays, addMonths, lastDayOfMonth, monthOf } from "@/lib/consumption/calendar";

// The dashboard's view in the URL: ?view=day|month&from=&to=&split=child|product|total. Missing or
// half-given values fall back to a sensible view; anything else goes to the service, which says
// clearly what is wrong with it.

export type Granularity = "day" | "month";
export type Split = "child" | "product" | "total";

export interface DashboardView {
  granularity: Granularity;
  from: string;
  to: string;
  split: Split;
}

export type DashboardSearch = { view?: string; from?: string; to?: string; split?: string };

/** The view the URL asks for, with defaults: the last 30 days, split by child (by product at an organization). */
export function dashboardView(search: DashboardSearch, today: string, nodeKind: string): DashboardView {
  const granularity: Granularity = search.view === "month" ? "month" : "day";
  const split: Split = search.split === "child" || search.split === "product" || search.split === "total" ? search.split : nodeKind === "organization" ? "product" : "child";
  const fallback = granularity === "day" ? { from: addDays(today, -29), to: today } : { from: addMonths(today, -11).slice(0, 7), to: today.slice(0, 7) };
  const from = search.from?.trim() || fallback.from;
  const to = search.to?.trim() || fallback.to;
  // A month typed into a daily view (or a day into a monthly one) is taken as what it plainly means.
  if (granularity === "day") return { granularity, split, from: /^\d{4}-\d{2}$/.test(from) ? `${from}-01` : from, to: /^\d{4}-\d{2}$/.test(to) ? lastDayOfMonth(`${to}-01`) : to };
  return { granularity, split, from: from.slice(0, 7), to: to.slice(0, 7) };
}

/** The days a view covers, for the reads that take days (top consumers): whole months for a monthly view. */
export function viewDays(view: DashboardView): { from: string; to: string } {
  if (view.granularity === "day") return { from: view.from, to: view.to };
  return { from: `${view.from}-01`, to: lastDayOfMonth(`${view.to}-01`) };
}

/** The view as URL search params (for links, exports and the range form). */
export function viewQuery(view: DashboardView, changes: Partial<DashboardView> = {}): string {
  const next = { ...view, ...changes };
  return new URLSearchParams({ view: next.granularity, from: next.from, to: next.to, split: next.split }).toString();
}

/** The ranges offered as one click, each keeping the split. */
export function quickRanges(today: string): { label: string; granularity: Granularity; from: string; to: string }[] {
  return [
    { label: "Last 30 days", granularity: "day", from: addDays(today, -29), to: today },
    { label: "Last 90 days", granularity: "day", from: addDays(today, -89), to: today },
    { label: "This month", granularity: "day", from: monthOf(today), to: today },
    { label: "Last 12 months", granularity: "month", from: addMonths(today, -11).slice(0, 7), to: today.slice(0, 7) },
    { label: "Last 24 months", granularity: "month", from: addMonths(today, -23).slice(0, 7), to: today.slice(0, 7) },
  ];
}

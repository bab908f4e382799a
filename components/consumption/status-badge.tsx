import type { EntitlementStatusName } from "@/lib/consumption/transitions";

const TONE: Record<EntitlementStatusName, string> = {
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
  active: "bg-brand-100 text-brand-900 dark:bg-brand-900 dark:text-brand-50",
  stopped: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  expired: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100",
};

const LABEL: Record<EntitlementStatusName, string> = { pending: "Pending", active: "Active", stopped: "Stopped", expired: "Expired" };

/** An entitlement's status as a word on a tint: the word carries it, the tint only helps. */
export function EntitlementStatusBadge({ status }: { status: EntitlementStatusName }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${TONE[status]}`}>{LABEL[status]}</span>;
}

import type { BudgetAlertNotice } from "@/lib/consumption/budget-alerts";
import { formatMonth, formatPoints } from "./format";

/** The budget thresholds this node crossed this month, the highest first; nothing when none holds. */
export function BudgetAlertBanner({ nodeName, alerts, href }: { nodeName: string; alerts: BudgetAlertNotice[]; href?: string }) {
  const alert = alerts[0];
  if (!alert) return null;
  const over = alert.threshold >= 100;
  const tone = over
    ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100";
  return (
    <div role="status" className={`rounded-md border px-4 py-3 text-sm ${tone}`}>
      <p className="font-semibold">
        {nodeName} {over ? "has reached its budget" : `has used ${alert.threshold}% of its budget`} for {formatMonth(alert.month, true)}.
      </p>
      <p>
        {formatPoints(alert.actual)} of {formatPoints(alert.budget)} points used ({Math.round((alert.actual / alert.budget) * 1000) / 10}%).{" "}
        {href ? (
          <a href={href} className="underline">
            See the consumption
          </a>
        ) : null}
      </p>
    </div>
  );
}

import { addDays, addMonths, monthOf } from "@/lib/consumption/calendar";
import { currentBudgetAlerts } from "@/lib/consumption/budget-alerts";
import { consumptionSeries } from "@/lib/consumption/dashboard";
import { consumptionMonthSummary } from "@/lib/consumption/month-summary";
import { topConsumers } from "@/lib/consumption/top-consumers";
import type { ServiceContext } from "@/lib/service-context";

// The reads a dashboard page makes, as the portal's quick ranges ask for them.

export interface ReadCase {
  name: string;
  run: () => Promise<unknown>;
}

/** Every dashboard read at a node: series by day (90 days) and by month (24 months), split by child and by product, top consumers of both ranges, the month summary and the alert banner. */
export function dashboardCases(ctx: ServiceContext, nodeId: string, lastDay: string): ReadCase[] {
  const days = { from: addDays(lastDay, -89), to: lastDay };
  const months = { from: addMonths(lastDay, -23).slice(0, 7), to: lastDay.slice(0, 7) };
  const monthDays = { from: `${months.from}-01`, to: lastDay };
  return [
    { name: "series_90_days_by_child", run: () => consumptionSeries(ctx, { nodeId, granularity: "day", ...days, split: "child" }) },
    { name: "series_90_days_by_product", run: () => consumptionSeries(ctx, { nodeId, granularity: "day", ...days, split: "product" }) },
    { name: "series_24_months_by_child", run: () => consumptionSeries(ctx, { nodeId, granularity: "month", ...months, split: "child" }) },
    { name: "series_24_months_by_product", run: () => consumptionSeries(ctx, { nodeId, granularity: "month", ...months, split: "product" }) },
    { name: "top_consumers_90_days", run: () => topConsumers(ctx, { nodeId, ...days, limit: 10 }) },
    { name: "top_consumers_24_months", run: () => topConsumers(ctx, { nodeId, ...monthDays, limit: 10 }) },
    { name: "top_consumers_this_month", run: () => topConsumers(ctx, { nodeId, from: monthOf(lastDay), to: lastDay, limit: 10 }) },
    { name: "month_summary", run: () => consumptionMonthSummary(ctx, { nodeId }) },
    { name: "budget_alerts", run: () => currentBudgetAlerts(ctx, { nodeId }) },
  ];
}

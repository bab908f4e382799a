import type { Metadata } from "next";
import { BudgetAlertBanner } from "@/components/consumption/budget-alert-banner";
import { ConsumptionChart } from "@/components/consumption/consumption-chart";
import { formatLongDay, formatMonth, formatPoints } from "@/components/consumption/format";
import { MonthSummaryCards } from "@/components/consumption/month-summary";
import { ExportLink, PageHeader } from "@/components/consumption/page-header";
import { seriesColor } from "@/components/consumption/palette";
import { dashboardView, viewDays, viewQuery, type DashboardSearch, type DashboardView } from "@/components/consumption/range";
import { RangePicker } from "@/components/consumption/range-picker";
import { TopConsumersTable } from "@/components/consumption/top-consumers-table";
import { currentBudgetAlerts } from "@/lib/consumption/budget-alerts";
import { consumptionSeries, type ConsumptionSeries } from "@/lib/consumption/dashboard";
import { consumptionMonthSummary } from "@/lib/consumption/month-summary";
import { topConsumers } from "@/lib/consumption/top-consumers";
import { DomainError } from "@/lib/errors";
import { consumptionSections, loadConsumptionPage } from "./access";

export const metadata: Metadata = { title: "Consumption" };

const SPLITS = { child: "Child node", product: "Product type", total: "Total only" } as const;

export default async function ConsumptionDashboardPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<DashboardSearch> }) {
  const { ctx, node, may, today } = await loadConsumptionPage((await params).node);
  const view = dashboardView(await searchParams, today, node.kind);
  const base = `/t/${node.slug}/consumption`;
  const header = (
    <PageHeader
      title="Consumption"
      description={`Points consumed at ${node.name} and below it, from the daily and monthly roll-ups.`}
      sections={consumptionSections(node, may)}
      navLabel="Consumption sections"
      actions={<ExportLink href={`${base}/export/series?${viewQuery(view)}`} label="Download series (CSV)" />}
    />
  );
  let series: ConsumptionSeries;
  try {
    series = await consumptionSeries(ctx, { nodeId: node.id, granularity: view.granularity, from: view.from, to: view.to, split: view.split });
  } catch (caught) {
    if (!(caught instanceof DomainError)) throw caught;
    return (
      <div className="space-y-6">
        {header}
        <p role="alert" className="text-red-700 dark:text-red-300">
          {caught.message}{" "}
          <a href={base} className="underline">
            Show the last 30 days
          </a>
        </p>
      </div>
    );
  }
  const days = viewDays(view);
  const [summary, alerts, top] = await Promise.all([
    consumptionMonthSummary(ctx, { nodeId: node.id }),
    currentBudgetAlerts(ctx, { nodeId: node.id }),
    topConsumers(ctx, { nodeId: node.id, from: days.from, to: days.to, limit: 10 }),
  ]);
  const lines = series.lines.map((line, index) => ({ key: line.key, label: line.label, color: seriesColor(line.kind, index) }));
  const splits = (Object.keys(SPLITS) as DashboardView["split"][]).map((id) => ({ id, label: SPLITS[id] }));

  return (
    <div className="max-w-6xl space-y-8">
      {header}
      <BudgetAlertBanner nodeName={node.name} alerts={alerts} />
      <MonthSummaryCards summary={summary} budgetsHref={`${base}/budgets`} />
      <section aria-label="Consumption over time" className="space-y-4">
        <RangePicker base={base} view={view} today={today} splits={splits} />
        <ConsumptionChart id="series" title={chartTitle(view)} summary={chartSummary(series)} granularity={series.granularity} lines={lines} points={series.points} />
      </section>
      <TopConsumersTable data={top}>
        <ExportLink href={`${base}/export/top-consumers?${new URLSearchParams(days)}`} label="Download top consumers (CSV)" />
      </TopConsumersTable>
    </div>
  );
}

function chartTitle(view: DashboardView): string {
  const by = view.granularity === "day" ? "Points per day" : "Points per month";
  return view.split === "total" ? by : `${by}, by ${SPLITS[view.split].toLowerCase()}`;
}

/** What the chart shows in a sentence or two, for everyone who does not look at it. */
function chartSummary(series: ConsumptionSeries): string {
  const total = series.points.reduce((sum, point) => sum + point.total, 0);
  const range =
    series.granularity === "day" ? `${formatLongDay(series.from)} to ${formatLongDay(series.to)}` : `${formatMonth(series.from, true)} to ${formatMonth(series.to, true)}`;
  if (total === 0) return `No points at ${series.node.name} from ${range}.`;
  const peak = series.points.reduce((best, point) => (point.total > best.total ? point : best));
  const peakLabel = series.granularity === "day" ? formatLongDay(peak.period) : formatMonth(peak.period, true);
  const largest = series.split === "total" ? "" : ` Largest: ${[...series.lines].sort((a, b) => b.total - a.total).slice(0, 3).map((line) => `${line.label} (${formatPoints(line.total)})`).join(", ")}.`;
  const budgeted = series.points.filter((point) => point.budget !== null);
  const over = budgeted.filter((point) => point.total > point.budget!).length;
  const budget = budgeted.length > 0 ? ` ${over} of ${budgeted.length} budgeted months went over budget.` : "";
  return `${formatPoints(total)} points at ${series.node.name} from ${range}; the highest ${series.granularity} was ${peakLabel} with ${formatPoints(peak.total)}.${largest}${budget}`;
}

import { addDays } from "@/lib/consumption/calendar";
import { FORECAST_WINDOW_DAYS, type MonthSummary } from "@/lib/consumption/month-summary";
import { formatLongDay, formatMonth, formatPercent, formatPoints } from "./format";

/** This month at the node: points so far, the forecast to the month's end and the budget, with a meter. */
export function MonthSummaryCards({ summary, budgetsHref }: { summary: MonthSummary; budgetsHref: string }) {
  const month = formatMonth(summary.month, true);
  const { budget } = summary;
  return (
    <section aria-labelledby="month-heading" className="space-y-3">
      <h2 id="month-heading" className="text-lg font-semibold">
        {month} so far
      </h2>
      <dl className="grid gap-4 sm:grid-cols-3">
        <Card label="Points this month" value={formatPoints(summary.actual)} note={summary.throughDay ? `Usage through ${formatLongDay(summary.throughDay)}` : "No usage yet this month"} />
        <Card label="Forecast to month end" value={formatPoints(summary.forecast.points)} note={forecastNote(summary)} />
        <Card
          label="Budget"
          value={budget ? formatPoints(budget.points) : "None"}
          note={
            budget ? (
              `${formatPercent(summary.percentOfBudget ?? 0)} used; the forecast is ${formatPercent(summary.forecastPercentOfBudget ?? 0)} of it.`
            ) : (
              <a href={budgetsHref} className="text-brand-700 underline dark:text-brand-500">
                Budgets of this node
              </a>
            )
          }
        />
      </dl>
      {budget && summary.percentOfBudget !== null ? <BudgetMeter percent={summary.percentOfBudget} forecastPercent={summary.forecastPercentOfBudget ?? 0} /> : null}
    </section>
  );
}

/** How the forecast is made, in words: the window's last day and the daily average as people read them. */
function forecastNote(summary: MonthSummary): string {
  const { dailyAverage, remainingDays } = summary.forecast;
  const windowEnd = summary.throughDay ?? addDays(summary.month, -1);
  const days = `${remainingDays} day${remainingDays === 1 ? "" : "s"} left`;
  return `Points so far plus the daily average of the ${FORECAST_WINDOW_DAYS} days to ${formatLongDay(windowEnd)} (${formatPoints(dailyAverage)} a day) times the ${days}.`;
}

function Card({ label, value, note }: { label: string; value: string; note: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      <dd className="mt-1 text-xs text-slate-600 dark:text-slate-400">{note}</dd>
    </div>
  );
}

/** How much of the budget is used (solid) and forecast (hatched), with 80% and 100% marked. */
function BudgetMeter({ percent, forecastPercent }: { percent: number; forecastPercent: number }) {
  // The bar runs to 125% of the budget, so that an overrun shows: 80% sits at 64% of it, 100% at 80%.
  const width = (value: number) => `${(Math.min(125, Math.max(0, value)) / 125) * 100}%`;
  const tone = percent >= 100 ? "bg-red-600" : percent >= 80 ? "bg-amber-500" : "bg-brand-600";
  return (
    <div className="max-w-3xl space-y-1">
      <meter min={0} max={125} low={80} high={100} optimum={0} value={Math.min(125, percent)} className="sr-only">
        {formatPercent(percent)} of the budget
      </meter>
      <div aria-hidden="true" className="relative h-3 rounded-full bg-slate-200 dark:bg-slate-800">
        <div className="absolute inset-y-0 left-0 rounded-full bg-slate-400/60 dark:bg-slate-500/60" style={{ width: width(forecastPercent) }} />
        <div className={`absolute inset-y-0 left-0 rounded-full ${tone}`} style={{ width: width(percent) }} />
        <div className="absolute inset-y-[-3px] w-px bg-slate-700 dark:bg-slate-300" style={{ left: "64%" }} />
        <div className="absolute inset-y-[-3px] w-px bg-slate-900 dark:bg-slate-100" style={{ left: "80%" }} />
      </div>
      <p aria-hidden="true" className="flex justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>0</span>
        <span>
          used {formatPercent(percent)} · forecast {formatPercent(forecastPercent)} · marks at 80% and 100%
        </span>
      </p>
    </div>
  );
}

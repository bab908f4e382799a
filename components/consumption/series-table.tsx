import { formatLongDay, formatMonth, formatPoints } from "./format";

export interface ChartLine {
  key: string;
  label: string;
  color: string;
}

export interface ChartPoint {
  period: string;
  values: Record<string, number>;
  total: number;
  budget: number | null;
}

/**
 * The numbers behind a chart, one row per day or month: folded away under a button so that a long
 * daily range does not push the page down, and a real table when open, for screen readers as for eyes.
 */
export function SeriesTable(props: { caption: string; granularity: "day" | "month"; lines: ChartLine[]; points: ChartPoint[]; withBudget: boolean }) {
  const showTotal = props.lines.length > 1;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer font-medium text-brand-700 dark:text-brand-500">Show the numbers as a table</summary>
      <div className="mt-2 max-h-96 overflow-auto">
        <table className="w-full text-left">
          <caption className="sr-only">{props.caption}</caption>
          <thead className="sticky top-0 bg-slate-50 text-slate-600 dark:bg-slate-950 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">
                {props.granularity === "day" ? "Day" : "Month"}
              </th>
              {props.lines.map((line) => (
                <th key={line.key} scope="col" className="py-1 pr-4 text-right font-medium">
                  {line.label}
                </th>
              ))}
              {showTotal ? (
                <th scope="col" className="py-1 pr-4 text-right font-medium">
                  Total
                </th>
              ) : null}
              {props.withBudget ? (
                <th scope="col" className="py-1 text-right font-medium">
                  Budget
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {props.points.map((point) => (
              <tr key={point.period} className="border-t border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-1 pr-4 font-normal whitespace-nowrap">
                  {props.granularity === "day" ? formatLongDay(point.period) : formatMonth(point.period, true)}
                </th>
                {props.lines.map((line) => (
                  <td key={line.key} className="py-1 pr-4 text-right">
                    {formatPoints(point.values[line.key] ?? 0)}
                  </td>
                ))}
                {showTotal ? <td className="py-1 pr-4 text-right font-medium">{formatPoints(point.total)}</td> : null}
                {props.withBudget ? <td className="py-1 text-right">{point.budget === null ? "—" : formatPoints(point.budget)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

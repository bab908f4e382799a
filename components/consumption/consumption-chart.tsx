"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { formatPeriod, formatPoints } from "./format";
import { BUDGET_COLOR } from "./palette";
import { SeriesTable, type ChartLine, type ChartPoint } from "./series-table";

export type { ChartLine, ChartPoint } from "./series-table";

/**
 * Points over time as stacked bars (one colour per child node or product type) with the month's
 * budget as a line. The chart is for the eye; its title and summary say what it shows, and the same
 * numbers are in a table below it for anyone who would rather read them, screen readers included.
 */
export function ConsumptionChart(props: {
  id: string;
  title: string;
  summary: string;
  granularity: "day" | "month";
  lines: ChartLine[];
  points: ChartPoint[];
}) {
  const { granularity, lines } = props;
  const withBudget = granularity === "month" && props.points.some((point) => point.budget !== null);
  const data = props.points.map((point) => ({ period: point.period, ...point.values, budget: point.budget ?? undefined }));
  return (
    <figure aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-summary`} className="space-y-3">
      <figcaption className="space-y-1">
        <h2 id={`${props.id}-title`} className="text-lg font-semibold">
          {props.title}
        </h2>
        <p id={`${props.id}-summary`} className="text-sm text-slate-600 dark:text-slate-400">
          {props.summary}
        </p>
      </figcaption>
      {/* Axis labels and grid take the text colour, so the chart follows the light or dark theme. */}
      <div aria-hidden="true" className="h-72 w-full text-slate-600 dark:text-slate-400">
        <ComposedChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.2} />
          <XAxis
            dataKey="period"
            tickFormatter={(period: string) => formatPeriod(period, granularity)}
            tick={{ fill: "currentColor", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
            minTickGap={16}
          />
          <YAxis tickFormatter={(value: number) => formatPoints(value)} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" strokeOpacity={0.4} width={64} />
          <Tooltip content={(tooltip) => <ChartTooltip active={tooltip.active} payload={tooltip.payload} label={tooltip.label} granularity={granularity} />} cursor={{ fill: "currentColor", fillOpacity: 0.08 }} />
          {/* In the lines' order (largest first), in the text colour: coloured words read poorly. */}
          <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span className="text-slate-700 dark:text-slate-300">{value}</span>} />
          {lines.map((line) => (
            <Bar key={line.key} dataKey={line.key} name={line.label} stackId="points" fill={line.color} isAnimationActive={false} />
          ))}
          {withBudget ? (
            <Line dataKey="budget" name="Budget" stroke={BUDGET_COLOR} strokeWidth={2} strokeDasharray="6 4" dot={{ r: 3, fill: BUDGET_COLOR }} isAnimationActive={false} connectNulls={false} />
          ) : null}
        </ComposedChart>
      </div>
      <SeriesTable caption={`${props.title}: the numbers`} granularity={granularity} lines={lines} points={props.points} withBudget={withBudget} />
    </figure>
  );
}

function ChartTooltip(props: Pick<TooltipContentProps, "active" | "payload" | "label"> & { granularity: "day" | "month" }) {
  if (!props.active || !props.payload?.length) return null;
  const total = props.payload.filter((entry) => entry.dataKey !== "budget").reduce((sum, entry) => sum + Number(entry.value ?? 0), 0);
  return (
    <div className="rounded-md border border-slate-200 bg-white p-2 text-xs text-slate-900 shadow dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
      <p className="font-semibold">{formatPeriod(String(props.label), props.granularity)}</p>
      <ul>
        {[...props.payload].reverse().map((entry) => (
          <li key={String(entry.dataKey)} className="flex justify-between gap-4">
            <span>
              <span aria-hidden="true" style={{ color: entry.color }}>
                ■{" "}
              </span>
              {entry.name}
            </span>
            <span className="tabular-nums">{formatPoints(Number(entry.value ?? 0))}</span>
          </li>
        ))}
      </ul>
      <p className="mt-1 flex justify-between gap-4 border-t border-slate-200 pt-1 font-medium dark:border-slate-700">
        <span>Total</span>
        <span className="tabular-nums">{formatPoints(total)}</span>
      </p>
    </div>
  );
}

import "server-only";
import { sql } from "drizzle-orm";
import { budgets, consumptionDaily, consumptionMonthly } from "@/db/schema";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { addDays, dayOf, daysBetween, lastDayOfMonth, monthOf } from "./calendar";
import { loadReadableNode } from "./dashboard";
import { nodeInput } from "./read-inputs";
import { pointsNumber, rowsOf } from "./rollup-sums";

/** Days whose average projects the rest of the month. */
export const FORECAST_WINDOW_DAYS = 7;

export interface MonthSummary {
  node: { id: string; name: string };
  /** The current month (UTC), as its first day. */
  month: string;
  /** Points of the month so far (the monthly roll-up). */
  actual: number;
  /** The latest day of the month with usage, or null when none has arrived yet. */
  throughDay: string | null;
  forecast: {
    points: number;
    dailyAverage: number;
    remainingDays: number;
    /** How the forecast is made, for the page to say. */
    method: string;
  };
  budget: { points: number; version: number } | null;
  /** actual / budget, in percent (null without a budget). */
  percentOfBudget: number | null;
  forecastPercentOfBudget: number | null;
}

/**
 * The current month at a node: actual so far, a forecast to the end of the month, and the budget.
 * The forecast is the actual plus the average of the last 7 days up to the latest day with usage
 * (days without usage count as zero) times the days left after that day.
 */
export async function consumptionMonthSummary(ctx: ServiceContext, raw: unknown): Promise<MonthSummary> {
  const input = parseInput(nodeInput, raw);
  const node = await loadReadableNode(ctx, input.nodeId);
  const today = dayOf(ctx.authz.now);
  const month = monthOf(today);
  const monthEnd = lastDayOfMonth(month);
  const [state] = await rowsOf<{ actual: string | null; through: string | null; budget: string | null; version: number | null }>(
    ctx.db,
    sql`select
        (select sum(${consumptionMonthly.points})::text from ${consumptionMonthly}
          where ${consumptionMonthly.accountId} = ${node.accountId} and ${consumptionMonthly.nodeId} = ${node.id} and ${consumptionMonthly.month} = ${month}) as actual,
        (select max(${consumptionDaily.day})::text from ${consumptionDaily}
          where ${consumptionDaily.accountId} = ${node.accountId} and ${consumptionDaily.nodeId} = ${node.id} and ${consumptionDaily.day} between ${month} and ${monthEnd}) as through,
        ${budgets.points}::text as budget, ${budgets.version} as version
      from (select 1) as one
      left join ${budgets} on ${budgets.accountId} = ${node.accountId} and ${budgets.nodeId} = ${node.id} and ${budgets.month} = ${month}`,
  );
  const actual = pointsNumber(state?.actual);
  const throughDay = state?.through ?? null;
  // Without usage this month yet, the window ends yesterday and the whole month is still to come.
  const windowEnd = throughDay ?? addDays(month, -1);
  const windowStart = addDays(windowEnd, 1 - FORECAST_WINDOW_DAYS);
  const [window] = await rowsOf<{ points: string | null }>(
    ctx.db,
    sql`select sum(${consumptionDaily.points})::text as points from ${consumptionDaily}
      where ${consumptionDaily.accountId} = ${node.accountId} and ${consumptionDaily.nodeId} = ${node.id}
        and ${consumptionDaily.day} between ${windowStart} and ${windowEnd}`,
  );
  const dailyAverage = pointsNumber(Number(window?.points ?? 0) / FORECAST_WINDOW_DAYS);
  const remainingDays = daysBetween(addDays(windowEnd, 1), monthEnd);
  const forecast = pointsNumber(actual + dailyAverage * remainingDays);
  const budget = state?.budget ? { points: pointsNumber(state.budget), version: state.version! } : null;
  const percent = (value: number) => (budget ? Math.round((value / budget.points) * 1000) / 10 : null);
  return {
    node: { id: node.id, name: node.name },
    month,
    actual,
    throughDay,
    forecast: {
      points: forecast,
      dailyAverage,
      remainingDays,
      method: `Points so far plus the average of the ${FORECAST_WINDOW_DAYS} days up to ${windowEnd} (${dailyAverage} a day) times the ${remainingDays} days left.`,
    },
    budget,
    percentOfBudget: percent(actual),
    forecastPercentOfBudget: percent(forecast),
  };
}

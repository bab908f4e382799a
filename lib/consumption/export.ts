import "server-only";
import { stringify } from "csv-stringify/sync";
import type { ServiceContext } from "@/lib/service-context";
import { listBudgets } from "./budgets";
import { consumptionSeries } from "./dashboard";
import { listEntitlements } from "./entitlement-list";
import type { EntitlementListInput } from "./schemas";
import { monthlyStatement, type Statement } from "./statement";
import { topConsumers } from "./top-consumers";
import type { SeriesInput, StatementInput, TopConsumersInput } from "./read-inputs";

// CSV of each consumption table, authorized exactly like the read it exports (the read runs first).

/** The most entitlements one export holds: 200 pages of the list's largest page. */
export const MAX_EXPORT_ENTITLEMENTS = 100_000;

export interface CsvFile {
  filename: string;
  csv: string;
}

/** A spreadsheet runs a cell that starts with = + - @ as a formula: such text gets a leading quote. */
function neutralize(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function toCsv(columns: string[], rows: unknown[][]): string {
  return stringify([columns, ...rows], { record_delimiter: "\r\n", cast: { string: neutralize } });
}

function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "node";
}

/** The dashboard's series: a row per day or month, a column per line, the total and the budget. */
export async function seriesCsv(ctx: ServiceContext, raw: SeriesInput): Promise<CsvFile> {
  const series = await consumptionSeries(ctx, raw);
  const lines = series.lines.filter((line) => line.kind !== "total");
  const rows = series.points.map((point) => [point.period, ...lines.map((line) => point.values[line.key] ?? 0), point.total, point.budget ?? ""]);
  return {
    filename: `consumption-${slugOf(series.node.name)}-${series.granularity}-${series.from}-${series.to}.csv`,
    csv: toCsv([series.granularity, ...lines.map((line) => line.label), "total_points", "budget_points"], rows),
  };
}

export async function topConsumersCsv(ctx: ServiceContext, raw: TopConsumersInput): Promise<CsvFile> {
  const result = await topConsumers(ctx, raw);
  return {
    filename: `top-consumers-${slugOf(result.node.name)}-${result.from}-${result.to}.csv`,
    csv: toCsv(
      ["rank", "organization", "slug", "points", "share_percent"],
      result.consumers.map((consumer, index) => [index + 1, consumer.name, consumer.slug, consumer.points, consumer.share]),
    ),
  };
}

/** The statement: its lines, then a subtotal row per parent and the total row, money as exact decimals. */
export async function statementCsv(ctx: ServiceContext, raw: StatementInput): Promise<CsvFile> {
  const statement: Statement = await monthlyStatement(ctx, raw);
  const rows: unknown[][] = [
    ...statement.lines.map((line) => ["line", line.parent, line.organization, line.slug, line.points, line.amount, statement.currency]),
    ...statement.subtotals.map((subtotal) => ["subtotal", subtotal.parent, `${subtotal.organizations} organizations`, "", subtotal.points, subtotal.amount, statement.currency]),
    ["total", "", `${statement.total.organizations} organizations`, "", statement.total.points, statement.total.amount, statement.currency],
  ];
  return {
    filename: `statement-${statement.period.start}-${statement.period.end}.csv`,
    csv: toCsv(["row", "parent", "organization", "slug", "points", "amount", "currency"], rows),
  };
}

export async function budgetsCsv(ctx: ServiceContext, raw: { nodeId: string; from?: string; to?: string }): Promise<CsvFile> {
  const budgets = await listBudgets(ctx, raw);
  return {
    filename: `budgets-${raw.nodeId}.csv`,
    csv: toCsv(
      ["month", "budget_points", "actual_points", "percent", "alerts_raised"],
      budgets.map((budget) => [budget.month.slice(0, 7), budget.points, budget.actual, budget.percent, budget.alerts.map((threshold) => `${threshold}%`).join(" ")]),
    ),
  };
}

/** Every entitlement the list would show with these filters, read a page at a time with its cursor. */
export async function entitlementsCsv(ctx: ServiceContext, raw: EntitlementListInput): Promise<CsvFile> {
  const rows: unknown[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listEntitlements(ctx, { ...raw, cursor, page: 1, pageSize: 500 });
    for (const row of page.rows) {
      rows.push([row.serialNumber, row.organization, row.product, row.configuration, row.status, row.startDate ?? "", row.endDate ?? "", row.pointsPerDay, row.description]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < MAX_EXPORT_ENTITLEMENTS);
  return {
    filename: `entitlements-${raw.nodeId}.csv`,
    csv: toCsv(["serial_number", "organization", "product", "configuration", "status", "start_date", "end_date", "points_per_day", "description"], rows),
  };
}

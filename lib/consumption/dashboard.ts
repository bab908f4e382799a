import "server-only";
import { sql } from "drizzle-orm";
import { budgets, consumptionDaily, consumptionMonthly, flexProducts, nodes } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { pathIds, subtreeRange } from "@/lib/authz";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { eachDay, eachMonth, lastDayOfMonth } from "./calendar";
import { readableSubtree } from "./scope";
import { seriesInput, type SeriesInput } from "./read-inputs";
import { ownPoints, pointsNumber, rowsOf } from "./rollup-sums";

export interface SeriesLine {
  /** The key of this line in every point's `values`: a node id, a product id, or "others". */
  key: string;
  label: string;
  kind: "total" | "node" | "product" | "others";
  total: number;
}

export interface SeriesPoint {
  /** The day, or the first day of the month. */
  period: string;
  values: Record<string, number>;
  total: number;
  /** The node's budget for the month (monthly views only). */
  budget: number | null;
}

export interface ConsumptionSeries {
  node: { id: string; name: string; kind: TreeNode["kind"] };
  granularity: "day" | "month";
  from: string;
  to: string;
  split: "total" | "child" | "product";
  lines: SeriesLine[];
  /** One point per day or month of the range, zeros included, in order. */
  points: SeriesPoint[];
}

/** Loads a node and checks consumption.read there: every dashboard read starts here. */
export async function loadReadableNode(ctx: ServiceContext, nodeId: string): Promise<TreeNode> {
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: nodeId }, ctx.authz.now);
  await authorize(ctx, "consumption.read", "consumption.read", node);
  return node!;
}

/**
 * Points of a node over a range of days or months, read from the roll-ups, as one line (total), one
 * line per product type, or one per child node: at a node with many children, the `top` children of
 * the range and the rest summed as "others", so that a group of thousands stays one small read.
 */
export async function consumptionSeries(ctx: ServiceContext, raw: SeriesInput): Promise<ConsumptionSeries> {
  const input = parseInput(seriesInput, raw);
  const node = await loadReadableNode(ctx, input.nodeId);
  const periods = input.granularity === "day" ? eachDay(input.from, input.to) : eachMonth(input.from, input.to);
  const rows =
    input.split === "product"
      ? await pointsByProduct(ctx, node, input)
      : input.split === "child"
        ? await pointsByTopChildren(ctx, node, input)
        : { lines: [], values: [] };
  const totals = await pointsByKey(ctx, node, input, [node.id]);
  const budgetByMonth = input.granularity === "month" ? await monthlyBudgets(ctx, node, input.from, input.to) : new Map<string, number>();

  const byPeriod = new Map(periods.map((period) => [period, new Map<string, number>()]));
  for (const row of rows.values) byPeriod.get(row.period)?.set(row.key, pointsNumber(row.points));
  const totalByPeriod = new Map(totals.map((row) => [row.period, pointsNumber(row.points)]));
  const lines: SeriesLine[] = input.split === "total" ? [{ key: "total", label: "Total", kind: "total", total: 0 }] : rows.lines;
  const points = periods.map((period) => {
    const total = totalByPeriod.get(period) ?? 0;
    const values: Record<string, number> = {};
    let named = 0;
    for (const line of lines.filter((line) => line.kind === "node" || line.kind === "product")) {
      values[line.key] = byPeriod.get(period)!.get(line.key) ?? 0;
      named += values[line.key]!;
    }
    for (const line of lines) {
      if (line.kind === "others") values[line.key] = pointsNumber(Math.max(0, total - named));
      if (line.kind === "total") values[line.key] = total;
    }
    return { period, values, total, budget: budgetByMonth.get(period) ?? null };
  });
  for (const line of lines) line.total = pointsNumber(points.reduce((sum, point) => sum + (point.values[line.key] ?? 0), 0));
  const emptyOthers = lines.find((line) => line.kind === "others" && line.total === 0);
  if (emptyOthers) for (const point of points) delete point.values[emptyOthers.key];
  const shownLines = lines.filter((line) => line !== emptyOthers);
  return { node: { id: node.id, name: node.name, kind: node.kind }, granularity: input.granularity, from: input.from, to: input.to, split: input.split, lines: shownLines, points };
}

type ParsedSeries = ReturnType<typeof seriesInput.parse>;
type KeyedRow = { period: string; key: string; points: string };

/** The roll-up table and period column of a granularity, and the range as days. */
function rollup(input: ParsedSeries) {
  return input.granularity === "day"
    ? { table: consumptionDaily, period: consumptionDaily.day, node: consumptionDaily.nodeId, product: consumptionDaily.productId, points: consumptionDaily.points, account: consumptionDaily.accountId, lastDay: input.to }
    : { table: consumptionMonthly, period: consumptionMonthly.month, node: consumptionMonthly.nodeId, product: consumptionMonthly.productId, points: consumptionMonthly.points, account: consumptionMonthly.accountId, lastDay: lastDayOfMonth(input.to) };
}

/** Points per period of each of `nodeIds` (keyed by node id). */
async function pointsByKey(ctx: ServiceContext, node: TreeNode, input: ParsedSeries, nodeIds: string[]): Promise<KeyedRow[]> {
  if (nodeIds.length === 0) return [];
  const r = rollup(input);
  const ids = sql.join(nodeIds.map((id) => sql`${id}::uuid`), sql`, `);
  return rowsOf<KeyedRow>(
    ctx.db,
    sql`select ${r.period}::text as period, ${r.node}::text as key, sum(${r.points})::text as points from ${r.table}
      where ${r.account} = ${node.accountId} and ${r.node} in (${ids}) and ${r.period} between ${input.from} and ${input.to}
      group by 1, 2`,
  );
}

async function pointsByProduct(ctx: ServiceContext, node: TreeNode, input: ParsedSeries): Promise<{ lines: SeriesLine[]; values: KeyedRow[] }> {
  const r = rollup(input);
  const values = await rowsOf<KeyedRow>(
    ctx.db,
    sql`select ${r.period}::text as period, ${r.product}::text as key, sum(${r.points})::text as points from ${r.table}
      where ${r.account} = ${node.accountId} and ${r.node} = ${node.id} and ${r.period} between ${input.from} and ${input.to}
      group by 1, 2`,
  );
  const productIds = [...new Set(values.map((row) => row.key))];
  const products = productIds.length
    ? await rowsOf<{ id: string; name: string }>(
        ctx.db,
        sql`select ${flexProducts.id}::text as id, ${flexProducts.name} as name from ${flexProducts}
          where ${flexProducts.accountId} = ${node.accountId} and ${flexProducts.id} in (${sql.join(productIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
      )
    : [];
  const totals = totalsByKey(values);
  const lines = products
    .map((product) => ({ key: product.id, label: product.name, kind: "product" as const, total: totals.get(product.id) ?? 0 }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  return { lines, values };
}

/**
 * The `top` children with the most points over the range, and "others" for the rest (and a reseller's
 * own use). Children where flex is not in force are never named: their points are among the others.
 */
async function pointsByTopChildren(ctx: ServiceContext, node: TreeNode, input: ParsedSeries): Promise<{ lines: SeriesLine[]; values: KeyedRow[] }> {
  // A child's points are its subtree's organizations' own points: summed per child, from the path
  // element below the node, with two lookups per organization whatever the range.
  const { lower, upper } = subtreeRange(node.path);
  const below = sql`${nodes.path} >= ${lower} and ${nodes.path} < ${upper} and ${nodes.id} <> ${node.id}`;
  const ranked = await rowsOf<{ id: string; name: string; points: string }>(
    ctx.db,
    sql`select sums.node_id::text as id, ${nodes.name} as name, sums.points::text as points
      from (
        select split_part(own.path, '/', ${pathIds(node.path).length + 1})::uuid as node_id, sum(own.points) as points
        from (${ownPoints(node.accountId, below, input.from, rollup(input).lastDay)}) as own
        group by 1
      ) as sums
      join ${nodes} on ${nodes.id} = sums.node_id and ${nodes.accountId} = ${node.accountId}
      where sums.points > 0 and ${await readableSubtree(ctx.db, node, ctx.authz.now)}
      order by sums.points desc, ${nodes.name}, sums.node_id
      limit ${input.top + 1}`,
  );
  const top = ranked.slice(0, input.top);
  const lines: SeriesLine[] = top.map((child) => ({ key: child.id, label: child.name, kind: "node", total: 0 }));
  const hidden = ranked.length > input.top;
  // An organization's roll-up also holds its own entitlements' use, which no child line shows.
  const label = node.kind === "organization" ? (hidden ? "Own use and other customers" : "Own use") : "Others";
  // Always present, so that every point's lines add up to its total; dropped when it stays empty.
  lines.push({ key: "others", label, kind: "others", total: 0 });
  return { lines, values: await pointsByKey(ctx, node, input, top.map((child) => child.id)) };
}

function totalsByKey(rows: KeyedRow[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + Number(row.points));
  return totals;
}

async function monthlyBudgets(ctx: ServiceContext, node: TreeNode, from: string, to: string): Promise<Map<string, number>> {
  const rows = await rowsOf<{ month: string; points: string }>(
    ctx.db,
    sql`select ${budgets.month}::text as month, ${budgets.points}::text as points from ${budgets}
      where ${budgets.accountId} = ${node.accountId} and ${budgets.nodeId} = ${node.id} and ${budgets.month} between ${from} and ${to}`,
  );
  return new Map(rows.map((row) => [row.month, pointsNumber(row.points)]));
}

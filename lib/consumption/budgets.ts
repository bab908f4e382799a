import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { budgetAlerts, budgets, consumptionMonthly } from "@/db/schema";
import { authorize, recordAudit } from "@/lib/audit/record";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { evaluateBudgetAlerts } from "./budget-alerts";
import { loadReadableNode } from "./dashboard";
import { listBudgetsInput, removeBudgetInput, setBudgetInput, type SetBudgetInput } from "./read-inputs";
import { pointsNumber, rowsOf } from "./rollup-sums";

export interface BudgetRow {
  nodeId: string;
  month: string;
  points: number;
  version: number;
  /** The month's consumption at the node so far (the monthly roll-up). */
  actual: number;
  percent: number;
  /** Thresholds already raised this month. */
  alerts: number[];
}

async function loadManagedNode(ctx: ServiceContext, action: string, nodeId: string): Promise<TreeNode> {
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: nodeId }, ctx.authz.now);
  await authorize(ctx, action, "budget.manage", node);
  return node!;
}

/**
 * Sets or changes a node's budget for a month (budget.manage). Alerts the new budget makes due (a
 * budget set below what the month already used) are raised in the same transaction.
 */
export async function setBudget(ctx: ServiceContext, raw: SetBudgetInput): Promise<{ nodeId: string; month: string; points: number; version: number }> {
  const input = parseInput(setBudgetInput, raw);
  const node = await loadManagedNode(ctx, "budget.set", input.nodeId);
  return ctx.db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ points: budgets.points, version: budgets.version })
      .from(budgets)
      .where(and(eq(budgets.accountId, node.accountId), eq(budgets.nodeId, node.id), eq(budgets.month, input.month)))
      .for("update");
    if (input.expectedVersion !== undefined && previous?.version !== input.expectedVersion) {
      throw new DomainError("precondition_failed", "This budget was changed by someone else; reload it and try again.");
    }
    const [saved] = await tx
      .insert(budgets)
      .values({ accountId: node.accountId, nodeId: node.id, month: input.month, points: input.points })
      .onConflictDoUpdate({
        target: [budgets.nodeId, budgets.month],
        set: { points: input.points, version: sql`${budgets.version} + 1`, updatedAt: sql`now()` },
      })
      .returning({ points: budgets.points, version: budgets.version });
    await recordAudit(tx, ctx, {
      action: "budget.set",
      nodeId: node.id,
      targetType: "budget",
      targetId: input.month.slice(0, 7),
      before: previous ? { points: previous.points } : null,
      after: { points: saved!.points },
    });
    await evaluateBudgetAlerts(tx, ctx, { accountId: node.accountId, nodeIds: [node.id], months: [input.month] });
    return { nodeId: node.id, month: input.month, points: saved!.points, version: saved!.version };
  });
}

/** Removes a node's budget for a month (budget.manage). Alerts already raised that month stay raised. */
export async function removeBudget(ctx: ServiceContext, raw: unknown): Promise<void> {
  const input = parseInput(removeBudgetInput, raw);
  const node = await loadManagedNode(ctx, "budget.remove", input.nodeId);
  await ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(budgets)
      .where(and(eq(budgets.accountId, node.accountId), eq(budgets.nodeId, node.id), eq(budgets.month, input.month)))
      .returning({ points: budgets.points });
    if (removed.length === 0) throw new DomainError("not_found", `${node.name} has no budget for ${input.month.slice(0, 7)}.`);
    await recordAudit(tx, ctx, { action: "budget.remove", nodeId: node.id, targetType: "budget", targetId: input.month.slice(0, 7), before: { points: removed[0]!.points } });
  });
}

/**
 * A node's budgets, oldest month first, with each month's actual and the alerts raised (consumption.read:
 * whoever sees the dashboard sees its budget line).
 */
export async function listBudgets(ctx: ServiceContext, raw: unknown): Promise<BudgetRow[]> {
  const input = parseInput(listBudgetsInput, raw);
  const node = await loadReadableNode(ctx, input.nodeId);
  const rows = await rowsOf<{ month: string; points: string; version: number; actual: string | null; alerts: number[] | null }>(
    ctx.db,
    sql`select b.month::text as month, b.points::text as points, b.version,
        (select sum(c.points)::text from ${consumptionMonthly} c where c.account_id = b.account_id and c.node_id = b.node_id and c.month = b.month) as actual,
        (select array_agg(a.threshold::int order by a.threshold) from ${budgetAlerts} a where a.node_id = b.node_id and a.month = b.month) as alerts
      from ${budgets} b
      where b.account_id = ${node.accountId} and b.node_id = ${node.id}
        and b.month >= ${input.from ?? "0001-01-01"} and b.month <= ${input.to ?? "9999-12-01"}
      order by b.month`,
  );
  return rows.map((row) => {
    const actual = pointsNumber(row.actual);
    return {
      nodeId: node.id,
      month: row.month,
      points: pointsNumber(row.points),
      version: row.version,
      actual,
      percent: Math.round((actual / Number(row.points)) * 1000) / 10,
      alerts: (row.alerts ?? []).map(Number),
    };
  });
}

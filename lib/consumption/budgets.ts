import "server-only";
import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import { budgetAlerts, budgets, consumptionMonthly } from "@/db/schema";
import { authorize, recordAudit } from "@/lib/audit/record";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { evaluateBudgetAlerts } from "./budget-alerts";
import { loadReadableNode } from "./dashboard";
import { listBudgetsInput, removeBudgetInput, setBudgetInput, type SetBudgetInput } from "./read-inputs";
import { pointsNumber } from "./rollup-sums";

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
  const rows = await ctx.db
    .select({
      month: sql<string>`${budgets.month}::text`,
      points: budgets.points,
      version: budgets.version,
      actual: sql<string | null>`(select sum(${consumptionMonthly.points})::text from ${consumptionMonthly}
        where ${consumptionMonthly.accountId} = ${budgets.accountId} and ${consumptionMonthly.nodeId} = ${budgets.nodeId} and ${consumptionMonthly.month} = ${budgets.month})`,
      alerts: sql<number[] | null>`(select array_agg(${budgetAlerts.threshold}::int order by ${budgetAlerts.threshold}) from ${budgetAlerts}
        where ${budgetAlerts.nodeId} = ${budgets.nodeId} and ${budgetAlerts.month} = ${budgets.month})`,
    })
    .from(budgets)
    .where(
      and(
        eq(budgets.accountId, node.accountId),
        eq(budgets.nodeId, node.id),
        input.from ? gte(budgets.month, input.from) : undefined,
        input.to ? lte(budgets.month, input.to) : undefined,
      ),
    )
    .orderBy(asc(budgets.month));
  return rows.map((row) => {
    const actual = pointsNumber(row.actual);
    return {
      nodeId: node.id,
      month: row.month,
      points: row.points,
      version: row.version,
      actual,
      percent: Math.round((actual / row.points) * 1000) / 10,
      alerts: (row.alerts ?? []).map(Number),
    };
  });
}

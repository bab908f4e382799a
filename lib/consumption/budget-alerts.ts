import "server-only";
import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { budgetAlerts, budgets, consumptionMonthly } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { loadTreeNode, whoHasAccess } from "@/lib/authz/queries";
import { sendMail } from "@/lib/mail/send";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { dayOf, monthOf } from "./calendar";
import { loadReadableNode } from "./dashboard";
import { nodeInput } from "./read-inputs";
import { pointsNumber, rowsOf } from "./rollup-sums";

/** Percent of a month's budget at which an alert is raised, once each per node and month. */
export const ALERT_THRESHOLDS = [80, 100] as const;

export interface BudgetAlertScope {
  accountId: string;
  /** Nodes whose consumption changed: the organizations and all their ancestors. */
  nodeIds: string[];
  /** Months touched, as 'YYYY-MM-01'. */
  months: string[];
}

type RaisedAlert = { nodeId: string; nodeName: string; month: string; threshold: number; budget: string; actual: string };

/**
 * Raises the alerts now due for the budgets in `scope`: for each (node, month) with a budget whose
 * actual (the monthly roll-up) reached 80% or 100% of it, a budget_alerts row, inserted only if the
 * threshold has not fired that month. Each new alert is audited and mailed, in the caller's
 * transaction, to the principals who hold budget.manage on the node.
 */
export async function evaluateBudgetAlerts(tx: Transaction, ctx: ServiceContext, scope: BudgetAlertScope): Promise<void> {
  if (scope.nodeIds.length === 0 || scope.months.length === 0) return;
  const nodeIds = sql.join([...new Set(scope.nodeIds)].map((id) => sql`${id}::uuid`), sql`, `);
  const months = sql.join([...new Set(scope.months)].map((month) => sql`${month}::date`), sql`, `);
  const thresholds = sql.join(ALERT_THRESHOLDS.map((threshold) => sql`(${threshold}::smallint)`), sql`, `);
  const raised = await rowsOf<RaisedAlert>(
    tx,
    sql`with due as (
        select ${budgets.nodeId} as node_id, ${budgets.month} as month, t.threshold, ${budgets.points} as budget, actual.points as actual
        from ${budgets}
        cross join lateral (
          select coalesce(sum(${consumptionMonthly.points}), 0) as points from ${consumptionMonthly}
          where ${consumptionMonthly.accountId} = ${scope.accountId} and ${consumptionMonthly.nodeId} = ${budgets.nodeId} and ${consumptionMonthly.month} = ${budgets.month}
        ) as actual
        cross join (values ${thresholds}) as t(threshold)
        where ${budgets.accountId} = ${scope.accountId} and ${budgets.nodeId} in (${nodeIds}) and ${budgets.month} in (${months})
          and actual.points * 100 >= ${budgets.points} * t.threshold
      ), inserted as (
        insert into ${budgetAlerts} (node_id, month, threshold, account_id, budget_points, actual_points)
        select node_id, month, threshold, ${scope.accountId}, budget, actual from due
        on conflict do nothing
        returning node_id, month, threshold, budget_points, actual_points
      )
      select inserted.node_id::text as "nodeId", n.name as "nodeName", inserted.month::text as month, inserted.threshold,
             inserted.budget_points::text as budget, inserted.actual_points::text as actual
      from inserted join nodes n on n.id = inserted.node_id and n.account_id = ${scope.accountId}
      order by n.path, inserted.month, inserted.threshold`,
  );
  for (const alert of raised) await announce(tx, ctx, scope.accountId, alert);
}

async function announce(tx: Transaction, ctx: ServiceContext, accountId: string, alert: RaisedAlert): Promise<void> {
  const summary = { threshold: alert.threshold, budget: pointsNumber(alert.budget), actual: pointsNumber(alert.actual) };
  await recordAudit(tx, ctx, { action: "budget.alert", nodeId: alert.nodeId, targetType: "budget", targetId: alert.month.slice(0, 7), after: summary });
  const node = await loadTreeNode(tx, accountId, { id: alert.nodeId }, ctx.authz.now);
  if (!node) return;
  const recipients = (await whoHasAccess(tx, node, ctx.authz.now)).filter(
    (entry) => entry.principal.kind === "user" && entry.principal.email && entry.permissions.includes("budget.manage"),
  );
  const month = alert.month.slice(0, 7);
  const reached = alert.threshold === 100 ? "has reached its budget" : `has used ${alert.threshold}% of its budget`;
  for (const { principal } of recipients) {
    await sendMail(tx, {
      accountId,
      to: principal.email!,
      subject: `${node.name} ${reached} for ${month}`,
      text:
        `Hello ${principal.name},\n\n${node.name} ${reached} for ${month}: ${summary.actual} points used of a budget of ${summary.budget} points.\n\n` +
        `You receive this because you manage budgets on ${node.name}. Each threshold (80% and 100%) is announced once a month.`,
    });
  }
}

export interface BudgetAlertNotice {
  month: string;
  threshold: number;
  raisedAt: string;
  budget: number;
  actual: number;
}

/**
 * The alerts of the current month at a node that still hold (the banner): an alert whose budget was
 * since raised above the actual, or removed, no longer shows, though it is not raised again.
 */
export async function currentBudgetAlerts(ctx: ServiceContext, raw: unknown): Promise<BudgetAlertNotice[]> {
  const input = parseInput(nodeInput, raw);
  const node = await loadReadableNode(ctx, input.nodeId);
  const month = monthOf(dayOf(ctx.authz.now));
  const rows = await rowsOf<{ month: string; threshold: number; raisedAt: string; budget: string; actual: string | null }>(
    ctx.db,
    sql`select ${budgetAlerts.month}::text as month, ${budgetAlerts.threshold} as threshold, ${budgetAlerts.raisedAt} as "raisedAt",
        ${budgets.points}::text as budget,
        (select sum(${consumptionMonthly.points})::text from ${consumptionMonthly}
          where ${consumptionMonthly.accountId} = ${node.accountId} and ${consumptionMonthly.nodeId} = ${node.id} and ${consumptionMonthly.month} = ${month}) as actual
      from ${budgetAlerts}
      join ${budgets} on ${budgets.nodeId} = ${budgetAlerts.nodeId} and ${budgets.month} = ${budgetAlerts.month}
      where ${budgetAlerts.accountId} = ${node.accountId} and ${budgetAlerts.nodeId} = ${node.id} and ${budgetAlerts.month} = ${month}
      order by ${budgetAlerts.threshold} desc`,
  );
  return rows
    .map((row) => ({ month: row.month, threshold: row.threshold, raisedAt: new Date(row.raisedAt).toISOString(), budget: pointsNumber(row.budget), actual: pointsNumber(row.actual) }))
    .filter((alert) => alert.actual * 100 >= alert.budget * alert.threshold);
}

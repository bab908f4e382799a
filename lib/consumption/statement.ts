import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { pathIds } from "@/lib/authz";
import { consumptionDaily, flexPrograms, nodes } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { billingPeriod, billingPeriodContaining, dayOf } from "./calendar";
import { fromScaled, toScaled } from "./decimal";
import { statementInput, type StatementInput } from "./read-inputs";
import { ownPoints, rowsOf } from "./rollup-sums";

export interface StatementLine {
  organizationId: string;
  organization: string;
  slug: string;
  /** The node the organization sits under (a group, a reseller or the account): lines are subtotalled by it. */
  parentId: string;
  /** The parent's names from below the account down, e.g. "Regions / EMEA / Enterprise". */
  parent: string;
  /** Exact decimals as text: points with 4 decimals, money with 2. */
  points: string;
  amount: string;
}

export interface StatementSubtotal {
  parentId: string;
  parent: string;
  organizations: number;
  points: string;
  amount: string;
}

export interface Statement {
  account: { id: string; name: string };
  /** The month the period starts in, and its first and last days. */
  period: { month: string; start: string; end: string; open: boolean };
  currency: string;
  pointPrice: string;
  /** One line per organization with usage in the period, ordered by parent then organization name. */
  lines: StatementLine[];
  subtotals: StatementSubtotal[];
  /** The amount is the sum of the lines' amounts, each rounded to the cent as the lines show. */
  total: { organizations: number; points: string; amount: string };
}

export interface StatementPeriods {
  billingDay: number;
  currency: string | null;
  /** Periods that hold usage, newest first. */
  periods: { month: string; start: string; end: string; open: boolean }[];
}

/** The account with billing.read checked there: statements are the account's. */
async function loadBillingAccount(ctx: ServiceContext, action: string): Promise<TreeNode> {
  const accountId = ctx.authz.principal.accountId;
  const account = await loadTreeNode(ctx.db, accountId, { id: accountId }, ctx.authz.now);
  await authorize(ctx, action, "billing.read", account);
  return account!;
}

async function loadProgram(ctx: ServiceContext, accountId: string) {
  const [program] = await ctx.db
    .select({ pointPrice: sql<string>`${flexPrograms.pointPrice}::text`, currency: flexPrograms.currency, billingDay: flexPrograms.billingDay })
    .from(flexPrograms)
    .where(eq(flexPrograms.accountId, accountId));
  return program ?? null;
}

/**
 * The consolidated statement of a billing period at the account: every organization's own points and
 * their price (points × point price, rounded to the cent per line), subtotals per parent and the total.
 * Complete, not paged: ten thousand lines are one read of the roll-ups.
 */
export async function monthlyStatement(ctx: ServiceContext, raw: StatementInput): Promise<Statement> {
  const input = parseInput(statementInput, raw);
  const account = await loadBillingAccount(ctx, "billing.read");
  const program = await loadProgram(ctx, account.id);
  if (!program) throw new DomainError("conflict", "This account has no consumption program yet: set the point price and billing day first.");
  const period = billingPeriod(input.period, program.billingDay);
  // Each line's money is rounded to the cent in SQL's exact numeric; subtotals and the total add them up.
  const rows = await rowsOf<Omit<StatementLine, "parent"> & { parentPath: string }>(
    ctx.db,
    sql`select own.node_id::text as "organizationId", own.name as organization, own.slug,
        own.parent_id::text as "parentId", ${nodes.path} as "parentPath", own.points::text as points,
        round(own.points * ${program.pointPrice}::numeric, 2)::text as amount
      from (${ownPoints(account.id, sql`true`, period.start, period.end)}) as own
      join ${nodes} on ${nodes.id} = own.parent_id and ${nodes.accountId} = ${account.id}
      where own.points > 0
      order by lower(own.name), own.node_id`,
  );
  const parents = await parentLabels(ctx, account, rows.map((row) => row.parentPath));
  // Parents in label order; the sort is stable, so each parent's lines keep the query's name order.
  const labels = [...new Set(parents.values())].sort((a, b) => a.localeCompare(b));
  const rank = new Map(labels.map((label, index) => [label, index]));
  const lines: StatementLine[] = rows
    .map(({ parentPath, ...row }) => ({ ...row, parent: parents.get(parentPath)! }))
    .sort((a, b) => rank.get(a.parent)! - rank.get(b.parent)! || (a.parentId < b.parentId ? -1 : a.parentId > b.parentId ? 1 : 0));
  const sums = new Map<string, { parentId: string; parent: string; organizations: number; points: bigint; amount: bigint }>();
  const total = { points: 0n, amount: 0n };
  for (const line of lines) {
    const entry = sums.get(line.parentId) ?? { parentId: line.parentId, parent: line.parent, organizations: 0, points: 0n, amount: 0n };
    const points = toScaled(line.points, 4);
    const amount = toScaled(line.amount, 2);
    entry.organizations += 1;
    entry.points += points;
    entry.amount += amount;
    total.points += points;
    total.amount += amount;
    sums.set(line.parentId, entry);
  }
  const subtotals = [...sums.values()].map((entry) => ({ ...entry, points: fromScaled(entry.points, 4), amount: fromScaled(entry.amount, 2) }));
  const today = dayOf(ctx.authz.now);
  return {
    account: { id: account.id, name: account.name },
    period: { month: input.period.slice(0, 7), ...period, open: today >= period.start && today <= period.end },
    currency: program.currency,
    pointPrice: program.pointPrice,
    lines,
    subtotals,
    total: { organizations: lines.length, points: fromScaled(total.points, 4), amount: fromScaled(total.amount, 2) },
  };
}

/** Each parent's names from below the account down ("Regions / EMEA / Enterprise"), by its path: two groups may share a name. */
async function parentLabels(ctx: ServiceContext, account: TreeNode, paths: string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(paths)];
  const ids = [...new Set(distinct.flatMap((path) => pathIds(path).slice(1)))];
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await ctx.db
      .select({ id: nodes.id, name: nodes.name })
      .from(nodes)
      .where(and(eq(nodes.accountId, account.id), inArray(nodes.id, ids)));
    for (const row of rows) names.set(row.id, row.name);
  }
  return new Map(distinct.map((path) => [path, pathIds(path).slice(1).map((id) => names.get(id)).join(" / ") || account.name]));
}

/** The billing periods that hold usage (from the account's daily roll-up: some 730 rows a product for two years), newest first. */
export async function statementPeriods(ctx: ServiceContext): Promise<StatementPeriods> {
  const account = await loadBillingAccount(ctx, "billing.read");
  const program = await loadProgram(ctx, account.id);
  const billingDay = program?.billingDay ?? 1;
  // Each day with usage at the account falls in the period that starts on the billing day on or before it.
  const starts = await rowsOf<{ month: string }>(
    ctx.db,
    sql`select distinct date_trunc('month', ${consumptionDaily.day} - ${billingDay - 1}::int)::date::text as month from ${consumptionDaily}
      where ${consumptionDaily.accountId} = ${account.id} and ${consumptionDaily.nodeId} = ${account.id} and ${consumptionDaily.points} > 0`,
  );
  const today = dayOf(ctx.authz.now);
  const current = billingPeriodContaining(today, billingDay);
  return {
    billingDay,
    currency: program?.currency ?? null,
    periods: starts
      .map((row) => row.month)
      .sort()
      .reverse()
      .map((month) => {
        const period = billingPeriod(month, billingDay);
        return { month: month.slice(0, 7), ...period, open: period.start === current };
      }),
  };
}

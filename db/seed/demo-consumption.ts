import { eq, sql } from "drizzle-orm";
import { addMonths, dayOf, daysBetween, eachDay, lastDayOfMonth, monthOf } from "@/lib/consumption/calendar";
import { insertDefaultCatalog } from "@/lib/consumption/default-catalog";
import { pgArray } from "@/lib/consumption/pg-array";
import { pointsPerDay } from "@/lib/consumption/price-table";
import { rebuildRollups } from "@/lib/consumption/rollups";
import { priceTable } from "@/lib/consumption/schemas";
import type { Transaction } from "../client";
import { auditEvents, budgetAlerts, budgets, entitlements, entitlementStops, flexConfigurations, flexProducts, flexPrograms, type Node } from "../schema";
import { demoEntitlementPlans, NEAR_BUDGET, OVER_BUDGET, type EntitlementPlan } from "./demo-consumption-data";

// The demo's consumption: a program, the default catalog, configurations and entitlements for every
// organization, 13 months of daily usage shaped like real use, roll-ups and budgets. Runs once per
// account: an account that has entitlements is left as it is.

export interface ConsumptionSeedReport {
  entitlementsCreated: number;
  usageRowsCreated: number;
}

const USAGE_CHUNK = 20_000;

/** Seeds the demo's consumption into `account` (inside the demo seed's transaction); nothing when it has entitlements. */
export async function seedDemoConsumption(tx: Transaction, account: Node, organizations: Node[], now: Date): Promise<ConsumptionSeedReport> {
  const accountId = account.id;
  await tx.insert(flexPrograms).values({ accountId, pointPrice: 1, currency: "USD", billingDay: 1 }).onConflictDoNothing();
  await insertDefaultCatalog(tx, accountId);
  const [existing] = await tx.select({ id: entitlements.id }).from(entitlements).where(eq(entitlements.accountId, accountId)).limit(1);
  if (existing) return { entitlementsCreated: 0, usageRowsCreated: 0 };

  const products = new Map(
    (await tx.select().from(flexProducts).where(eq(flexProducts.accountId, accountId))).map((row) => [row.key, { id: row.id, table: priceTable.parse(row.priceTable) }]),
  );
  const today = dayOf(now);
  const firstDay = addMonths(monthOf(today), -12);
  const plans = demoEntitlementPlans(organizations, firstDay, today);
  const serials = new Map<string, number>();
  const configurationRows: (typeof flexConfigurations.$inferInsert)[] = [];
  const entitlementRows: (typeof entitlements.$inferInsert)[] = [];
  const stopRows: (typeof entitlementStops.$inferInsert)[] = [];
  const usage: { entitlementId: string; organizationId: string; day: string; points: number }[] = [];

  // Ids are made here so that each table takes one insert, whatever the number of rows.
  for (const group of groupByConfiguration(plans)) {
    const product = products.get(group[0]!.product)!;
    const priced = pointsPerDay(product.table, group[0]!.parameters);
    const configurationId = crypto.randomUUID();
    configurationRows.push({
      id: configurationId,
      accountId,
      nodeId: group[0]!.organization.id,
      productId: product.id,
      name: group[0]!.configuration,
      parameters: priced.parameters,
      pointsPerDay: priced.points,
    });
    for (const plan of group) {
      const entitlementId = crypto.randomUUID();
      entitlementRows.push({
        id: entitlementId,
        accountId,
        nodeId: plan.organization.id,
        configurationId,
        serialNumber: nextSerial(serials, product.table.serialPrefix, plan.start ?? today),
        description: plan.description,
        status: plan.status,
        startDate: plan.start,
        endDate: plan.status === "expired" ? plan.end : null,
        createdAt: new Date(`${plan.start ?? today}T09:00:00Z`),
      });
      // A stopped plan's last day of usage is its stop day: the ingest refuses the days after it.
      if (plan.status === "stopped" && plan.end) stopRows.push({ entitlementId, accountId, stoppedOn: plan.end });
      if (!plan.start) continue;
      for (const day of eachDay(plan.start, plan.end ?? today)) {
        const points = plan.points(day, priced.points);
        if (points > 0) usage.push({ entitlementId, organizationId: plan.organization.id, day, points });
      }
    }
  }
  await tx.insert(flexConfigurations).values(configurationRows);
  await tx.insert(entitlements).values(entitlementRows);
  if (stopRows.length > 0) await tx.insert(entitlementStops).values(stopRows);
  for (let from = 0; from < usage.length; from += USAGE_CHUNK) {
    const chunk = usage.slice(from, from + USAGE_CHUNK);
    await tx.execute(sql`
      insert into usage_daily (entitlement_id, day, account_id, node_id, points)
      select entitlement_id, day, ${accountId}, node_id, points
      from unnest(${pgArray(chunk.map((row) => row.entitlementId))}::uuid[], ${pgArray(chunk.map((row) => row.day))}::date[],
                  ${pgArray(chunk.map((row) => row.organizationId))}::uuid[], ${pgArray(chunk.map((row) => row.points))}::numeric[])
        as u(entitlement_id, day, node_id, points)`);
  }
  await rebuildRollups(tx, accountId);
  await seedBudgets(tx, account, organizations, today);
  await tx.insert(auditEvents).values({
    accountId,
    actingAs: "system:seed",
    nodeId: accountId,
    action: "demo.seed.consumption",
    targetType: "account",
    targetId: accountId,
    summary: { after: { entitlements: plans.length, usageRows: usage.length, from: firstDay, to: today } },
  });
  return { entitlementsCreated: plans.length, usageRowsCreated: usage.length };
}

/** Plans that share a configuration (same organization and configuration name), in plan order. */
function groupByConfiguration(plans: EntitlementPlan[]): EntitlementPlan[][] {
  const groups = new Map<string, EntitlementPlan[]>();
  for (const plan of plans) {
    const key = `${plan.organization.id}/${plan.configuration}`;
    groups.set(key, [...(groups.get(key) ?? []), plan]);
  }
  return [...groups.values()];
}

/** Serial numbers as the service makes them: prefix, "TM", the year of activation, a sequence per prefix and year. */
function nextSerial(counters: Map<string, number>, prefix: string, day: string): string {
  const stem = `${prefix}TM${day.slice(2, 4)}`;
  const next = (counters.get(stem) ?? 0) + 1;
  counters.set(stem, next);
  return `${stem}${String(next).padStart(6, "0")}`;
}

/** The alert thresholds (lib/consumption/budget-alerts.ts, which is server-only; the seed runs from the CLI too). */
const ALERT_THRESHOLDS = [80, 100] as const;
/** Budgets leave this much room above what was used (last month) or is on course to be used (this month). */
const HEADROOM = 1.25;
/** The demo's budget cases: the share of last month's budget each used (a complete month, so exact). */
const CASES: Record<string, number> = { [NEAR_BUDGET]: 0.86, [OVER_BUDGET]: 1.08 };

/**
 * Budgets for last month and this one, for the account and two organizations in three, with room
 * above use: last month's a quarter above what the node used; this month's a quarter above the more of
 * last month and this month's run rate, so that forecasts stay under the budget whatever day the demo
 * is seeded on. Last month holds the cases people look for: one organization (NEAR_BUDGET) used 86%
 * of its budget and one (OVER_BUDGET) 108%, with the alerts they raised. (A case in the current month
 * would forecast absurdly early in it: 90% used on the 2nd is 1,300% by the 31st.)
 */
async function seedBudgets(tx: Transaction, account: Node, organizations: Node[], today: string) {
  const thisMonth = monthOf(today);
  const lastMonth = addMonths(thisMonth, -1);
  const result = (await tx.execute(sql`
    select node_id as "nodeId", month::text as month, sum(points)::float8 as points from consumption_monthly
    where account_id = ${account.id} and month in (${lastMonth}, ${thisMonth}) group by node_id, month`)) as unknown as { rows: { nodeId: string; month: string; points: number }[] };
  const total = (nodeId: string, month: string) => result.rows.find((row) => row.nodeId === nodeId && row.month === month)?.points ?? 0;
  const elapsed = daysBetween(thisMonth, today);
  const monthDays = daysBetween(thisMonth, lastDayOfMonth(thisMonth));
  const budgeted = [account, ...organizations.filter((node, index) => index % 3 !== 2 || node.slug in CASES)];
  const values: (typeof budgets.$inferInsert)[] = [];
  const alerts: (typeof budgetAlerts.$inferInsert)[] = [];
  for (const node of budgeted) {
    const used = total(node.id, lastMonth);
    if (!used) continue;
    const share = CASES[node.slug];
    const lastBudget = share ? Math.round((used / share) * 100) / 100 : Math.ceil(used * HEADROOM);
    const onCourse = (total(node.id, thisMonth) / elapsed) * monthDays;
    values.push(
      { accountId: account.id, nodeId: node.id, month: lastMonth, points: lastBudget },
      { accountId: account.id, nodeId: node.id, month: thisMonth, points: Math.ceil(Math.max(used, onCourse) * HEADROOM) },
    );
    for (const threshold of ALERT_THRESHOLDS) {
      if (share && share * 100 >= threshold) alerts.push({ accountId: account.id, nodeId: node.id, month: lastMonth, threshold, budgetPoints: lastBudget, actualPoints: Math.round(used * 10_000) / 10_000 });
    }
  }
  if (values.length > 0) await tx.insert(budgets).values(values);
  if (alerts.length > 0) await tx.insert(budgetAlerts).values(alerts);
}

import { eq, sql } from "drizzle-orm";
import { addMonths, dayOf, eachDay, monthOf } from "@/lib/consumption/calendar";
import { insertDefaultCatalog } from "@/lib/consumption/default-catalog";
import { pgArray } from "@/lib/consumption/pg-array";
import { pointsPerDay } from "@/lib/consumption/price-table";
import { rebuildRollups } from "@/lib/consumption/rollups";
import { priceTable } from "@/lib/consumption/schemas";
import type { Transaction } from "../client";
import { auditEvents, budgetAlerts, budgets, entitlements, entitlementStops, flexConfigurations, flexProducts, flexPrograms, type Node } from "../schema";
import { demoEntitlementPlans, NEAR_BUDGET, type EntitlementPlan } from "./demo-consumption-data";

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
  await seedBudgets(tx, account, organizations, usage, today);
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

/**
 * Budgets for last month and this one: the account and two organizations in three get a fifth above
 * what they used last month; one organization (NEAR_BUDGET) has used 90% of this month's budget
 * already, with its 80% alert raised.
 */
async function seedBudgets(tx: Transaction, account: Node, organizations: Node[], usage: { organizationId: string; day: string; points: number }[], today: string) {
  const thisMonth = monthOf(today);
  const lastMonth = addMonths(thisMonth, -1);
  const result = (await tx.execute(sql`
    select node_id as "nodeId", sum(points)::float8 as points from consumption_monthly
    where account_id = ${account.id} and month = ${lastMonth} group by node_id`)) as unknown as { rows: { nodeId: string; points: number }[] };
  const lastMonthTotal = new Map(result.rows.map((row) => [row.nodeId, row.points]));
  const budgeted = [account, ...organizations.filter((_, index) => index % 3 !== 2)];
  const values = budgeted.flatMap((node) => {
    const used = lastMonthTotal.get(node.id);
    return used ? [lastMonth, thisMonth].map((month) => ({ accountId: account.id, nodeId: node.id, month, points: Math.ceil(used * 1.2) })) : [];
  });
  const near = organizations.find((node) => node.slug === NEAR_BUDGET);
  const nearUsed = usage.filter((row) => row.organizationId === near?.id && row.day >= thisMonth).reduce((sum, row) => sum + row.points, 0);
  const nearBudget = Math.round((nearUsed / 0.9) * 100) / 100;
  const chosen = values.filter((value) => !(value.nodeId === near?.id && value.month === thisMonth));
  if (near && nearBudget > 0) chosen.push({ accountId: account.id, nodeId: near.id, month: thisMonth, points: nearBudget });
  if (chosen.length > 0) await tx.insert(budgets).values(chosen);
  if (near && nearBudget > 0) {
    const actual = Math.round(nearUsed * 10_000) / 10_000;
    await tx.insert(budgetAlerts).values({ accountId: account.id, nodeId: near.id, month: thisMonth, threshold: 80, budgetPoints: nearBudget, actualPoints: actual });
  }
}

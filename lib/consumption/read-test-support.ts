import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { entitlements, flexConfigurations, flexProducts, flexPrograms, usageDaily } from "@/db/schema";
import { nodeId } from "@/lib/access/test-support";
import { eachDay } from "./calendar";
import { rebuildRollups } from "./rollups";

// Usage for the integration tests of the reads: entitlements with known daily points, and the roll-ups.

export interface UsageSpec {
  /** Slug of the organization that owns the entitlement. */
  org: string;
  product: string;
  serial: string;
  from: string;
  to: string;
  /** Points on the nth day of the range (0-based). */
  points: (index: number, day: string) => number;
}

/** A product of the account by key, created with a one-choice price table when missing. */
export async function testProduct(db: Database, accountId: string, key: string): Promise<string> {
  const [existing] = await db.select({ id: flexProducts.id }).from(flexProducts).where(and(eq(flexProducts.accountId, accountId), eq(flexProducts.key, key)));
  if (existing) return existing.id;
  const [created] = await db
    .insert(flexProducts)
    .values({ accountId, key, name: `Product ${key}`, priceTable: { parameters: [], basePoints: 1 } })
    .returning({ id: flexProducts.id });
  return created!.id;
}

export async function setTestProgram(db: Database, accountId: string, program: { pointPrice: number; billingDay: number; currency?: string }): Promise<void> {
  await db
    .insert(flexPrograms)
    .values({ accountId, pointPrice: program.pointPrice, billingDay: program.billingDay, currency: program.currency ?? "EUR" })
    .onConflictDoUpdate({ target: flexPrograms.accountId, set: { pointPrice: program.pointPrice, billingDay: program.billingDay } });
}

/** An active entitlement of an organization (with its own configuration), from `startDate` on. */
export async function createTestEntitlement(db: Database, accountId: string, spec: { org: string; product: string; serial: string; startDate: string }) {
  const org = await nodeId(db, spec.org);
  const productId = await testProduct(db, accountId, spec.product);
  const [configuration] = await db
    .insert(flexConfigurations)
    .values({ accountId, nodeId: org, productId, name: `${spec.product} for ${spec.org}`, parameters: {}, pointsPerDay: 1 })
    .returning({ id: flexConfigurations.id });
  const [entitlement] = await db
    .insert(entitlements)
    .values({ accountId, nodeId: org, configurationId: configuration!.id, serialNumber: spec.serial, status: "active", startDate: spec.startDate })
    .returning({ id: entitlements.id });
  return { id: entitlement!.id, organizationId: org };
}

/**
 * Inserts each spec's entitlement and raw daily usage straight into the tables (fast, for thousands
 * of rows); the caller rebuilds the roll-ups with rebuildRollups.
 */
export async function insertUsage(db: Database, accountId: string, specs: UsageSpec[]): Promise<void> {
  for (const spec of specs) {
    const entitlement = await createTestEntitlement(db, accountId, { ...spec, startDate: spec.from });
    const rows = eachDay(spec.from, spec.to).map((day, index) => ({ entitlementId: entitlement.id, day, accountId, nodeId: entitlement.organizationId, points: spec.points(index, day) }));
    for (let i = 0; i < rows.length; i += 1000) await db.insert(usageDaily).values(rows.slice(i, i + 1000));
  }
}

/** The oracle: points of raw usage of the organizations under `path` (inclusive) over [from, to]. */
export async function rawPoints(db: Database, accountId: string, path: string, from: string, to: string): Promise<number> {
  const result = (await db.execute(sql`
    select coalesce(sum(u.points), 0)::text as points from usage_daily u join nodes n on n.id = u.node_id
    where u.account_id = ${accountId} and starts_with(n.path, ${path}) and u.day between ${from} and ${to}`)) as unknown as { rows: { points: string }[] };
  return Number(result.rows[0]!.points);
}

/** The demo's 13 months end now: the reads' tests use 2019–2021, where only their own usage lies. */
export const SCENARIO = { from: "2019-11-20", to: "2021-02-10" } as const;

/**
 * Usage in several branches of the demo tree: two EMEA enterprise customers (two products at Adler),
 * an EMEA SMB customer, an Americas customer, and the reseller with one of its customers.
 */
export async function seedReadScenario(db: Database, accountId: string): Promise<void> {
  const { from, to } = SCENARIO;
  await insertUsage(db, accountId, [
    { org: "adler-logistik", product: "fw", serial: "FGT-ADLER-1", from, to, points: (i) => 10 + (i % 7) },
    { org: "adler-logistik", product: "edr", serial: "EDR-ADLER-1", from, to, points: () => 2.5 },
    { org: "baltic-freight-lines", product: "fw", serial: "FGT-BALTIC-1", from, to, points: (i) => 5.1234 + (i % 3) },
    { org: "harbour-lane-dental", product: "fw", serial: "FGT-HARBOUR-1", from: "2020-01-01", to, points: () => 3 },
    { org: "orchard-health-systems", product: "fw", serial: "FGT-ORCHARD-1", from, to, points: (i) => 7.3333 + (i % 2) },
    { org: "fabrikam-partners", product: "edr", serial: "EDR-FABRIKAM-1", from, to, points: () => 1 },
    { org: "greenfield-pharmacy", product: "fw", serial: "FGT-GREENFIELD-1", from, to, points: () => 2.0001 },
  ]);
  await rebuildRollups(db, accountId);
}

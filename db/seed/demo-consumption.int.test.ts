import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { createTestDatabase } from "@/db/testing";
import { DEFAULT_CATALOG } from "@/lib/consumption/default-catalog";
import { NEAR_BUDGET, OVER_BUDGET } from "./demo-consumption-data";
import { seedDemo, type SeedReport } from "./demo";

// The consumption part of the demo, seeded as on the first start of the portal, on a fixed day.

const NOW = new Date("2026-06-17T10:00:00Z");
const FIRST_DAY = "2025-06-01";
const TODAY = "2026-06-17";

let connection: DatabaseConnection;
let db: Database;
let report: SeedReport;

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function tableCounts() {
  const [counts] = await rows<Record<string, number>>(sql`select
    (select count(*)::int from flex_configurations) as configurations, (select count(*)::int from entitlements) as entitlements,
    (select count(*)::int from usage_daily) as usage, (select count(*)::int from consumption_daily) as daily,
    (select count(*)::int from consumption_monthly) as monthly, (select count(*)::int from budgets) as budgets,
    (select count(*)::int from budget_alerts) as alerts, (select count(*)::int from flex_products) as products`);
  return counts!;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  const started = performance.now();
  report = await seedDemo(db, { password: "test-password-123", consumption: true, now: NOW });
  console.log(`demo seed with consumption (${connection.kind}): ${Math.round(performance.now() - started)} ms, ${report.consumption!.usageRowsCreated} usage rows`);
  // A year of usage and its roll-ups: seconds alone, minutes beside a full parallel test run on two cores.
}, 300_000);

afterAll(async () => {
  await connection?.close();
});

describe("the consumption demo", () => {
  it("sets a program of 1.00 USD a point, billed from the 1st, and installs the catalog", async () => {
    expect(await rows(sql`select point_price::text as price, currency, billing_day as day from flex_programs`)).toEqual([{ price: "1.0000", currency: "USD", day: 1 }]);
    const products = await rows<{ key: string }>(sql`select key from flex_products order by key`);
    expect(products.map((product) => product.key)).toEqual(DEFAULT_CATALOG.map((product) => product.key).sort());
  });

  it("gives every organization entitlements, a few of them stopped, expired or pending", async () => {
    const withoutAny = await rows(sql`select slug from nodes n where kind = 'organization' and not exists (select 1 from entitlements e where e.node_id = n.id)`);
    expect(withoutAny).toEqual([]);
    const byStatus = Object.fromEntries((await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from entitlements group by status`)).map((row) => [row.status, row.n]));
    expect(byStatus.active).toBeGreaterThan(100);
    for (const status of ["stopped", "expired", "pending"]) expect(byStatus[status], status).toBeGreaterThanOrEqual(2);
    expect(report.consumption!.entitlementsCreated).toBe(Object.values(byStatus).reduce((sum, n) => sum + n, 0));
  });

  it("records 13 months of daily usage, only while each entitlement runs", async () => {
    const [span] = await rows<{ first: string; last: string; n: number }>(sql`select min(day)::text as first, max(day)::text as last, count(*)::int as n from usage_daily`);
    expect(span).toEqual({ first: FIRST_DAY, last: TODAY, n: report.consumption!.usageRowsCreated });
    const outside = await rows(sql`select e.serial_number from usage_daily u join entitlements e on e.id = u.entitlement_id
      where e.status = 'pending' or u.day < e.start_date or (e.end_date is not null and u.day > e.end_date)`);
    expect(outside).toEqual([]);
    const stoppedEarly = await rows<{ n: number }>(sql`select count(*)::int as n from entitlements e where e.status = 'stopped'
      and (select max(day) from usage_daily u where u.entitlement_id = e.id) < ${TODAY}`);
    expect(stoppedEarly[0]!.n).toBeGreaterThan(0);
  });

  it("grows over the year, with bursts above the usual days", async () => {
    const months = await rows<{ month: string; points: number }>(sql`select m.month::text as month, sum(m.points)::float8 as points
      from consumption_monthly m join nodes n on n.id = m.node_id and n.kind = 'account' group by m.month order by m.month`);
    expect(months.map((month) => month.month)).toHaveLength(13);
    expect(months[11]!.points).toBeGreaterThan(months[0]!.points * 1.2);
    const [burst] = await rows<{ n: number }>(sql`select count(*)::int as n from usage_daily u join entitlements e on e.id = u.entitlement_id
      join flex_configurations c on c.id = e.configuration_id where u.points > c.points_per_day * 1.5`);
    expect(burst!.n).toBeGreaterThan(0);
  });

  it("fills the roll-ups with exactly the sums of raw usage", async () => {
    const mismatches = await rows(sql`
      with expected as (
        select a.id as node_id, u.day, c.product_id, sum(u.points) as points
        from usage_daily u join entitlements e on e.id = u.entitlement_id join flex_configurations c on c.id = e.configuration_id
        join nodes o on o.id = u.node_id join nodes a on starts_with(o.path, a.path)
        group by a.id, u.day, c.product_id)
      select * from expected full join consumption_daily r using (node_id, day, product_id)
      where expected.points is distinct from r.points`);
    expect(mismatches).toEqual([]);
  });

  it("budgets the account and most organizations, with last month's 80% warning and overrun, and realistic forecasts this month", async () => {
    const used = await rows<{ slug: string; month: string; share: number }>(sql`select n.slug, b.month::text as month,
        (select sum(points)::float8 from consumption_monthly m where m.node_id = b.node_id and m.month = b.month) / b.points::float8 as share
      from budgets b join nodes n on n.id = b.node_id where n.slug in (${NEAR_BUDGET}, ${OVER_BUDGET}) and b.month = '2026-05-01' order by n.slug`);
    expect(used.map((row) => [row.slug, Math.round(row.share * 100)])).toEqual([
      [NEAR_BUDGET, 86],
      [OVER_BUDGET, 108],
    ]);
    const alerts = await rows(sql`select n.slug, a.month::text as month, a.threshold from budget_alerts a join nodes n on n.id = a.node_id order by n.slug, a.threshold`);
    expect(alerts).toEqual([
      { slug: NEAR_BUDGET, month: "2026-05-01", threshold: 80 },
      { slug: OVER_BUDGET, month: "2026-05-01", threshold: 80 },
      { slug: OVER_BUDGET, month: "2026-05-01", threshold: 100 },
    ]);
    // This month's budgets leave room: 17 of 30 days in, every node is on course to stay under its budget.
    const [highest] = await rows<{ share: number }>(sql`select max((select coalesce(sum(points), 0)::float8 from consumption_monthly m where m.node_id = b.node_id and m.month = b.month) / b.points::float8) as share
      from budgets b where b.month = '2026-06-01'`);
    expect(highest!.share).toBeLessThanOrEqual(17 / 30 / 1.25 + 0.001);
    const [budgeted] = await rows<{ n: number }>(sql`select count(distinct node_id)::int as n from budgets`);
    expect(budgeted!.n).toBeGreaterThan(20);
  });

  it("adds nothing when seeded again", async () => {
    const before = await tableCounts();
    const again = await seedDemo(db, { password: "another-password-entirely", consumption: true, now: new Date("2026-07-02T10:00:00Z") });
    expect(again.consumption).toEqual({ entitlementsCreated: 0, usageRowsCreated: 0 });
    expect(await tableCounts()).toEqual(before);
  });
});

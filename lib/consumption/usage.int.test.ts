import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { budgetAlerts, budgets, consumptionDaily, consumptionMonthly, roleAssignments, usageDaily, type Entitlement } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { addDays } from "./calendar";
import type { ServiceContext } from "@/lib/service-context";
import { createNode } from "@/lib/tenants/service";
import { rebuildRollups } from "./rollups";
import { recordUsage } from "./usage";
import { activeEntitlement, catalogIds, consumptionSnapshot, countingDatabase, PEOPLE } from "./write-test-support";

const NOW = new Date("2026-03-03T12:00:00Z");

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let products: Record<string, string>;
let adler: string;
let firewall: Entitlement;
let sase: Entitlement;
let pending: Entitlement;
let expired: Entitlement;

const { expectRefused, expectAudited } = writeChecks(() => db, () => consumptionSnapshot(db));

async function at(email: string, database: Database = db): Promise<ServiceContext> {
  const ctx = await contextFor(db, email);
  return { ...ctx, db: database, authz: { ...ctx.authz, now: NOW } };
}

async function points(table: typeof consumptionDaily | typeof consumptionMonthly, slug: string, period: string) {
  const node = await nodeId(db, slug);
  const column = table === consumptionDaily ? consumptionDaily.day : consumptionMonthly.month;
  const rows = await db.select({ points: sql<string>`sum(${table.points})::text` }).from(table).where(and(eq(table.nodeId, node), eq(column, period)));
  return rows[0]?.points ?? null;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  products = await catalogIds(db, accountId);
  adler = await nodeId(db, "adler-logistik");
  firewall = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000001", "2026-02-20");
  sase = await activeEntitlement(db, accountId, { id: adler }, products.fortisase!, "FSASEUTM26000001", "2026-02-20");
  await activeEntitlement(db, accountId, { id: await nodeId(db, "baltic-freight-lines") }, products["fortigate-vm"]!, "FGVMMLTM26000002", "2026-02-20");
  pending = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000003", "2026-02-20");
  await db.execute(sql`update entitlements set status = 'pending', start_date = null where id = ${pending.id}`);
  expired = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000004", "2026-02-01");
  await db.execute(sql`update entitlements set status = 'expired', end_date = '2026-02-10' where id = ${expired.id}`);
});

afterAll(async () => {
  await connection?.close();
});

describe("recordUsage", () => {
  it("records rows by serial number or id, and adds them to the roll-ups of the organization and every ancestor", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const rows = [
      { serialNumber: "FGVMMLTM26000001", day: "2026-02-28", points: 6.4 },
      { serialNumber: "fgvmmltm26000001", day: "2026-03-01", points: "6.4" },
      { entitlementId: sase.id, day: "2026-02-28", points: 12.25 },
    ];
    const { result, event } = await expectAudited(() => recordUsage(manager, { nodeId: adler, rows }));
    expect(result).toEqual({ inserted: 3, replaced: 0, unchanged: 0, rejected: 0, valid: 3, dryRun: false, errors: [], imported: true });
    expect(event).toMatchObject({ action: "usage.record", nodeId: adler, targetType: "usage", summary: { after: { inserted: 3, from: "2026-02-28", to: "2026-03-01", organizations: 1 } } });
    for (const slug of ["adler-logistik", "emea-enterprise", "emea", "regions", "northwind"]) {
      expect(await points(consumptionDaily, slug, "2026-02-28"), slug).toBe("18.6500");
      expect(await points(consumptionMonthly, slug, "2026-02-01"), slug).toBe("18.6500");
      expect(await points(consumptionMonthly, slug, "2026-03-01"), slug).toBe("6.4000");
    }
    expect(await points(consumptionDaily, "emea-smb", "2026-02-28")).toBeNull();
  });

  it("is idempotent by entitlement and day: a repeat changes nothing, a new figure moves the roll-ups by the difference", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const repeat = await recordUsage(manager, { nodeId: adler, rows: [{ serialNumber: "FGVMMLTM26000001", day: "2026-02-28", points: "6.4000" }] });
    expect(repeat).toMatchObject({ inserted: 0, replaced: 0, unchanged: 1 });
    expect(await points(consumptionMonthly, "northwind", "2026-02-01")).toBe("18.6500");
    const replaced = await recordUsage(manager, { nodeId: adler, rows: [{ serialNumber: "FGVMMLTM26000001", day: "2026-02-28", points: 2.1 }] });
    expect(replaced).toMatchObject({ inserted: 0, replaced: 1, unchanged: 0 });
    const [row] = await db.select().from(usageDaily).where(and(eq(usageDaily.entitlementId, firewall.id), eq(usageDaily.day, "2026-02-28")));
    expect(row!.points).toBe(2.1);
    for (const slug of ["adler-logistik", "emea", "northwind"]) {
      expect(await points(consumptionDaily, slug, "2026-02-28"), slug).toBe("14.3500");
      expect(await points(consumptionMonthly, slug, "2026-02-01"), slug).toBe("14.3500");
    }
  });

  it("refuses the whole batch when any row is bad, naming each row and its reason", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const rows = [
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-02", points: 1 },
      { serialNumber: "FGVMMLTM29999999", day: "2026-03-02", points: 1 },
      { serialNumber: "FGVMMLTM26000002", day: "2026-03-02", points: 1 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-02-30", points: 1 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-04", points: 1 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-02-19", points: 1 },
      { serialNumber: "FGVMMLTM26000003", day: "2026-03-01", points: 1 },
      { serialNumber: "FGVMMLTM26000004", day: "2026-02-11", points: 1 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-01", points: -2 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-01", points: "lots" },
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-01", points: 1.23456 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-02", points: 2 },
      { day: "2026-03-02", points: 2 },
      { serialNumber: "FGVMMLTM26000001", entitlementId: firewall.id, day: "2026-03-02", points: 2 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-03-01", points: 100_001 },
    ];
    const { error } = await expectRefused(() => recordUsage(manager, { nodeId: adler, rows }), "invalid");
    expect(error.message).toBe("14 rows are not acceptable, so nothing was recorded. Row 2: Unknown serial number FGVMMLTM29999999.");
    expect(error.details.fieldErrors).toEqual({
      "rows.1": ["Unknown serial number FGVMMLTM29999999."],
      "rows.2": ["Unknown serial number FGVMMLTM26000002."],
      "rows.3": ['"2026-02-30" is not a day written YYYY-MM-DD.'],
      "rows.4": ["2026-03-04 is in the future (today is 2026-03-03)."],
      "rows.5": ["2026-02-19 is before FGVMMLTM26000001 started, on 2026-02-20."],
      "rows.6": ["FGVMMLTM26000003 is pending: activate it before recording usage."],
      "rows.7": ["2026-02-11 is after FGVMMLTM26000004 expired, on 2026-02-10."],
      "rows.8": ["Points cannot be negative."],
      "rows.9": ['"lots" is not a number of points.'],
      "rows.10": ["Points have at most four decimals."],
      "rows.11": ["Repeats row 1: the same entitlement (FGVMMLTM26000001) and day."],
      "rows.12": ["The serial number is missing."],
      "rows.13": ["Give the serial number or the entitlement id, not both."],
      "rows.14": ["Points above 100,000 a day are not plausible."],
    });
  });

  it("answers another organization's serial like an unknown one, and one outside the node but manageable with where it belongs", async () => {
    const emeaAdmin = await at(PEOPLE.emeaAdmin);
    const { error } = await expectRefused(() => recordUsage(emeaAdmin, { nodeId: adler, rows: [{ serialNumber: "FGVMMLTM26000002", day: "2026-03-01", points: 1 }] }), "invalid");
    expect(error.details.fieldErrors).toEqual({ "rows.0": ["FGVMMLTM26000002 belongs to Baltic Freight Lines, which is not under Adler Logistik: import it there."] });
  });

  it("refuses rows of an organization the caller reads but may not manage, and records the denial", async () => {
    // An account viewer who also manages Adler: Baltic's serial is visible to them, not theirs.
    const viewer = PEOPLE.accountViewer;
    await db.insert(roleAssignments).values({ accountId, principalId: await principalId(db, viewer), nodeId: adler, roleId: await builtinRoleId(db, "manager"), source: "direct" });
    const ctx = await at(viewer);
    const { error } = await expectRefused(() => recordUsage(ctx, { nodeId: adler, rows: [{ serialNumber: "FGVMMLTM26000002", day: "2026-03-01", points: 1 }] }), "invalid", "usage.record.denied");
    expect(error.details.fieldErrors).toEqual({ "rows.0": ["FGVMMLTM26000002 belongs to Baltic Freight Lines: you may not record its usage."] });
  });

  it("refuses a viewer, another organization's manager and a node without flex, writing only the denial", async () => {
    const row = { serialNumber: "FGVMMLTM26000001", day: "2026-03-01", points: 1 };
    await expectRefused(async () => recordUsage(await at(PEOPLE.adlerViewer), { nodeId: adler, rows: [row] }), "forbidden", "usage.record.denied");
    await expectRefused(async () => recordUsage(await at(PEOPLE.balticManager), { nodeId: adler, rows: [row] }), "not_found", "usage.record.denied");
    const bare = await createNode(await at(PEOPLE.owner), { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "Flexless Ltd" });
    await expectRefused(async () => recordUsage(await at(PEOPLE.owner), { nodeId: bare.id, rows: [row] }), "forbidden", "usage.record.denied");
    await expectRefused(async () => recordUsage(await at(PEOPLE.owner), { nodeId: adler, rows: [] }), "invalid");
  });

  it("raises the budget alerts the new usage crosses, in the same transaction", async () => {
    await db.insert(budgets).values({ accountId, nodeId: adler, month: "2026-03-01", points: 10 });
    await recordUsage(await at(PEOPLE.adlerManager), { nodeId: adler, rows: [{ serialNumber: "FSASEUTM26000001", day: "2026-03-02", points: 2 }] });
    const alerts = await db.select({ threshold: budgetAlerts.threshold }).from(budgetAlerts).where(eq(budgetAlerts.nodeId, adler)).orderBy(asc(budgetAlerts.threshold));
    expect(alerts).toEqual([{ threshold: 80 }]);
  });

  it("records 10,000 rows in a handful of statements, and the roll-ups then equal a rebuild from raw usage", async () => {
    const orchard = await nodeId(db, "orchard-health-systems");
    const serials: string[] = [];
    for (let index = 0; index < 10; index++) {
      const serial = `FCTEMSTM23${String(index).padStart(6, "0")}`;
      await activeEntitlement(db, accountId, { id: orchard }, products[index % 2 ? "forticlient-ems" : "fortisase"]!, serial, "2023-06-07");
      serials.push(serial);
    }
    const rows = serials.flatMap((serialNumber, index) =>
      Array.from({ length: 1000 }, (_, offset) => ({ serialNumber, day: addDays("2023-06-07", offset), points: Math.round((index + 1 + offset / 7) * 100) / 100 })),
    );
    const counting = countingDatabase(connection);
    const ctx = await at(PEOPLE.owner, counting.db);
    const started = performance.now();
    const report = await recordUsage(ctx, { nodeId: orchard, rows });
    console.log(`recordUsage of 10,000 rows (${connection.kind}): ${Math.round(performance.now() - started)} ms, ${counting.statements()} statements`);
    expect(report).toMatchObject({ inserted: 10_000, rejected: 0 });
    expect(counting.statements()).toBeLessThanOrEqual(20);

    const incremental = await rollupRows();
    await rebuildRollups(db, accountId);
    expect(await rollupRows()).toEqual(incremental);
  });
});

/** Every non-zero roll-up row, as text. */
async function rollupRows(): Promise<string[]> {
  const result = (await db.execute(sql`
    select node_id || ' ' || day || ' ' || product_id || ' ' || points as line from consumption_daily where points <> 0
    union all select node_id || ' ' || month || ' m ' || product_id || ' ' || points from consumption_monthly where points <> 0
    order by 1`)) as unknown as { rows: { line: string }[] };
  return result.rows.map((row) => row.line);
}

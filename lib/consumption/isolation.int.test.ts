import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { createNode } from "@/lib/tenants/service";
import { currentBudgetAlerts } from "./budget-alerts";
import { listBudgets } from "./budgets";
import { consumptionSeries } from "./dashboard";
import { budgetsCsv, entitlementsCsv, seriesCsv, statementCsv, topConsumersCsv } from "./export";
import { consumptionMonthSummary } from "./month-summary";
import { insertUsage, rawPoints, seedReadScenario, setTestProgram } from "./read-test-support";
import { rebuildRollups } from "./rollups";
import { monthlyStatement } from "./statement";
import { topConsumers } from "./top-consumers";

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";
const MARCH = { from: "2020-03-01", to: "2020-03-31" };

let connection: DatabaseConnection;
let db: Database;
let accountId: string;

const { expectRefused } = writeChecks(
  () => db,
  async () => ({}),
);

async function as(email: string): Promise<ServiceContext> {
  return contextFor(db, email);
}

async function pathOf(slug: string): Promise<string> {
  return (await loadTreeNode(db, accountId, { id: await nodeId(db, slug) }))!.path;
}

/** The serial numbers in an entitlements CSV (first column, header left out). */
function serials(csv: string): string[] {
  return csv.trim().split("\r\n").slice(1).map((line) => line.split(",")[0]!).sort();
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  await seedReadScenario(db, accountId);
  await setTestProgram(db, accountId, { pointPrice: 0.5, billingDay: 1 });
});

afterAll(async () => {
  await connection?.close();
});

describe("a customer's viewer", () => {
  it("sees its own organization's numbers in every read and export", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    const adler = await nodeId(db, "adler-logistik");
    const own = await rawPoints(db, accountId, await pathOf("adler-logistik"), MARCH.from, MARCH.to);
    for (const split of ["total", "product", "child"] as const) {
      const series = await consumptionSeries(viewer, { nodeId: adler, ...MARCH, split });
      expect(series.points.reduce((sum, point) => sum + point.total, 0)).toBeCloseTo(own, 4);
    }
    const top = await topConsumers(viewer, { nodeId: adler, ...MARCH });
    expect(top.consumers.map((consumer) => consumer.slug)).toEqual(["adler-logistik"]);
    expect((await topConsumersCsv(viewer, { nodeId: adler, ...MARCH })).csv.trim().split("\r\n")).toHaveLength(2);
    expect(serials((await entitlementsCsv(viewer, { nodeId: adler })).csv)).toEqual(["EDR-ADLER-1", "FGT-ADLER-1"]);
    const csv = (await seriesCsv(viewer, { nodeId: adler, granularity: "month", from: "2020-03", to: "2020-03" })).csv;
    expect(csv).toBe(`month,total_points,budget_points\r\n2020-03-01,${own},\r\n`);
    await expect(consumptionMonthSummary(viewer, { nodeId: adler })).resolves.toMatchObject({ node: { id: adler } });
    await expect(listBudgets(viewer, { nodeId: adler })).resolves.toEqual([]);
  });

  it("is refused, as not found, everything of a sibling, the group above and the account", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    for (const slug of ["baltic-freight-lines", "emea-enterprise", "northwind"]) {
      const id = await nodeId(db, slug);
      await expectRefused(() => consumptionSeries(viewer, { nodeId: id, ...MARCH }), "not_found", "consumption.read.denied");
      await expectRefused(() => topConsumers(viewer, { nodeId: id, ...MARCH }), "not_found", "consumption.read.denied");
      await expectRefused(() => consumptionMonthSummary(viewer, { nodeId: id }), "not_found", "consumption.read.denied");
      await expectRefused(() => currentBudgetAlerts(viewer, { nodeId: id }), "not_found", "consumption.read.denied");
      await expectRefused(() => listBudgets(viewer, { nodeId: id }), "not_found", "consumption.read.denied");
      await expectRefused(() => seriesCsv(viewer, { nodeId: id, ...MARCH }), "not_found", "consumption.read.denied");
      await expectRefused(() => topConsumersCsv(viewer, { nodeId: id, ...MARCH }), "not_found", "consumption.read.denied");
      await expectRefused(() => budgetsCsv(viewer, { nodeId: id }), "not_found", "consumption.read.denied");
      await expectRefused(() => entitlementsCsv(viewer, { nodeId: id }), "not_found", "entitlement.list.denied");
    }
    await expectRefused(() => monthlyStatement(viewer, { period: "2020-03" }), "not_found", "billing.read.denied");
    await expectRefused(() => statementCsv(viewer, { period: "2020-03" }), "not_found", "billing.read.denied");
  });
});

describe("an OU admin", () => {
  it("sees only the organizations of its subtree", async () => {
    const admin = await as(EMEA_ADMIN);
    const emea = await nodeId(db, "emea");
    const top = await topConsumers(admin, { nodeId: emea, ...MARCH, limit: 100 });
    expect(top.consumers.map((consumer) => consumer.slug).sort()).toEqual(["adler-logistik", "baltic-freight-lines", "harbour-lane-dental"]);
    const series = await consumptionSeries(admin, { nodeId: emea, ...MARCH, split: "child" });
    expect(series.lines.map((line) => line.label)).toEqual(["Enterprise", "SMB"]);
    expect(serials((await entitlementsCsv(admin, { nodeId: emea })).csv)).toEqual(["EDR-ADLER-1", "FGT-ADLER-1", "FGT-BALTIC-1", "FGT-HARBOUR-1"]);
    for (const slug of ["regions", "americas", "orchard-health-systems", "partners", "northwind"]) {
      const id = await nodeId(db, slug);
      await expectRefused(() => consumptionSeries(admin, { nodeId: id, ...MARCH }), "not_found", "consumption.read.denied");
      await expectRefused(() => topConsumersCsv(admin, { nodeId: id, ...MARCH }), "not_found", "consumption.read.denied");
    }
    await expectRefused(() => statementCsv(admin, { period: "2020-03" }), "not_found", "billing.read.denied");
  });

  it("sees a reseller's customers only from the reseller or above", async () => {
    const reseller = await as(RESELLER_OWNER);
    const fabrikam = await nodeId(db, "fabrikam-partners");
    const top = await topConsumers(reseller, { nodeId: fabrikam, ...MARCH });
    expect(top.consumers.map((consumer) => consumer.slug)).toEqual(["greenfield-pharmacy", "fabrikam-partners"]);
    const partners = await nodeId(db, "partners");
    await expectRefused(() => topConsumers(reseller, { nodeId: partners, ...MARCH }), "not_found", "consumption.read.denied");
  });
});

describe("nodes without flex", () => {
  it("are refused to everyone, owners included, in reads and exports", async () => {
    const owner = await as(OWNER);
    const bare = await createNode(owner, { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "Isolated Bakery" });
    for (const read of [
      () => consumptionSeries(owner, { nodeId: bare.id, ...MARCH }),
      () => topConsumers(owner, { nodeId: bare.id, ...MARCH }),
      () => consumptionMonthSummary(owner, { nodeId: bare.id }),
      () => listBudgets(owner, { nodeId: bare.id }),
      () => seriesCsv(owner, { nodeId: bare.id, ...MARCH }),
    ]) {
      const { error } = await expectRefused(read, "forbidden", "consumption.read.denied");
      expect(error.message).toMatch(/flex/);
    }
    await expectRefused(() => entitlementsCsv(owner, { nodeId: bare.id }), "forbidden", "entitlement.list.denied");
  });

  it("are not named in the splits and rankings of a node above, though their points count there", async () => {
    const owner = await as(OWNER);
    const smb = await nodeId(db, "emea-smb");
    const bare = await createNode(owner, { parentId: smb, kind: "organization", name: "Unlicensed Printing" });
    // Usage from before its flex was withdrawn: still in the group's roll-up.
    await insertUsage(db, accountId, [{ org: bare.slug, product: "fw", serial: "FGT-UNLICENSED-1", ...MARCH, points: () => 100 }]);
    await rebuildRollups(db, accountId);
    const top = await topConsumers(owner, { nodeId: smb, ...MARCH });
    expect(top.consumers.map((consumer) => consumer.slug)).toEqual(["harbour-lane-dental"]);
    expect(top.total).toBeCloseTo(3 * 31 + 100 * 31, 4);
    const series = await consumptionSeries(owner, { nodeId: smb, ...MARCH, split: "child" });
    expect(series.lines.map((line) => [line.label, line.total])).toEqual([
      ["Harbour Lane Dental", 93],
      ["Others", 3100],
    ]);
  });

  it("still take a reseller's unnamed customer off the reseller's own points", async () => {
    const owner = await as(OWNER);
    const customer = await createNode(owner, { parentId: await nodeId(db, "fabrikam-partners"), kind: "organization", name: "Unlicensed Florist" });
    await insertUsage(db, accountId, [{ org: customer.slug, product: "fw", serial: "FGT-FLORIST-1", ...MARCH, points: () => 10 }]);
    await rebuildRollups(db, accountId);
    const top = await topConsumers(owner, { nodeId: accountId, ...MARCH, limit: 100 });
    expect(top.consumers.map((consumer) => consumer.slug)).not.toContain(customer.slug);
    expect(top.consumers.find((consumer) => consumer.slug === "fabrikam-partners")!.points).toBe(31);
    const reseller = await topConsumers(owner, { nodeId: await nodeId(db, "fabrikam-partners"), ...MARCH });
    expect(reseller.consumers.map((consumer) => [consumer.slug, consumer.points])).toEqual([
      ["greenfield-pharmacy", 62.0031],
      ["fabrikam-partners", 31],
    ]);
  });
});

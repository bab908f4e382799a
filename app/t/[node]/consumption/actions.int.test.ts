import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { budgets, consumptionDaily, entitlements, flexConfigurations, flexProducts, usageDaily } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ActionState } from "@/lib/actions/authorized-action";
import { formData as form } from "@/lib/actions/test-support";
import { addDays } from "@/lib/consumption/calendar";
import { installDefaultCatalog } from "@/lib/consumption/catalog";
import type { ServiceContext } from "@/lib/service-context";

// The consumption pages' server actions as a browser (or a forged request) calls them: the request's
// context is the signed-in principal's, and nothing but the action wrapper and the service stand in the way.
const signedIn = vi.hoisted(() => ({ context: null as ServiceContext | null }));
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: async () => signedIn.context }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { createConfigurationAction, createEntitlementsAction } = await import("./configurations/actions");
const { transitionEntitlementAction } = await import("./entitlements/actions");
const { removeBudgetAction, setBudgetAction } = await import("./budgets/actions");
const { importUsageAction } = await import("./import/actions");

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const today = new Date().toISOString().slice(0, 10);
let fortigate: string;

beforeAll(async () => {
  connection = await createTestDatabase();
  const { accountId } = await seedDemo(connection.db, { password: "test-password-123" });
  await installDefaultCatalog(await contextFor(connection.db, OWNER), { nodeId: accountId });
  const [product] = await connection.db.select({ id: flexProducts.id }).from(flexProducts).where(and(eq(flexProducts.accountId, accountId), eq(flexProducts.key, "fortigate-vm")));
  fortigate = product!.id;
});
afterAll(async () => connection?.close());

async function as(email: string) {
  signedIn.context = await contextFor(db(), email);
}

/** Every row the consumption actions could write, apart from the audit trail. */
async function writable() {
  return {
    configurations: await db().select().from(flexConfigurations).orderBy(asc(flexConfigurations.id)),
    entitlements: await db().select().from(entitlements).orderBy(asc(entitlements.id)),
    budgets: await db().select().from(budgets).orderBy(asc(budgets.nodeId), asc(budgets.month)),
    usage: await db().select().from(usageDaily).orderBy(asc(usageDaily.entitlementId), asc(usageDaily.day)),
    rollups: await db().select().from(consumptionDaily).orderBy(asc(consumptionDaily.nodeId), asc(consumptionDaily.day)),
  };
}

/** Runs the action and checks it was refused with `message`, wrote nothing and audited at most its denial. */
async function expectRefused(run: () => Promise<ActionState>, message: RegExp) {
  const before = await writable();
  const since = await lastEventId(db());
  const state = await run();
  expect(state.ok).toBeUndefined();
  expect(state.error).toMatch(message);
  expect(await writable()).toEqual(before);
  expect((await eventsSince(db(), since)).every((event) => event.action.endsWith(".denied"))).toBe(true);
  return state;
}

const configuration = async (slug: string, name: string, cpu = "4", service = "utp") =>
  form({ nodeId: await nodeId(db(), slug), productId: fortigate, name, "parameters.cpu": cpu, "parameters.service": service });

async function configurationId(name: string): Promise<string> {
  const [row] = await db().select({ id: flexConfigurations.id }).from(flexConfigurations).where(eq(flexConfigurations.name, name));
  return row!.id;
}

async function entitlementOf(name: string) {
  const [row] = await db()
    .select({ id: entitlements.id, serial: entitlements.serialNumber, version: entitlements.version, status: entitlements.status })
    .from(entitlements)
    .where(eq(entitlements.configurationId, await configurationId(name)))
    .orderBy(asc(entitlements.serialNumber));
  return row!;
}

describe("createConfigurationAction", () => {
  it("creates a priced configuration for the EMEA admin on an EMEA organization, from the form's parameter fields", async () => {
    await as(EMEA_ADMIN);
    const state = await createConfigurationAction({}, await configuration("adler-logistik", "Branch firewall"));
    // 4 vCPUs at a point each, times 1.6 for Unified Threat Protection.
    expect(state).toMatchObject({ ok: true, message: "Branch firewall is created at 6.4 points a day." });
  });

  it("reports a parameter outside the price table on its field and writes nothing", async () => {
    await as(EMEA_ADMIN);
    const state = await expectRefused(async () => createConfigurationAction({}, await configuration("adler-logistik", "Too big", "3")), /vCPUs must be one of/);
    expect(state.fieldErrors?.["parameters.cpu"]).toEqual([expect.stringMatching(/one of 1, 2, 4, 8, 16, 32/)]);
  });

  it("refuses the customer viewer on their own organization: viewers do not manage entitlements", async () => {
    await as(CUSTOMER_VIEWER);
    await expectRefused(async () => createConfigurationAction({}, await configuration("adler-logistik", "Mine")), /You may not use entitlement\.manage here/);
  });

  it("refuses the EMEA admin a forged request for an Americas organization, as if it did not exist", async () => {
    await as(EMEA_ADMIN);
    await expectRefused(async () => createConfigurationAction({}, await configuration("orchard-health-systems", "Not mine")), /No such node/);
  });
});

describe("createEntitlementsAction and transitionEntitlementAction", () => {
  it("creates pending entitlements from a configuration and activates one from a day in the past", async () => {
    await as(EMEA_ADMIN);
    const created = await createEntitlementsAction({}, form({ configurationId: await configurationId("Branch firewall"), count: "2", description: "Hamburg" }));
    expect(created).toMatchObject({ ok: true, message: expect.stringMatching(/^2 pending entitlements created: FGVMMLTM\d{8}, FGVMMLTM\d{8}\./) });
    const entitlement = await entitlementOf("Branch firewall");
    const start = addDays(today, -5);
    const state = await transitionEntitlementAction({}, form({ entitlementId: entitlement.id, transition: "activate", day: start, expectedVersion: String(entitlement.version) }));
    expect(state).toMatchObject({ ok: true, message: `${entitlement.serial} is activated from ${start}.` });
  });

  it("refuses a transition the lifecycle does not allow, saying what it allows, and writes nothing", async () => {
    await as(EMEA_ADMIN);
    const entitlement = await entitlementOf("Branch firewall");
    await expectRefused(async () => transitionEntitlementAction({}, form({ entitlementId: entitlement.id, transition: "reactivate", day: "" })), /Cannot reactivate an entitlement that is active/);
  });

  it("refuses the customer viewer both actions on their own organization's entitlements", async () => {
    await as(CUSTOMER_VIEWER);
    const entitlement = await entitlementOf("Branch firewall");
    await expectRefused(async () => transitionEntitlementAction({}, form({ entitlementId: entitlement.id, transition: "stop", day: "" })), /You may not use entitlement\.manage/);
    await expectRefused(async () => createEntitlementsAction({}, form({ configurationId: await configurationId("Branch firewall"), count: "1" })), /You may not use entitlement\.manage/);
  });

  it("refuses the EMEA admin an Americas configuration and entitlement as if they did not exist, and an id that is no entitlement", async () => {
    await as(OWNER);
    await createConfigurationAction({}, await configuration("orchard-health-systems", "Orchard edge"));
    await createEntitlementsAction({}, form({ configurationId: await configurationId("Orchard edge"), count: "1" }));
    const americas = await entitlementOf("Orchard edge");
    await as(EMEA_ADMIN);
    await expectRefused(async () => createEntitlementsAction({}, form({ configurationId: await configurationId("Orchard edge"), count: "1" })), /No such node/);
    await expectRefused(async () => transitionEntitlementAction({}, form({ entitlementId: americas.id, transition: "activate", day: "" })), /No such node/);
    await expectRefused(async () => transitionEntitlementAction({}, form({ entitlementId: "00000000-0000-4000-8000-000000000001", transition: "activate", day: "" })), /No such node/);
  });
});

describe("importUsageAction", () => {
  it("checks a file without importing it: a clean one says what importing would do, one with a bad line lists it", async () => {
    await as(EMEA_ADMIN);
    const { serial } = await entitlementOf("Branch firewall");
    const nodeIdOfEmea = await nodeId(db(), "emea");
    const before = await writable();
    const since = await lastEventId(db());
    const clean = await importUsageAction({}, form({ nodeId: nodeIdOfEmea, csv: `serial_number,day,points\n${serial},${addDays(today, -2)},6.4\n`, dryRun: "true" }));
    expect(clean).toMatchObject({ ok: true, message: "Checked 1 row, all valid: importing would give 1 new, 0 replaced, 0 unchanged. Nothing was imported yet." });
    expect(await writable()).toEqual(before);
    expect(await eventsSince(db(), since)).toEqual([]);
    const csv = `serial_number,day,points\n${serial},${addDays(today, -2)},6.4\n${serial},not-a-day,6.4\n`;
    const checked = await expectRefused(async () => importUsageAction({}, form({ nodeId: nodeIdOfEmea, csv, dryRun: "true" })), /^Checked: 1 of 2 rows has errors\. Importing the 1 row without errors would give 1 new, 0 replaced, 0 unchanged\. Nothing was imported\.$/);
    expect(Object.keys(checked.fieldErrors ?? {})).toEqual(["line 3"]);
  });

  it("imports nothing from a file with a bad line, listing the line and its reason; then imports the valid rows when asked", async () => {
    await as(EMEA_ADMIN);
    const { serial } = await entitlementOf("Branch firewall");
    const csv = `serial_number,day,points\n${serial},${addDays(today, -2)},6.4\n${serial},not-a-day,6.4\n${serial},${addDays(today, -1)},6.4\n`;
    const fields = { nodeId: await nodeId(db(), "emea"), csv };
    const refused = await expectRefused(async () => importUsageAction({}, form({ ...fields, importValidRows: "false" })), /^1 of 3 rows has errors, so nothing was imported\. Fix the file and upload it again, or import the 2 rows without errors only\./);
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual(["line 3"]);

    const state = await importUsageAction({}, form({ ...fields, importValidRows: "true" }));
    expect(state).toMatchObject({ ok: true, message: "Imported 2 rows: 2 new, 0 replaced, 0 unchanged. 1 row with errors was skipped." });
    const recorded = await db().select({ day: usageDaily.day }).from(usageDaily).orderBy(asc(usageDaily.day));
    expect(recorded.map((row) => row.day)).toEqual([addDays(today, -2), addDays(today, -1)]);
  });

  it("refuses the customer viewer and the EMEA admin on an Americas organization, writing no usage", async () => {
    const { serial } = await entitlementOf("Branch firewall");
    const csv = `serial_number,day,points\n${serial},${today},1\n`;
    await as(CUSTOMER_VIEWER);
    await expectRefused(async () => importUsageAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), csv })), /You may not use entitlement\.manage/);
    await as(EMEA_ADMIN);
    await expectRefused(async () => importUsageAction({}, form({ nodeId: await nodeId(db(), "orchard-health-systems"), csv })), /No such node/);
  });
});

describe("setBudgetAction and removeBudgetAction", () => {
  it("sets, changes and removes a month's budget for the EMEA admin on EMEA", async () => {
    await as(EMEA_ADMIN);
    const emea = await nodeId(db(), "emea");
    expect(await setBudgetAction({}, form({ nodeId: emea, month: "2099-01", points: "1500" }))).toMatchObject({ ok: true, message: "The budget for January 2099 is 1,500 points." });
    expect(await setBudgetAction({}, form({ nodeId: emea, month: "2099-01", points: "1750.5", expectedVersion: "1" }))).toMatchObject({ ok: true });
    const [saved] = await db().select({ points: budgets.points, version: budgets.version }).from(budgets).where(eq(budgets.nodeId, emea));
    expect(saved).toEqual({ points: 1750.5, version: 2 });
    expect(await removeBudgetAction({}, form({ nodeId: emea, month: "2099-01" }))).toMatchObject({ ok: true, message: "The budget for January 2099 is removed." });
  });

  it("shows bad points on their field and writes nothing", async () => {
    await as(EMEA_ADMIN);
    const state = await expectRefused(async () => setBudgetAction({}, form({ nodeId: await nodeId(db(), "emea"), month: "2099-02", points: "-5" })), /Check the highlighted fields/);
    expect(state.fieldErrors?.points).toEqual(["A budget is a positive number of points."]);
  });

  it("refuses the customer viewer on their own organization and the EMEA admin on the Americas", async () => {
    await as(CUSTOMER_VIEWER);
    await expectRefused(async () => setBudgetAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), month: "2099-01", points: "10" })), /You may not use budget\.manage/);
    await as(EMEA_ADMIN);
    await expectRefused(async () => setBudgetAction({}, form({ nodeId: await nodeId(db(), "americas"), month: "2099-01", points: "10" })), /No such node/);
    await expectRefused(async () => removeBudgetAction({}, form({ nodeId: await nodeId(db(), "americas"), month: "2099-01" })), /No such node/);
  });
});

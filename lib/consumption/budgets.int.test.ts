import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { budgetAlerts, budgets, mailOutbox } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId, writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { loadTreeNode, whoHasAccess } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { createNode } from "@/lib/tenants/service";
import { currentBudgetAlerts } from "./budget-alerts";
import { listBudgets, removeBudget, setBudget } from "./budgets";
import { eachDay } from "./calendar";
import { createTestEntitlement } from "./read-test-support";
import { recordUsage } from "./usage";

const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_VIEWER = "grace.kim@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let owner: ServiceContext;
const entitlementsByOrg = new Map<string, { id: string; organizationId: string }>();

async function tables() {
  return {
    budgets: await db.select().from(budgets).orderBy(asc(budgets.nodeId), asc(budgets.month)),
    alerts: await db.select().from(budgetAlerts).orderBy(asc(budgetAlerts.nodeId), asc(budgetAlerts.month), asc(budgetAlerts.threshold)),
    mails: (await db.select({ n: sql<number>`count(*)::int` }).from(mailOutbox))[0]!.n,
  };
}

const { expectRefused, expectAudited } = writeChecks(() => db, tables);

/**
 * Records usage for an organization's entitlement through the ingest (which moves the roll-ups and
 * evaluates the budgets in its transaction); returns the alerts it raised and the mail it sent.
 */
async function addUsage(org: string, days: [string, string], pointsPerDay: number): Promise<{ alerts: string[]; mails: string[] }> {
  const serial = `BUDGET-${org.toUpperCase()}`;
  if (!entitlementsByOrg.has(org)) entitlementsByOrg.set(org, await createTestEntitlement(db, accountId, { org, product: "fw", serial, startDate: "2018-01-01" }));
  const since = await lastEventId(db);
  const mailsBefore = new Set((await db.select({ id: mailOutbox.id }).from(mailOutbox)).map((mail) => mail.id));
  const rows = eachDay(days[0], days[1]).map((day) => ({ serialNumber: serial, day, points: pointsPerDay }));
  await recordUsage(owner, { nodeId: entitlementsByOrg.get(org)!.organizationId, rows });
  const events = (await eventsSince(db, since)).filter((event) => event.action === "budget.alert");
  const mails = await db.select({ id: mailOutbox.id, to: mailOutbox.recipient, subject: mailOutbox.subject }).from(mailOutbox);
  return {
    alerts: events.map((event) => `${event.action} ${(event.summary as { after: { threshold: number } }).after.threshold}`),
    mails: mails.filter((mail) => !mailsBefore.has(mail.id)).map((mail) => `${mail.to}: ${mail.subject}`),
  };
}

/** Who should hear of a node's alerts: active users holding budget.manage there, directly or from above. */
async function budgetManagers(slug: string): Promise<string[]> {
  const node = (await loadTreeNode(db, accountId, { id: await nodeId(db, slug) }))!;
  return (await whoHasAccess(db, node))
    .filter((entry) => entry.principal.kind === "user" && entry.permissions.includes("budget.manage"))
    .map((entry) => entry.principal.email!)
    .sort();
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  owner = await contextFor(db, OWNER);
});

afterAll(async () => {
  await connection?.close();
});

describe("budgets", () => {
  it("sets, changes, lists and removes a node's monthly budget, auditing each change", async () => {
    const emea = await nodeId(db, "emea");
    const { event } = await expectAudited(() => setBudget(owner, { nodeId: emea, month: "2019-05", points: 1500.25 }));
    expect(event).toMatchObject({ action: "budget.set", nodeId: emea, targetId: "2019-05", summary: { before: null, after: { points: 1500.25 } } });
    const changed = await setBudget(owner, { nodeId: emea, month: "2019-05", points: "2000", expectedVersion: 1 });
    expect(changed).toEqual({ nodeId: emea, month: "2019-05-01", points: 2000, version: 2 });
    await setBudget(owner, { nodeId: emea, month: "2019-04", points: 10 });
    expect((await listBudgets(owner, { nodeId: emea })).map((row) => [row.month, row.points, row.actual, row.alerts])).toEqual([
      ["2019-04-01", 10, 0, []],
      ["2019-05-01", 2000, 0, []],
    ]);
    expect(await listBudgets(owner, { nodeId: emea, from: "2019-05" })).toHaveLength(1);
    const removed = await expectAudited(() => removeBudget(owner, { nodeId: emea, month: "2019-04" }));
    expect(removed.event).toMatchObject({ action: "budget.remove", summary: { before: { points: 10 } } });
    expect(await listBudgets(owner, { nodeId: emea })).toHaveLength(1);
  });

  it("refuses a stale version, a missing budget and bad input, writing nothing", async () => {
    const emea = await nodeId(db, "emea");
    await setBudget(owner, { nodeId: emea, month: "2019-06", points: 100 });
    await expectRefused(() => setBudget(owner, { nodeId: emea, month: "2019-06", points: 200, expectedVersion: 7 }), "precondition_failed");
    await expectRefused(() => removeBudget(owner, { nodeId: emea, month: "2019-07" }), "not_found");
    for (const [input, field] of [
      [{ month: "2019-13", points: 5 }, "month"],
      [{ month: "May 2019", points: 5 }, "month"],
      [{ month: "2019-06", points: 0 }, "points"],
      [{ month: "2019-06", points: -3 }, "points"],
      [{ month: "2019-06", points: "many" }, "points"],
      [{ month: "2019-06", points: 1.23456 }, "points"],
      [{ month: "2019-06", points: 1e12 }, "points"],
    ] as const) {
      const { error } = await expectRefused(() => setBudget(owner, { nodeId: emea, ...input } as never), "invalid");
      expect(error.details.fieldErrors?.[field], JSON.stringify(input)).toBeDefined();
    }
  });

  it("refuses principals without budget.manage, and nodes they cannot see as not found", async () => {
    const adler = await nodeId(db, "adler-logistik");
    const viewer = await contextFor(db, ACCOUNT_VIEWER);
    await expectRefused(() => setBudget(viewer, { nodeId: adler, month: "2019-06", points: 5 }), "forbidden", "budget.set.denied");
    const customer = await contextFor(db, CUSTOMER_VIEWER);
    await expectRefused(() => setBudget(customer, { nodeId: adler, month: "2019-06", points: 5 }), "forbidden", "budget.set.denied");
    const sibling = await nodeId(db, "baltic-freight-lines");
    await expectRefused(() => setBudget(customer, { nodeId: sibling, month: "2019-06", points: 5 }), "not_found", "budget.set.denied");
    await expectRefused(() => listBudgets(customer, { nodeId: sibling }), "not_found", "consumption.read.denied");
    const emea = await contextFor(db, EMEA_ADMIN);
    const americas = await nodeId(db, "americas");
    await expectRefused(() => setBudget(emea, { nodeId: americas, month: "2019-06", points: 5 }), "not_found", "budget.set.denied");
    await expectRefused(() => removeBudget(emea, { nodeId: accountId, month: "2019-06" }), "not_found", "budget.remove.denied");
  });

  it("refuses budgets on a node without flex, even to an owner", async () => {
    const bare = await createNode(owner, { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "No Flex Bakery" });
    const { error } = await expectRefused(() => setBudget(owner, { nodeId: bare.id, month: "2019-06", points: 5 }), "forbidden", "budget.set.denied");
    expect(error.message).toMatch(/flex/);
  });
});

describe("budget alerts", () => {
  it("raises 80% and then 100% once each per month as usage arrives, mailing the node's budget managers", async () => {
    await setBudget(owner, { nodeId: await nodeId(db, "jura-watchworks"), month: "2019-03", points: 1000 });
    const managers = await budgetManagers("jura-watchworks");
    expect(managers).toContain("ava.thompson@northwind.example");
    expect(managers).toContain("emma.schulz@northwind.example");
    expect(managers).not.toContain("oscar.lindqvist@northwind.example");

    expect(await addUsage("jura-watchworks", ["2019-03-01", "2019-03-10"], 79)).toEqual({ alerts: [], mails: [] });
    const first = await addUsage("jura-watchworks", ["2019-03-11", "2019-03-11"], 20);
    expect(first.alerts).toEqual(["budget.alert 80"]);
    expect(first.mails.map((mail) => mail.split(":")[0]).sort()).toEqual(managers);
    expect(first.mails[0]).toMatch(/Jura Watchworks has used 80% of its budget for 2019-03/);
    // More usage below 100%: nothing new.
    expect(await addUsage("jura-watchworks", ["2019-03-12", "2019-03-12"], 5)).toEqual({ alerts: [], mails: [] });
    const second = await addUsage("jura-watchworks", ["2019-03-13", "2019-03-13"], 200);
    expect(second.alerts).toEqual(["budget.alert 100"]);
    expect(second.mails).toHaveLength(managers.length);
    expect(second.mails[0]).toMatch(/has reached its budget/);
    // Usage keeps coming: each threshold has fired for the month.
    expect(await addUsage("jura-watchworks", ["2019-03-14", "2019-03-20"], 50)).toEqual({ alerts: [], mails: [] });
    const rows = await db.select({ threshold: budgetAlerts.threshold }).from(budgetAlerts).where(eq(budgetAlerts.nodeId, await nodeId(db, "jura-watchworks")));
    expect(rows.map((row) => row.threshold).sort((a, b) => a - b)).toEqual([80, 100]);
  });

  it("raises alerts of every ancestor whose budget the usage crosses", async () => {
    await setBudget(owner, { nodeId: await nodeId(db, "emea-smb"), month: "2019-02", points: 100 });
    await setBudget(owner, { nodeId: accountId, month: "2019-02", points: 1_000_000 });
    const result = await addUsage("loire-vineyards", ["2019-02-01", "2019-02-28"], 4);
    expect(result.alerts).toEqual(["budget.alert 80", "budget.alert 100"]);
    expect(result.mails.every((mail) => mail.includes("SMB has reached its budget") || mail.includes("SMB has used 80%"))).toBe(true);
  });

  it("raises the due alerts when a budget is set below what the month used", async () => {
    await addUsage("kestrel-accountancy", ["2019-01-01", "2019-01-31"], 10);
    const kestrel = await nodeId(db, "kestrel-accountancy");
    const since = await lastEventId(db);
    await setBudget(owner, { nodeId: kestrel, month: "2019-01", points: 300 });
    expect((await eventsSince(db, since)).map((event) => event.action)).toEqual(["budget.set", "budget.alert", "budget.alert"]);
    const listed = await listBudgets(owner, { nodeId: kestrel });
    expect(listed).toEqual([expect.objectContaining({ month: "2019-01-01", points: 300, actual: 310, percent: 103.3, alerts: [80, 100] })]);
    // Lowering it again raises nothing new; the month's alerts have fired.
    const again = await lastEventId(db);
    await setBudget(owner, { nodeId: kestrel, month: "2019-01", points: 50 });
    expect((await eventsSince(db, again)).map((event) => event.action)).toEqual(["budget.set"]);
  });

  it("shows the banner's alerts of the current month while they still hold", async () => {
    const kestrel = await nodeId(db, "kestrel-accountancy");
    const january = { ...owner, authz: { ...owner.authz, now: new Date("2019-01-20T10:00:00Z") } };
    expect((await currentBudgetAlerts(january, { nodeId: kestrel })).map((alert) => alert.threshold)).toEqual([100, 80]);
    await setBudget(owner, { nodeId: kestrel, month: "2019-01", points: 350 });
    expect((await currentBudgetAlerts(january, { nodeId: kestrel })).map((alert) => alert.threshold)).toEqual([80]);
    const customer = await contextFor(db, CUSTOMER_VIEWER);
    await expectRefused(() => currentBudgetAlerts(customer, { nodeId: kestrel }), "not_found", "consumption.read.denied");
  });

  it("counts the actual from the roll-up of the budget's own node and month only", async () => {
    const mosel = await nodeId(db, "mosel-printing");
    await setBudget(owner, { nodeId: mosel, month: "2018-12", points: 100 });
    await addUsage("mosel-printing", ["2018-11-01", "2018-11-30"], 10);
    expect(await db.select().from(budgetAlerts).where(and(eq(budgetAlerts.nodeId, mosel)))).toEqual([]);
  });
});

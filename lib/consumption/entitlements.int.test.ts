import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { entitlements, flexConfigurations, usageDaily } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ServiceContext } from "@/lib/service-context";
import { createNode } from "@/lib/tenants/service";
import { createConfiguration } from "./configurations";
import { readEntitlement } from "./entitlement-list";
import { createEntitlements, transitionEntitlement } from "./entitlements";
import { catalogIds, consumptionSnapshot, PEOPLE } from "./write-test-support";

const NOW = new Date("2026-03-10T12:00:00Z");
const TODAY = "2026-03-10";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let products: Record<string, string>;
let adler: string;
let firewallConfiguration: string;

const { expectRefused, expectAudited } = writeChecks(() => db, () => consumptionSnapshot(db));

/** A context at NOW, so that "today" is fixed. */
async function at(email: string): Promise<ServiceContext> {
  const ctx = await contextFor(db, email);
  return { ...ctx, authz: { ...ctx.authz, now: NOW } };
}

async function pendingEntitlement() {
  const [created] = await createEntitlements(await at(PEOPLE.adlerManager), { configurationId: firewallConfiguration });
  return created!;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  products = await catalogIds(db, accountId);
  adler = await nodeId(db, "adler-logistik");
  const manager = await at(PEOPLE.adlerManager);
  firewallConfiguration = (await createConfiguration(manager, { nodeId: adler, productId: products["fortigate-vm"]!, name: "Firewall", parameters: { cpu: "2", service: "fc" } })).id;
});

afterAll(async () => {
  await connection?.close();
});

describe("createEntitlements", () => {
  it("creates pending entitlements with consecutive serial numbers of the product and year, one audit event each", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const created = await createEntitlements(manager, { configurationId: firewallConfiguration, count: 3, description: "Branch offices" });
    expect(created.map((entitlement) => entitlement.serialNumber)).toEqual(["FGVMMLTM26000001", "FGVMMLTM26000002", "FGVMMLTM26000003"]);
    expect(created.every((entitlement) => entitlement.status === "pending" && entitlement.startDate === null && entitlement.nodeId === adler)).toBe(true);
    const next = await expectAudited(() => createEntitlements(manager, { configurationId: firewallConfiguration }));
    expect(next.result[0]!.serialNumber).toBe("FGVMMLTM26000004");
    expect(next.event).toMatchObject({ action: "entitlement.create", nodeId: adler, targetType: "entitlement", targetId: next.result[0]!.id });
  });

  it("numbers each product apart, and never repeats a serial in the account", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const sase = await createConfiguration(manager, { nodeId: adler, productId: products.fortisase!, name: "SASE", parameters: { users: 100, tier: "standard" } });
    const [first] = await createEntitlements(manager, { configurationId: sase.id });
    expect(first!.serialNumber).toBe("FSASEUTM26000001");
    const all = await db.select({ serial: entitlements.serialNumber }).from(entitlements).where(eq(entitlements.accountId, accountId));
    expect(new Set(all.map((row) => row.serial)).size).toBe(all.length);
  });

  it("refuses more than 100 at a time, a viewer, another organization's manager and a configuration that does not exist", async () => {
    await expectRefused(async () => createEntitlements(await at(PEOPLE.adlerManager), { configurationId: firewallConfiguration, count: 101 }), "invalid");
    await expectRefused(async () => createEntitlements(await at(PEOPLE.adlerViewer), { configurationId: firewallConfiguration }), "forbidden", "entitlement.create.denied");
    const stranger = await expectRefused(async () => createEntitlements(await at(PEOPLE.balticManager), { configurationId: firewallConfiguration }), "not_found", "entitlement.create.denied");
    const missing = await expectRefused(async () => createEntitlements(await at(PEOPLE.balticManager), { configurationId: crypto.randomUUID() }), "not_found", "entitlement.create.denied");
    expect(stranger.error.message).toBe(missing.error.message);
  });

  it("refuses on an organization without flex, even for a configuration it holds", async () => {
    const owner = await at(PEOPLE.owner);
    const org = await createNode(owner, { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "Lapsed Flex AG" });
    // Written directly: no service creates a configuration where flex is not in force.
    const [configuration] = await db
      .insert(flexConfigurations)
      .values({ accountId, nodeId: org.id, productId: products["fortigate-vm"]!, name: "Old", parameters: {}, pointsPerDay: 1 })
      .returning({ id: flexConfigurations.id });
    const { error } = await expectRefused(() => createEntitlements(owner, { configurationId: configuration!.id }), "not_found", "entitlement.create.denied");
    expect(error.message).toBe("No such configuration, or you do not have access to it.");
  });
});

describe("the lifecycle", () => {
  it("activates (today, or a day given), stops, reactivates and expires, each audited with before and after", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const entitlement = await pendingEntitlement();
    const activated = await expectAudited(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate", day: "2026-02-01", expectedVersion: 1 }));
    expect(activated.result).toMatchObject({ status: "active", startDate: "2026-02-01", endDate: null, version: 2 });
    expect(activated.event).toMatchObject({
      action: "entitlement.activate",
      nodeId: adler,
      targetId: entitlement.id,
      summary: { before: { status: "pending", startDate: null }, after: { serialNumber: entitlement.serialNumber, status: "active", startDate: "2026-02-01" } },
    });
    const stopped = await expectAudited(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "stop", expectedVersion: 2 }));
    expect(stopped.result).toMatchObject({ status: "stopped", version: 3 });
    expect(stopped.event.action).toBe("entitlement.stop");
    const reactivated = await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "reactivate" });
    expect(reactivated).toMatchObject({ status: "active", startDate: "2026-02-01", version: 4 });
    const expired = await expectAudited(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "expire" }));
    expect(expired.result).toMatchObject({ status: "expired", startDate: "2026-02-01", endDate: TODAY, version: 5 });
  });

  it("refuses every illegal transition with a clear message, writing nothing", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const entitlement = await pendingEntitlement();
    for (const transition of ["stop", "reactivate"] as const) {
      const { error } = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition }), "invalid");
      expect(error.message).toBe(`Cannot ${transition} an entitlement that is pending: a pending entitlement can be activated or expired.`);
    }
    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate" });
    await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate" }), "invalid");
    await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "reactivate" }), "invalid");
    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "expire" });
    for (const transition of ["activate", "stop", "reactivate", "expire"] as const) {
      const { error } = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition }), "invalid");
      expect(error.message).toMatch(/an expired entitlement is final\.$/);
    }
    await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "renew" }), "invalid");
  });

  it("refuses a stale version, a day in the future, an end before the start or before recorded usage", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const entitlement = await pendingEntitlement();
    await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate", expectedVersion: 7 }), "precondition_failed");
    const future = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate", day: "2026-03-11" }), "invalid");
    expect(future.error.message).toBe("The day cannot be in the future (today is 2026-03-10).");
    await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate", day: "2026-02-30" }), "invalid");
    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "activate", day: "2026-03-01" });
    const early = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "expire", day: "2026-02-28" }), "invalid");
    expect(early.error.message).toBe("The end day cannot be before the start day, 2026-03-01.");
    await db.insert(usageDaily).values({ entitlementId: entitlement.id, day: "2026-03-05", accountId, nodeId: adler, points: 2 });
    const used = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "expire", day: "2026-03-04" }), "invalid");
    expect(used.error.message).toBe("Usage is recorded up to 2026-03-05: expire the entitlement on that day or later.");
    expect((await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "expire", day: "2026-03-05" })).endDate).toBe("2026-03-05");
  });

  it("refuses a viewer and another organization's manager, who cannot tell it from a missing entitlement", async () => {
    const entitlement = await pendingEntitlement();
    await expectRefused(async () => transitionEntitlement(await at(PEOPLE.adlerViewer), { entitlementId: entitlement.id, transition: "activate" }), "forbidden", "entitlement.activate.denied");
    const stranger = await expectRefused(async () => transitionEntitlement(await at(PEOPLE.balticManager), { entitlementId: entitlement.id, transition: "activate" }), "not_found", "entitlement.activate.denied");
    const missing = await expectRefused(async () => transitionEntitlement(await at(PEOPLE.balticManager), { entitlementId: crypto.randomUUID(), transition: "activate" }), "not_found", "entitlement.activate.denied");
    expect(stranger.error.message).toBe(missing.error.message);
    await expectRefused(async () => readEntitlement(await at(PEOPLE.balticManager), { entitlementId: entitlement.id }), "not_found", "entitlement.read.denied");
    expect((await readEntitlement(await at(PEOPLE.adlerViewer), { entitlementId: entitlement.id })).serialNumber).toBe(entitlement.serialNumber);
  });
});

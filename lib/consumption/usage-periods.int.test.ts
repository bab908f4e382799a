import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { entitlementStops, nodeCapabilities, usageDaily } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ServiceContext } from "@/lib/service-context";
import { archiveNode, createNode, restoreNode } from "@/lib/tenants/service";
import { transitionEntitlement } from "./entitlements";
import { recordUsage } from "./usage";
import { activeEntitlement, catalogIds, consumptionSnapshot, PEOPLE } from "./write-test-support";

// Usage is accepted only on days an entitlement could accrue it: not while it was stopped (the stop
// day itself still counts, and the reactivation day counts again), and not for an archived organization.

const NOW = new Date("2026-03-20T12:00:00Z");

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let adler: string;
let products: Record<string, string>;

const { expectRefused } = writeChecks(() => db, () => consumptionSnapshot(db));

async function at(email: string): Promise<ServiceContext> {
  const ctx = await contextFor(db, email);
  return { ...ctx, authz: { ...ctx.authz, now: NOW } };
}

const row = (serialNumber: string, day: string) => ({ serialNumber, day, points: 1 });

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  products = await catalogIds(db, accountId);
  adler = await nodeId(db, "adler-logistik");
});

afterAll(async () => {
  await connection?.close();
});

describe("stop periods", () => {
  it("accepts days through the stop and from the reactivation, and refuses the days between with their period", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const entitlement = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000101", "2026-03-01");
    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "stop", day: "2026-03-05" });
    const serial = entitlement.serialNumber;

    const open = await expectRefused(() => recordUsage(manager, { nodeId: adler, rows: [row(serial, "2026-03-05"), row(serial, "2026-03-06")] }), "invalid");
    expect(open.error.details.fieldErrors).toEqual({ "rows.1": [`2026-03-06 is after ${serial} was stopped, on 2026-03-05: reactivate it before recording usage for later days.`] });

    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "reactivate", day: "2026-03-10" });
    const rows = ["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11"].map((day) => row(serial, day));
    const closed = await expectRefused(() => recordUsage(manager, { nodeId: adler, rows }), "invalid");
    expect(closed.error.details.fieldErrors).toEqual({
      "rows.2": [`2026-03-06 is while ${serial} was stopped (from 2026-03-05, reactivated on 2026-03-10).`],
      "rows.3": [`2026-03-09 is while ${serial} was stopped (from 2026-03-05, reactivated on 2026-03-10).`],
    });
    const accepted = await recordUsage(manager, { nodeId: adler, rows: rows.filter((_, index) => index !== 2 && index !== 3) });
    expect(accepted).toMatchObject({ inserted: 4, rejected: 0, imported: true });
    const days = await db.select({ day: usageDaily.day }).from(usageDaily).where(eq(usageDaily.entitlementId, entitlement.id)).orderBy(usageDaily.day);
    expect(days.map((stored) => stored.day)).toEqual(["2026-03-04", "2026-03-05", "2026-03-10", "2026-03-11"]);

    // A second stop keeps the first period: both refuse their days.
    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "stop", day: "2026-03-12" });
    const twice = await expectRefused(() => recordUsage(manager, { nodeId: adler, rows: [row(serial, "2026-03-07"), row(serial, "2026-03-13")] }), "invalid");
    expect(Object.keys(twice.error.details.fieldErrors!)).toEqual(["rows.0", "rows.1"]);
    const periods = await db.select({ from: entitlementStops.stoppedOn, to: entitlementStops.reactivatedOn }).from(entitlementStops).where(eq(entitlementStops.entitlementId, entitlement.id)).orderBy(entitlementStops.stoppedOn);
    expect(periods).toEqual([{ from: "2026-03-05", to: "2026-03-10" }, { from: "2026-03-12", to: null }]);
  });

  it("reopens the period when stopped again on its reactivation day", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const entitlement = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000102", "2026-03-01");
    for (const transition of ["stop", "reactivate", "stop"] as const) await transitionEntitlement(manager, { entitlementId: entitlement.id, transition, day: "2026-03-08" });
    const { error } = await expectRefused(() => recordUsage(manager, { nodeId: adler, rows: [row(entitlement.serialNumber, "2026-03-09")] }), "invalid");
    expect(error.details.fieldErrors!["rows.0"]![0]).toContain("was stopped, on 2026-03-08");
  });

  it("refuses a stop before recorded usage or before the entitlement became active, and a reactivation before the stop", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const entitlement = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000103", "2026-03-02");
    await recordUsage(manager, { nodeId: adler, rows: [row(entitlement.serialNumber, "2026-03-06")] });
    const used = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "stop", day: "2026-03-05" }), "invalid");
    expect(used.error.message).toBe("Usage is recorded up to 2026-03-06: stop the entitlement on that day or later.");
    const early = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "stop", day: "2026-03-01" }), "invalid");
    expect(early.error.message).toBe("The stop day cannot be before 2026-03-02, when the entitlement last became active.");
    await transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "stop", day: "2026-03-07" });
    const back = await expectRefused(() => transitionEntitlement(manager, { entitlementId: entitlement.id, transition: "reactivate", day: "2026-03-06" }), "invalid");
    expect(back.error.message).toBe("The reactivation day cannot be before the stop, on 2026-03-07.");
  });

  it("refuses a viewer's stop, writing no period", async () => {
    const entitlement = await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000104", "2026-03-02");
    await expectRefused(async () => transitionEntitlement(await at(PEOPLE.adlerViewer), { entitlementId: entitlement.id, transition: "stop" }), "forbidden", "entitlement.stop.denied");
  });
});

describe("archived organizations", () => {
  it("refuses usage for an archived organization or one under an archived node, and accepts it again once restored", async () => {
    const owner = await at(PEOPLE.owner);
    const emea = await nodeId(db, "emea");
    const group = await createNode(owner, { parentId: emea, kind: "group", name: "Archive Test OU" });
    const organization = await createNode(owner, { parentId: group.id, kind: "organization", name: "Dormant GmbH" });
    await db.insert(nodeCapabilities).values([group.id, organization.id].map((id) => ({ accountId, nodeId: id, capability: "flex" as const })));
    const entitlement = await activeEntitlement(db, accountId, { id: organization.id }, products["fortigate-vm"]!, "FGVMMLTM26000105", "2026-03-01");
    const rows = [row(entitlement.serialNumber, "2026-03-03")];

    await archiveNode(owner, { nodeId: organization.id });
    const archived = await expectRefused(() => recordUsage(owner, { nodeId: emea, rows }), "invalid");
    expect(archived.error.details.fieldErrors).toEqual({ "rows.0": [`${entitlement.serialNumber} belongs to Dormant GmbH, which is archived: restore it before recording usage.`] });
    await restoreNode(owner, { nodeId: organization.id });

    await archiveNode(owner, { nodeId: group.id });
    const under = await expectRefused(() => recordUsage(owner, { nodeId: emea, rows }), "invalid");
    expect(under.error.details.fieldErrors).toEqual({ "rows.0": [`${entitlement.serialNumber} belongs to Dormant GmbH, which is under Archive Test OU, archived: restore it before recording usage.`] });
    await restoreNode(owner, { nodeId: group.id });

    expect(await recordUsage(owner, { nodeId: emea, rows })).toMatchObject({ inserted: 1, imported: true });
  });
});

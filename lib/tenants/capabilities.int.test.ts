import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodeCapabilities, nodes, roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { nodeId, principalId } from "@/lib/access/test-support";
import { can, type Capability } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { removeCapability, setCapability } from "./capabilities";
import { createNode } from "./service";

const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";

const DAY = 24 * 60 * 60 * 1000;

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let counter = 0;

function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix} ${counter}`;
}

async function as(email: string): Promise<ServiceContext> {
  const authz = await loadAuthContext(db, await principalId(db, email));
  if (!authz) throw new Error(`no context for ${email}`);
  return { db, authz };
}

async function tables() {
  return {
    nodes: await db.select().from(nodes).orderBy(asc(nodes.id)),
    capabilities: await db.select().from(nodeCapabilities).orderBy(asc(nodeCapabilities.nodeId), asc(nodeCapabilities.capability)),
    assignments: await db.select().from(roleAssignments).orderBy(asc(roleAssignments.id)),
  };
}

const { expectRefused, expectAudited } = writeChecks(() => db, tables);

async function settingsOf(nodeId: string) {
  return db
    .select({ capability: nodeCapabilities.capability, expiresAt: nodeCapabilities.expiresAt })
    .from(nodeCapabilities)
    .where(eq(nodeCapabilities.nodeId, nodeId))
    .orderBy(asc(nodeCapabilities.capability));
}

async function effective(nodeId: string): Promise<Capability[]> {
  const node = await loadTreeNode(db, accountId, { id: nodeId });
  return [...node!.capabilities].sort();
}

/** A fresh node (created with no capabilities) given `capabilities` by the owner. */
async function freshNode(parentId: string, kind: "group" | "organization", capabilities: Capability[] = []) {
  const owner = await as(OWNER);
  const node = await createNode(owner, { parentId, kind, name: uniqueName(kind === "group" ? "Cap Group" : "Cap Org") });
  for (const capability of capabilities) await setCapability(owner, { nodeId: node.id, capability });
  return node;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
});

afterAll(async () => {
  await connection?.close();
});

describe("setCapability", () => {
  it("lets the owner give an organization a capability its parent has, with an audit event", async () => {
    const owner = await as(OWNER);
    const org = await freshNode(await nodeId(db, "emea-smb"), "organization");
    expect(await effective(org.id)).toEqual([]);
    const { result, event } = await expectAudited(() => setCapability(owner, { nodeId: org.id, capability: "flex" }));
    expect(result).toEqual({ nodeId: org.id, capability: "flex", expiresAt: null });
    expect(await settingsOf(org.id)).toEqual([{ capability: "flex", expiresAt: null }]);
    expect(await effective(org.id)).toEqual(["flex"]);
    expect(event).toMatchObject({
      accountId,
      action: "capability.set",
      actorId: owner.authz.principal.id,
      nodeId: org.id,
      targetType: "capability",
      targetId: "flex",
    });
    expect(event.summary).toEqual({ before: null, after: { expiresAt: null } });
  });

  it("stores an expiry in the future, and records the previous one when it changes", async () => {
    const owner = await as(OWNER);
    const org = await freshNode(await nodeId(db, "emea-smb"), "organization", ["assets"]);
    const expiresAt = new Date(Date.now() + 30 * DAY);
    const { result, event } = await expectAudited(() => setCapability(owner, { nodeId: org.id, capability: "assets", expiresAt: expiresAt.toISOString() }));
    expect(result.expiresAt).toEqual(expiresAt);
    expect(await settingsOf(org.id)).toEqual([{ capability: "assets", expiresAt }]);
    expect(event.summary).toEqual({ before: { expiresAt: null }, after: { expiresAt: expiresAt.toISOString() } });
    const node = await loadTreeNode(db, accountId, { id: org.id });
    expect(node!.capabilityExpiry).toEqual([{ capability: "assets", expiresAt }]);
  });

  it("gives a child the earliest expiry on its path", async () => {
    const owner = await as(OWNER);
    const group = await freshNode(await nodeId(db, "regions"), "group");
    const groupExpiry = new Date(Date.now() + 10 * DAY);
    await setCapability(owner, { nodeId: group.id, capability: "flex", expiresAt: groupExpiry });
    const org = await freshNode(group.id, "organization");
    await setCapability(owner, { nodeId: org.id, capability: "flex", expiresAt: new Date(Date.now() + 90 * DAY) });
    const node = await loadTreeNode(db, accountId, { id: org.id });
    expect(node!.capabilityExpiry).toEqual([{ capability: "flex", expiresAt: groupExpiry }]);
  });

  it("refuses an expiry in the past as invalid, writing nothing", async () => {
    const owner = await as(OWNER);
    const org = await freshNode(await nodeId(db, "emea-smb"), "organization");
    const { error } = await expectRefused(
      () => setCapability(owner, { nodeId: org.id, capability: "flex", expiresAt: new Date(Date.now() - DAY).toISOString() }),
      "invalid",
    );
    expect(error.details.fieldErrors?.expiresAt).toBeDefined();
  });

  it("refuses an unknown capability, a non-uuid node and a date that is not one, as invalid", async () => {
    const owner = await as(OWNER);
    const org = await nodeId(db, "adler-logistik");
    const unknown = await expectRefused(() => setCapability(owner, { nodeId: org, capability: "teleport" }), "invalid");
    expect(unknown.error.details.fieldErrors?.capability).toBeDefined();
    const badId = await expectRefused(() => setCapability(owner, { nodeId: "adler-logistik", capability: "flex" }), "invalid");
    expect(badId.error.details.fieldErrors?.nodeId).toBeDefined();
    const badDate = await expectRefused(() => setCapability(owner, { nodeId: org, capability: "flex", expiresAt: "next tuesday" }), "invalid");
    expect(badDate.error.details.fieldErrors?.expiresAt).toBeDefined();
  });

  it("lets the EMEA admin set a capability on an EMEA organization", async () => {
    const org = await freshNode(await nodeId(db, "emea-enterprise"), "organization");
    const emma = await as(EMEA_ADMIN);
    const { event } = await expectAudited(() => setCapability(emma, { nodeId: org.id, capability: "policies" }));
    expect(event).toMatchObject({ action: "capability.set", actorId: emma.authz.principal.id, nodeId: org.id, targetId: "policies" });
    expect(await effective(org.id)).toEqual(["policies"]);
  });

  it("refuses the EMEA admin on the EMEA group itself, whose parent lies outside their scope", async () => {
    const emma = await as(EMEA_ADMIN);
    const emea = await nodeId(db, "emea");
    const { events } = await expectRefused(() => setCapability(emma, { nodeId: emea, capability: "flex" }), "forbidden", "capability.set.denied");
    expect(events[0]).toMatchObject({ actorId: emma.authz.principal.id, nodeId: emea });
  });

  it("answers not_found to the EMEA admin for an Americas organization, as for an id that does not exist", async () => {
    const emma = await as(EMEA_ADMIN);
    const hidden = await expectRefused(async () => setCapability(emma, { nodeId: await nodeId(db, "pioneer-rail"), capability: "flex" }), "not_found", "capability.set.denied");
    const missing = await expectRefused(() => setCapability(emma, { nodeId: crypto.randomUUID(), capability: "flex" }), "not_found", "capability.set.denied");
    expect(hidden.error.message).toBe(missing.error.message);
  });

  it("refuses a customer viewer who sets a capability on their own organization", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    await expectRefused(async () => setCapability(viewer, { nodeId: await nodeId(db, "adler-logistik"), capability: "sso" }), "forbidden", "capability.set.denied");
  });

  it("refuses to change the account's own capabilities, recording the denial", async () => {
    const owner = await as(OWNER);
    await expectRefused(() => setCapability(owner, { nodeId: accountId, capability: "flex" }), "forbidden", "capability.set.denied");
  });

  it("refuses a capability the parent does not have: after removing api from a group, its child cannot be given api", async () => {
    const owner = await as(OWNER);
    const group = await freshNode(await nodeId(db, "regions"), "group", ["api", "flex"]);
    const org = await freshNode(group.id, "organization");
    await setCapability(owner, { nodeId: org.id, capability: "api" });
    await removeCapability(owner, { nodeId: org.id, capability: "api" });

    await removeCapability(owner, { nodeId: group.id, capability: "api" });
    await expectRefused(() => setCapability(owner, { nodeId: org.id, capability: "api" }), "invalid");
    // What the group still has, it still gives.
    await setCapability(owner, { nodeId: org.id, capability: "flex" });
    expect(await effective(org.id)).toEqual(["flex"]);
  });

  it("refuses a capability the parent has only expired", async () => {
    const owner = await as(OWNER);
    const group = await freshNode(await nodeId(db, "regions"), "group", ["sso"]);
    await db
      .update(nodeCapabilities)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(nodeCapabilities.nodeId, group.id), eq(nodeCapabilities.capability, "sso")));
    const org = await freshNode(group.id, "organization");
    await expectRefused(() => setCapability(owner, { nodeId: org.id, capability: "sso" }), "invalid");
  });

  describe("reseller", () => {
    it("is given by the owner to an organization directly under a group", async () => {
      const owner = await as(OWNER);
      const org = await freshNode(await nodeId(db, "partners"), "organization");
      await expectAudited(() => setCapability(owner, { nodeId: org.id, capability: "reseller" }));
      expect(await effective(org.id)).toContain("reseller");
    });

    it("is given to an organization directly under the account", async () => {
      const owner = await as(OWNER);
      const org = await freshNode(accountId, "organization");
      await setCapability(owner, { nodeId: org.id, capability: "reseller" });
      expect(await effective(org.id)).toContain("reseller");
    });

    it("is refused on a group", async () => {
      const owner = await as(OWNER);
      const group = await freshNode(await nodeId(db, "partners"), "group");
      await expectRefused(() => setCapability(owner, { nodeId: group.id, capability: "reseller" }), "invalid");
    });

    it("is refused on a reseller's customer organization", async () => {
      const owner = await as(OWNER);
      await expectRefused(async () => setCapability(owner, { nodeId: await nodeId(db, "greenfield-pharmacy"), capability: "reseller" }), "invalid");
    });

    it("needs capability.assign on the account: the EMEA admin cannot make an EMEA organization a reseller", async () => {
      const org = await freshNode(await nodeId(db, "emea-smb"), "organization");
      const emma = await as(EMEA_ADMIN);
      await expectRefused(() => setCapability(emma, { nodeId: org.id, capability: "reseller" }), "forbidden", "capability.set.denied");
    });

    it("cannot be removed from a reseller that still has customer organizations", async () => {
      const owner = await as(OWNER);
      const fabrikam = await nodeId(db, "fabrikam-partners");
      await expectRefused(() => removeCapability(owner, { nodeId: fabrikam, capability: "reseller" }), "conflict");
      expect(await effective(fabrikam)).toContain("reseller");
    });

    it("is removed from a reseller without customers", async () => {
      const owner = await as(OWNER);
      const org = await freshNode(await nodeId(db, "partners"), "organization", ["reseller"]);
      const { event } = await expectAudited(() => removeCapability(owner, { nodeId: org.id, capability: "reseller" }));
      expect(event).toMatchObject({ action: "capability.remove", nodeId: org.id, targetId: "reseller" });
      expect(await effective(org.id)).not.toContain("reseller");
    });

    it("cannot be removed by the reseller's own owner, who has no say on the account", async () => {
      const nora = await as(RESELLER_OWNER);
      await expectRefused(async () => removeCapability(nora, { nodeId: await nodeId(db, "fabrikam-partners"), capability: "reseller" }), "forbidden", "capability.remove.denied");
    });
  });
});

describe("removeCapability", () => {
  it("removes a capability with an audit event, and everything below loses it: even the owner cannot read assets there", async () => {
    const owner = await as(OWNER);
    const group = await freshNode(await nodeId(db, "regions"), "group", ["assets", "flex"]);
    const middle = await freshNode(group.id, "group", ["assets", "flex"]);
    const org = await freshNode(middle.id, "organization", ["assets", "flex"]);
    const before = await loadTreeNode(db, accountId, { id: org.id });
    expect(can(owner.authz, "asset.read", before!)).toBe(true);

    const { event } = await expectAudited(() => removeCapability(owner, { nodeId: group.id, capability: "assets" }));
    expect(event).toMatchObject({ action: "capability.remove", actorId: owner.authz.principal.id, nodeId: group.id, targetType: "capability", targetId: "assets" });
    expect(event.summary).toEqual({ before: { expiresAt: null } });
    expect(await settingsOf(group.id)).toEqual([{ capability: "flex", expiresAt: null }]);

    const after = await loadTreeNode(db, accountId, { id: org.id });
    expect([...after!.capabilities]).not.toContain("assets");
    expect([...after!.capabilities]).toContain("flex");
    expect([...(await loadTreeNode(db, accountId, { id: middle.id }))!.capabilities]).not.toContain("assets");
    const fresh = await as(OWNER);
    expect(can(fresh.authz, "asset.read", after!)).toBe(false);
    expect(can(fresh.authz, "consumption.read", after!)).toBe(true);
    expect(can(fresh.authz, "tenant.read", after!)).toBe(true);
  });

  it("lets the EMEA admin remove a capability from an EMEA organization", async () => {
    const org = await freshNode(await nodeId(db, "emea-smb"), "organization", ["flex"]);
    const emma = await as(EMEA_ADMIN);
    await expectAudited(() => removeCapability(emma, { nodeId: org.id, capability: "flex" }));
    expect(await settingsOf(org.id)).toEqual([]);
  });

  it("refuses the EMEA admin on the EMEA group itself", async () => {
    const emma = await as(EMEA_ADMIN);
    await expectRefused(async () => removeCapability(emma, { nodeId: await nodeId(db, "emea"), capability: "flex" }), "forbidden", "capability.remove.denied");
  });

  it("answers not_found to the EMEA admin for an Americas organization", async () => {
    const emma = await as(EMEA_ADMIN);
    await expectRefused(async () => removeCapability(emma, { nodeId: await nodeId(db, "pioneer-rail"), capability: "flex" }), "not_found", "capability.remove.denied");
  });

  it("refuses a customer viewer", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    await expectRefused(async () => removeCapability(viewer, { nodeId: await nodeId(db, "adler-logistik"), capability: "flex" }), "forbidden", "capability.remove.denied");
  });

  it("lets an account Manager remove a capability from a group under the account", async () => {
    const group = await freshNode(await nodeId(db, "partners"), "group", ["sso"]);
    const sofia = await as(ACCOUNT_MANAGER);
    await expectAudited(() => removeCapability(sofia, { nodeId: group.id, capability: "sso" }));
  });

  it("answers not_found for a capability the node does not have set", async () => {
    const owner = await as(OWNER);
    const org = await freshNode(await nodeId(db, "emea-smb"), "organization");
    await expectRefused(() => removeCapability(owner, { nodeId: org.id, capability: "sso" }), "not_found");
  });

  it("refuses bad input as invalid", async () => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(() => removeCapability(owner, { nodeId: "nope", capability: "everything" }), "invalid");
    expect(Object.keys(error.details.fieldErrors ?? {}).sort()).toEqual(["capability", "nodeId"]);
  });
});

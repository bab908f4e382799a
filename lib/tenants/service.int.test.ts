import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodeCapabilities, nodes, principals, roleAssignments, roles, type Node } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId, writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { nodeId, principalId } from "@/lib/access/test-support";
import { can } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import {
  MAX_DEPTH,
  archiveNode,
  createNode,
  deleteNode,
  moveNode,
  previewMove,
  renameNode,
  restoreNode,
  tagNode,
  updateNodeDetails,
} from "./service";

const OWNER = "ava.thompson@northwind.example";
const SECOND_OWNER = "liam.carter@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const ACCOUNT_VIEWER = "grace.kim@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const AMERICAS_ADMIN = "lucas.oliveira@northwind.example";
const DISABLED_EMEA_ADMIN = "oscar.lindqvist@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let otherAccountGroupId: string;
let counter = 0;

/** A name no other test uses, so that tests do not depend on each other's nodes. */
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix} ${counter}`;
}

/** A fresh service context, loaded like a request would load it. */
async function as(emailOrId: string): Promise<ServiceContext> {
  const id = emailOrId.includes("@") ? await principalId(db, emailOrId) : emailOrId;
  const authz = await loadAuthContext(db, id);
  if (!authz) throw new Error(`no context for ${emailOrId}`);
  return { db, authz };
}

async function nodeRow(id: string): Promise<Node | undefined> {
  const [row] = await db.select().from(nodes).where(eq(nodes.id, id));
  return row;
}

/** Every row a tenant service could write, apart from the audit trail. */
async function tables() {
  return {
    nodes: await db.select().from(nodes).orderBy(asc(nodes.id)),
    capabilities: await db.select().from(nodeCapabilities).orderBy(asc(nodeCapabilities.nodeId), asc(nodeCapabilities.capability)),
    principals: await db.select().from(principals).orderBy(asc(principals.id)),
    assignments: await db.select().from(roleAssignments).orderBy(asc(roleAssignments.id)),
    roles: await db.select().from(roles).orderBy(asc(roles.id)),
  };
}

const { expectRefused, expectAudited } = writeChecks(() => db, tables);

async function create(ctx: ServiceContext, parentId: string, kind: "group" | "organization", name = uniqueName(kind === "group" ? "Test Group" : "Test Org")) {
  return createNode(ctx, { parentId, kind, name });
}

/** A chain of groups from `parentId` down to depth MAX_DEPTH; returns them top-down. */
async function chainToMaxDepth(parentId: string): Promise<Node[]> {
  const owner = await as(OWNER);
  const chain: Node[] = [];
  let parent = (await nodeRow(parentId))!;
  while (parent.depth < MAX_DEPTH) {
    parent = await create(owner, parent.id, "group", uniqueName("Deep Group"));
    chain.push(parent);
  }
  return chain;
}

/** Every node of the account sits where its parent says: path = parent path + id + "/", depth = parent depth + 1. */
async function expectConsistentTree(): Promise<Map<string, Node>> {
  const rows = await db.select().from(nodes).where(eq(nodes.accountId, accountId));
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) {
    if (row.kind === "account") {
      expect(row.path).toBe(`${row.id}/`);
      expect(row.depth).toBe(0);
      continue;
    }
    const parent = byId.get(row.parentId!);
    expect(parent, `parent of ${row.slug}`).toBeDefined();
    expect(row.accountId).toBe(accountId);
    expect(row.path, row.slug).toBe(`${parent!.path}${row.id}/`);
    expect(row.depth, row.slug).toBe(parent!.depth + 1);
  }
  return byId;
}

async function canRead(email: string, nodeId: string): Promise<boolean> {
  const ctx = await as(email);
  const node = await loadTreeNode(db, accountId, { id: nodeId });
  return can(ctx.authz, "tenant.read", node!);
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  const report = await seedDemo(db, { password: "test-password-123" });
  accountId = report.accountId;

  // Another account, for moves that would cross accounts.
  const otherAccountId = crypto.randomUUID();
  otherAccountGroupId = crypto.randomUUID();
  await db.insert(nodes).values([
    { id: otherAccountId, accountId: otherAccountId, kind: "account", name: "Contoso", slug: "contoso", path: `${otherAccountId}/`, depth: 0 },
    {
      id: otherAccountGroupId,
      accountId: otherAccountId,
      parentId: otherAccountId,
      kind: "group",
      name: "Contoso Group",
      slug: "contoso-group",
      path: `${otherAccountId}/${otherAccountGroupId}/`,
      depth: 1,
    },
  ]);
});

afterAll(async () => {
  await connection?.close();
});

describe("createNode", () => {
  it("creates an organization under a group, with its path, depth, normalised tags and an audit event", async () => {
    const owner = await as(OWNER);
    const parent = (await nodeRow(await nodeId(db, "emea-smb")))!;
    const { result: created, event } = await expectAudited(async () =>
      createNode(owner, { parentId: parent.id, kind: "organization", name: "  Quiet Harbour Labs ", tags: ["Env:Prod", "env:prod", "tier:smb"] }),
    );
    const stored = (await nodeRow(created.id))!;
    expect(stored).toMatchObject({
      accountId,
      parentId: parent.id,
      kind: "organization",
      name: "Quiet Harbour Labs",
      slug: "quiet-harbour-labs",
      path: `${parent.path}${created.id}/`,
      depth: parent.depth + 1,
      tags: ["env:prod", "tier:smb"],
      status: "active",
      version: 1,
    });
    expect(event).toMatchObject({
      accountId,
      action: "node.create",
      actorId: owner.authz.principal.id,
      actingAs: "user",
      nodeId: created.id,
      targetType: "node",
      targetId: created.id,
    });
    expect(event.summary).toEqual({
      after: { name: "Quiet Harbour Labs", slug: "quiet-harbour-labs", kind: "organization", parentId: parent.id, tags: ["env:prod", "tier:smb"], status: "active", version: 1 },
    });
  });

  it("generates the slug from the name and makes it unique with -2, -3", async () => {
    const owner = await as(OWNER);
    const parentId = await nodeId(db, "emea-enterprise");
    const first = await createNode(owner, { parentId, kind: "organization", name: "Adler Logistik" });
    expect(first.slug).toBe("adler-logistik-2");
    const second = await createNode(owner, { parentId, kind: "organization", name: "Adler  Logistik!" });
    expect(second.slug).toBe("adler-logistik-3");
  });

  it("keeps a slug given explicitly, in lowercase", async () => {
    const owner = await as(OWNER);
    const created = await createNode(owner, { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "Explicit Slug Co", slug: "Explicit-Co" });
    expect(created.slug).toBe("explicit-co");
  });

  it("refuses a slug that is already taken in the account, writing nothing", async () => {
    const owner = await as(OWNER);
    const parentId = await nodeId(db, "emea-smb");
    const { error } = await expectRefused(async () => createNode(owner, { parentId, kind: "organization", name: "Another Adler", slug: "adler-logistik" }), "conflict");
    expect(error.details.fieldErrors?.slug).toBeDefined();
  });

  it("accepts a slug that another account uses", async () => {
    const owner = await as(OWNER);
    const created = await createNode(owner, { parentId: await nodeId(db, "partners"), kind: "group", name: "Contoso Lookalike", slug: "contoso-group" });
    expect(created.slug).toBe("contoso-group");
  });

  it.each([
    ["an empty name", { name: "   " }, "name"],
    ["a bad slug", { slug: "Bad Slug!" }, "slug"],
    ["a slug with a double hyphen", { slug: "bad--slug" }, "slug"],
    ["a tag without a colon", { tags: ["no-colon"] }, "tags"],
    ["a non-uuid parent", { parentId: "emea" }, "parentId"],
    ["an unknown kind", { kind: "account" }, "kind"],
  ])("refuses %s as invalid with field errors, writing nothing", async (_label, change, field) => {
    const owner = await as(OWNER);
    const input = { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "Valid Name", ...change };
    const { error } = await expectRefused(async () => createNode(owner, input), "invalid");
    expect(error.details.fieldErrors?.[field]).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it("refuses a viewer who creates a node on a node they can read, and records the denial", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    const adler = await nodeId(db, "adler-logistik");
    const { events } = await expectRefused(async () => create(viewer, adler, "organization"), "forbidden", "node.create.denied");
    expect(events[0]).toMatchObject({ actorId: viewer.authz.principal.id, nodeId: adler });

    const accountViewer = await as(ACCOUNT_VIEWER);
    await expectRefused(async () => create(accountViewer, accountId, "group"), "forbidden", "node.create.denied");
  });

  it("answers not_found to the EMEA admin creating under an Americas node, exactly as for an id that does not exist", async () => {
    const emma = await as(EMEA_ADMIN);
    const hidden = await expectRefused(async () => create(emma, await nodeId(db, "americas-smb"), "organization"), "not_found", "node.create.denied");
    const missing = await expectRefused(async () => create(emma, crypto.randomUUID(), "organization"), "not_found", "node.create.denied");
    expect(hidden.error.message).toBe(missing.error.message);
    expect(missing.events[0]!.nodeId).toBeNull();
  });

  it("refuses a disabled admin as if the node did not exist", async () => {
    const oscar = await as(DISABLED_EMEA_ADMIN);
    await expectRefused(async () => create(oscar, await nodeId(db, "emea"), "group"), "not_found", "node.create.denied");
  });

  it("lets the EMEA admin create a group inside EMEA", async () => {
    const emma = await as(EMEA_ADMIN);
    const { result, event } = await expectAudited(async () => create(emma, await nodeId(db, "emea"), "group"));
    expect(result.parentId).toBe(await nodeId(db, "emea"));
    expect(event).toMatchObject({ action: "node.create", actorId: emma.authz.principal.id, nodeId: result.id });
  });

  it("refuses a group under an organization", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => create(owner, await nodeId(db, "baltic-freight-lines"), "group"), "invalid");
  });

  it("refuses an organization under an organization that is not a reseller", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => create(owner, await nodeId(db, "baltic-freight-lines"), "organization"), "invalid");
  });

  it("creates a customer organization under a reseller organization", async () => {
    const owner = await as(OWNER);
    const reseller = (await nodeRow(await nodeId(db, "fabrikam-partners")))!;
    const created = await create(owner, reseller.id, "organization");
    expect(created).toMatchObject({ parentId: reseller.id, depth: reseller.depth + 1, kind: "organization" });
  });

  it("refuses a group under a reseller organization: its children must be organizations", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => create(owner, await nodeId(db, "fabrikam-partners"), "group"), "invalid");
  });

  it("refuses an organization under a reseller's customer organization", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => create(owner, await nodeId(db, "greenfield-pharmacy"), "organization"), "invalid");
  });

  it(`allows nodes down to depth MAX_DEPTH (${MAX_DEPTH}) and refuses one level more`, async () => {
    expect(MAX_DEPTH).toBe(9);
    const chain = await chainToMaxDepth(accountId);
    const deepest = chain[chain.length - 1]!;
    expect(deepest.depth).toBe(MAX_DEPTH);
    const owner = await as(OWNER);
    await expectRefused(async () => create(owner, deepest.id, "group"), "invalid");
    await expectRefused(async () => create(owner, deepest.id, "organization"), "invalid");
    // One level up still has room.
    const sibling = await create(owner, chain[chain.length - 2]!.id, "organization");
    expect(sibling.depth).toBe(MAX_DEPTH);
  });

  it("falls back to the slug \"node\" for a name without latin letters or digits, made unique", async () => {
    const owner = await as(OWNER);
    const parentId = await nodeId(db, "apac-smb");
    const first = await createNode(owner, { parentId, kind: "organization", name: "東京" });
    const second = await createNode(owner, { parentId, kind: "organization", name: "大阪" });
    expect(first.slug).toMatch(/^node(-[0-9]+)?$/);
    expect(second.slug).toMatch(/^node-[0-9]+$/);
    expect(second.slug).not.toBe(first.slug);
  });

  it("keeps a generated unique slug within 63 characters", async () => {
    const owner = await as(OWNER);
    const parentId = await nodeId(db, "apac-smb");
    const name = "A Very Long Customer Name That Goes On And On Past The Slug Limit Of Sixty Three";
    const first = await createNode(owner, { parentId, kind: "organization", name });
    const second = await createNode(owner, { parentId, kind: "organization", name });
    expect(first.slug.length).toBeLessThanOrEqual(63);
    expect(second.slug).not.toBe(first.slug);
    expect(second.slug.length).toBeLessThanOrEqual(63);
  });

  it("refuses to create anything below an archived node, even under its active descendants", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group");
    const child = await create(owner, group.id, "group");
    await archiveNode(owner, { nodeId: group.id });
    await expectRefused(async () => create(owner, child.id, "organization"), "invalid");
  });

  it("refuses to create anything under an archived node", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group");
    await archiveNode(owner, { nodeId: group.id });
    await expectRefused(async () => create(owner, group.id, "organization"), "invalid");
    await expectRefused(async () => create(owner, group.id, "group"), "invalid");
  });
});

describe("renameNode", () => {
  it("renames a node, bumps its version and records the name before and after", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group", uniqueName("Old Name"));
    const { result, event } = await expectAudited(async () => renameNode(owner, { nodeId: group.id, name: " New Name ", expectedVersion: 1 }));
    expect(result).toMatchObject({ id: group.id, name: "New Name", slug: group.slug, version: 2 });
    expect((await nodeRow(group.id))!.name).toBe("New Name");
    expect(event).toMatchObject({ action: "node.rename", actorId: owner.authz.principal.id, nodeId: group.id, targetType: "node", targetId: group.id });
    const summary = event.summary as { before: { name: string; version: number }; after: { name: string; version: number } };
    expect(summary.before).toMatchObject({ name: group.name, version: 1 });
    expect(summary.after).toMatchObject({ name: "New Name", version: 2 });
  });

  it("lets the EMEA admin rename an EMEA organization", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    const emma = await as(EMEA_ADMIN);
    const { event } = await expectAudited(async () => renameNode(emma, { nodeId: org.id, name: "Renamed By Emma" }));
    expect(event).toMatchObject({ action: "node.rename", actorId: emma.authz.principal.id, nodeId: org.id });
  });

  it("refuses a viewer who renames a node they can read, and records the denial", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    const adler = await nodeId(db, "adler-logistik");
    const { events } = await expectRefused(async () => renameNode(viewer, { nodeId: adler, name: "Mine Now" }), "forbidden", "node.rename.denied");
    expect(events[0]).toMatchObject({ actorId: viewer.authz.principal.id, nodeId: adler });
  });

  it("answers not_found to the EMEA admin renaming an Americas node, as for an id that does not exist", async () => {
    const emma = await as(EMEA_ADMIN);
    const hidden = await expectRefused(async () => renameNode(emma, { nodeId: await nodeId(db, "pioneer-rail"), name: "X" }), "not_found", "node.rename.denied");
    const missing = await expectRefused(async () => renameNode(emma, { nodeId: crypto.randomUUID(), name: "X" }), "not_found", "node.rename.denied");
    expect(hidden.error.message).toBe(missing.error.message);
  });

  it("refuses an empty name and a non-uuid id as invalid, writing nothing", async () => {
    const owner = await as(OWNER);
    const emeaSmb = await nodeId(db, "emea-smb");
    const empty = await expectRefused(async () => renameNode(owner, { nodeId: emeaSmb, name: "" }), "invalid");
    expect(empty.error.details.fieldErrors?.name).toBeDefined();
    const badId = await expectRefused(async () => renameNode(owner, { nodeId: "not-a-uuid", name: "Fine" }), "invalid");
    expect(badId.error.details.fieldErrors?.nodeId).toBeDefined();
  });

  it("refuses a stale expectedVersion with precondition_failed, writing nothing", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group");
    await renameNode(owner, { nodeId: group.id, name: "Changed Once" });
    await expectRefused(async () => renameNode(owner, { nodeId: group.id, name: "Changed Twice", expectedVersion: 1 }), "precondition_failed");
    expect((await nodeRow(group.id))!).toMatchObject({ name: "Changed Once", version: 2 });
  });
});

describe("tagNode", () => {
  it("replaces a node's tags, lowercased, deduplicated and sorted, with an audit event", async () => {
    const owner = await as(OWNER);
    const org = await createNode(owner, { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: uniqueName("Tagged Org"), tags: ["old:tag"] });
    const { result, event } = await expectAudited(async () => tagNode(owner, { nodeId: org.id, tags: ["Tier:Gold", "region:emea", "tier:gold"] }));
    expect(result.tags).toEqual(["region:emea", "tier:gold"]);
    expect(result.version).toBe(2);
    expect(event).toMatchObject({ action: "node.tag", actorId: owner.authz.principal.id, nodeId: org.id });
    expect(event.summary).toMatchObject({ before: { tags: ["old:tag"] }, after: { tags: ["region:emea", "tier:gold"] } });
  });

  it("refuses a tag without a colon as invalid, writing nothing", async () => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(async () => tagNode(owner, { nodeId: await nodeId(db, "emea-smb"), tags: ["no-colon"] }), "invalid");
    expect(error.details.fieldErrors?.tags).toBeDefined();
  });

  it("refuses a viewer who tags a node", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    await expectRefused(async () => tagNode(viewer, { nodeId: await nodeId(db, "adler-logistik"), tags: ["vip:yes"] }), "forbidden", "node.tag.denied");
  });

  it("answers not_found to the EMEA admin tagging an Americas node", async () => {
    const emma = await as(EMEA_ADMIN);
    await expectRefused(async () => tagNode(emma, { nodeId: await nodeId(db, "americas"), tags: ["vip:yes"] }), "not_found", "node.tag.denied");
  });

  it("refuses a stale expectedVersion", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => tagNode(owner, { nodeId: org.id, tags: ["a:b"], expectedVersion: 7 }), "precondition_failed");
  });
});

describe("updateNodeDetails", () => {
  it("renames and retags in one change: one new version, an event for each part, in one transaction", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    const since = await lastEventId(db);
    const result = await updateNodeDetails(owner, { nodeId: org.id, name: "Both At Once", tags: ["Tier:Gold"], expectedVersion: 1 });
    expect(result).toMatchObject({ id: org.id, name: "Both At Once", tags: ["tier:gold"], version: 2 });
    const events = await eventsSince(db, since);
    expect(events.map((event) => event.action)).toEqual(["node.rename", "node.tag"]);
    for (const event of events) {
      expect(event).toMatchObject({ actorId: owner.authz.principal.id, nodeId: org.id, targetId: org.id });
      expect(event.summary).toMatchObject({ before: { name: org.name, tags: [], version: 1 }, after: { name: "Both At Once", tags: ["tier:gold"], version: 2 } });
    }
  });

  it("changes only what is sent, with that part's event", async () => {
    const owner = await as(OWNER);
    const org = await createNode(owner, { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: uniqueName("Kept Name"), tags: ["keep:me"] });
    const { result, event } = await expectAudited(async () => updateNodeDetails(owner, { nodeId: org.id, name: "Only The Name" }));
    expect(result).toMatchObject({ name: "Only The Name", tags: ["keep:me"], version: 2 });
    expect(event.action).toBe("node.rename");
  });

  it("writes nothing when one part is invalid, and names the field", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    const { error } = await expectRefused(async () => updateNodeDetails(owner, { nodeId: org.id, name: "Fine Name", tags: ["no-colon"] }), "invalid");
    expect(Object.keys(error.details.fieldErrors ?? {})).toEqual(["tags"]);
    await expectRefused(async () => updateNodeDetails(owner, { nodeId: org.id }), "invalid");
  });

  it("refuses a viewer (recorded once), a hidden node like a missing one, and a stale version, writing nothing", async () => {
    const adler = await nodeId(db, "adler-logistik");
    await expectRefused(async () => updateNodeDetails(await as(CUSTOMER_VIEWER), { nodeId: adler, name: "Mine", tags: ["vip:yes"] }), "forbidden", "node.update.denied");
    const emma = await as(EMEA_ADMIN);
    const hidden = await expectRefused(async () => updateNodeDetails(emma, { nodeId: await nodeId(db, "americas"), name: "X", tags: [] }), "not_found", "node.update.denied");
    const missing = await expectRefused(async () => updateNodeDetails(emma, { nodeId: crypto.randomUUID(), name: "X", tags: [] }), "not_found", "node.update.denied");
    expect(hidden.error.message).toBe(missing.error.message);
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => updateNodeDetails(owner, { nodeId: org.id, name: "Late", tags: ["a:b"], expectedVersion: 2 }), "precondition_failed");
  });
});

describe("archiveNode and restoreNode", () => {
  it("archives a node and restores it, each with an audit event", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    const archived = await expectAudited(async () => archiveNode(owner, { nodeId: org.id }));
    expect(archived.result).toMatchObject({ status: "archived", version: 2 });
    expect((await nodeRow(org.id))!.status).toBe("archived");
    expect(archived.event).toMatchObject({ action: "node.archive", actorId: owner.authz.principal.id, nodeId: org.id });
    expect(archived.event.summary).toMatchObject({ before: { status: "active" }, after: { status: "archived" } });

    const restored = await expectAudited(async () => restoreNode(owner, { nodeId: org.id }));
    expect(restored.result).toMatchObject({ status: "active", version: 3 });
    expect((await nodeRow(org.id))!.status).toBe("active");
    expect(restored.event).toMatchObject({ action: "node.restore", actorId: owner.authz.principal.id, nodeId: org.id });
    expect(restored.event.summary).toMatchObject({ before: { status: "archived" }, after: { status: "active" } });
  });

  it("lets nodes be created under a node again once it is restored", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group");
    await archiveNode(owner, { nodeId: group.id });
    await expectRefused(async () => create(owner, group.id, "organization"), "invalid");
    await restoreNode(owner, { nodeId: group.id });
    const child = await create(owner, group.id, "organization");
    expect(child.parentId).toBe(group.id);
  });

  it("refuses to archive the account", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => archiveNode(owner, { nodeId: accountId }), "invalid");
  });

  it("refuses a viewer who archives or restores a node", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    const adler = await nodeId(db, "adler-logistik");
    await expectRefused(async () => archiveNode(viewer, { nodeId: adler }), "forbidden", "node.archive.denied");
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await archiveNode(owner, { nodeId: org.id });
    const accountViewer = await as(ACCOUNT_VIEWER);
    await expectRefused(async () => restoreNode(accountViewer, { nodeId: org.id }), "forbidden", "node.restore.denied");
    expect((await nodeRow(org.id))!.status).toBe("archived");
  });

  it("answers not_found to the EMEA admin archiving an Americas node", async () => {
    const emma = await as(EMEA_ADMIN);
    await expectRefused(async () => archiveNode(emma, { nodeId: await nodeId(db, "pioneer-rail") }), "not_found", "node.archive.denied");
  });

  it("refuses a non-uuid id", async () => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(async () => archiveNode(owner, { nodeId: "123" }), "invalid");
    expect(error.details.fieldErrors?.nodeId).toBeDefined();
  });
});

describe("deleteNode", () => {
  it("deletes an empty archived node with its capability settings, recording the event on the parent", async () => {
    const owner = await as(OWNER);
    const parentId = await nodeId(db, "emea-smb");
    const org = await create(owner, parentId, "organization");
    await db.insert(nodeCapabilities).values({ accountId, nodeId: org.id, capability: "flex" });
    await archiveNode(owner, { nodeId: org.id });
    const { event } = await expectAudited(async () => deleteNode(owner, { nodeId: org.id }));
    expect(await nodeRow(org.id)).toBeUndefined();
    expect(await db.select().from(nodeCapabilities).where(eq(nodeCapabilities.nodeId, org.id))).toEqual([]);
    expect(event).toMatchObject({ action: "node.delete", actorId: owner.authz.principal.id, nodeId: parentId, targetType: "node", targetId: org.id });
    expect(event.summary).toMatchObject({ before: { name: org.name, slug: org.slug, status: "archived" } });
  });

  it("refuses to delete a node that is not archived", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => deleteNode(owner, { nodeId: org.id }), "invalid");
  });

  it("refuses to delete an archived node that has children", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group");
    await create(owner, group.id, "organization");
    await archiveNode(owner, { nodeId: group.id });
    await expectRefused(async () => deleteNode(owner, { nodeId: group.id }), "conflict");
  });

  it("refuses to delete an archived node that is a member's home", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await db.insert(principals).values({ accountId, homeNodeId: org.id, kind: "user", email: `${org.slug}@example.test`, name: "Home Member", status: "active" });
    await archiveNode(owner, { nodeId: org.id });
    await expectRefused(async () => deleteNode(owner, { nodeId: org.id }), "conflict");
  });

  it("refuses to delete an archived node that holds role assignments", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    const [viewerRole] = await db.select({ id: roles.id }).from(roles).where(and(eq(roles.key, "viewer"), eq(roles.builtin, true)));
    await db.insert(roleAssignments).values({ accountId, principalId: await principalId(db, ACCOUNT_VIEWER), nodeId: org.id, roleId: viewerRole!.id });
    await archiveNode(owner, { nodeId: org.id });
    await expectRefused(async () => deleteNode(owner, { nodeId: org.id }), "conflict");
  });

  it("refuses to delete the account", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => deleteNode(owner, { nodeId: accountId }), "invalid");
  });

  it("refuses a viewer who deletes a node, and answers not_found outside the EMEA admin's scope", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "americas-smb"), "organization");
    await archiveNode(owner, { nodeId: org.id });
    await expectRefused(async () => deleteNode(await as(ACCOUNT_VIEWER), { nodeId: org.id }), "forbidden", "node.delete.denied");
    await expectRefused(async () => deleteNode(await as(EMEA_ADMIN), { nodeId: org.id }), "not_found", "node.delete.denied");
    expect(await nodeRow(org.id)).toBeDefined();
  });
});

describe("previewMove and moveNode", () => {
  it("previews who gains and who loses access when an organization moves from EMEA to Americas, writing nothing", async () => {
    const owner = await as(OWNER);
    const from = await nodeId(db, "emea-smb");
    const to = await nodeId(db, "americas-smb");
    const org = await create(owner, from, "organization");
    const before = await tables();
    const since = await lastEventId(db);
    const preview = await previewMove(owner, { nodeId: org.id, newParentId: to });
    expect(await tables()).toEqual(before);
    expect(await eventsSince(db, since)).toEqual([]);

    expect(preview.node).toEqual({ id: org.id, name: org.name });
    expect(preview.from).toEqual({ id: from, name: "SMB" });
    expect(preview.to).toEqual({ id: to, name: "SMB" });
    const gains = preview.gains.map((entry) => entry.principal.email);
    const losses = preview.losses.map((entry) => entry.principal.email);
    expect(losses).toEqual([EMEA_ADMIN]);
    expect(gains).toEqual([AMERICAS_ADMIN]);
    for (const unaffected of [OWNER, SECOND_OWNER, ACCOUNT_MANAGER, ACCOUNT_VIEWER, DISABLED_EMEA_ADMIN]) {
      expect(gains).not.toContain(unaffected);
      expect(losses).not.toContain(unaffected);
    }
    expect(preview.gains[0]!.via[0]).toMatchObject({ nodeId: await nodeId(db, "americas"), roleName: "Manager", inherited: true });
  });

  it("moves an organization from EMEA to Americas: the EMEA admin can no longer read it and the Americas admin can", async () => {
    const owner = await as(OWNER);
    const to = (await nodeRow(await nodeId(db, "americas-smb")))!;
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    expect(await canRead(EMEA_ADMIN, org.id)).toBe(true);
    expect(await canRead(AMERICAS_ADMIN, org.id)).toBe(false);

    const { result: preview, event } = await expectAudited(async () => moveNode(owner, { nodeId: org.id, newParentId: to.id, expectedVersion: 1 }));
    const moved = (await nodeRow(org.id))!;
    expect(moved).toMatchObject({ parentId: to.id, path: `${to.path}${org.id}/`, depth: to.depth + 1, accountId, version: 2 });
    expect(preview.losses.map((entry) => entry.principal.email)).toEqual([EMEA_ADMIN]);
    expect(preview.gains.map((entry) => entry.principal.email)).toEqual([AMERICAS_ADMIN]);
    expect(event).toMatchObject({ action: "node.move", actorId: owner.authz.principal.id, nodeId: org.id, targetType: "node", targetId: org.id });
    expect(event.summary).toEqual({
      before: { parentId: await nodeId(db, "emea-smb") },
      after: { parentId: to.id, gains: [await principalId(db, AMERICAS_ADMIN)], losses: [await principalId(db, EMEA_ADMIN)] },
    });

    expect(await canRead(EMEA_ADMIN, org.id)).toBe(false);
    expect(await canRead(AMERICAS_ADMIN, org.id)).toBe(true);
    expect(await canRead(OWNER, org.id)).toBe(true);
  });

  it("moves a whole subtree, recomputing the path and depth of every descendant, within the account", async () => {
    const owner = await as(OWNER);
    const top = await create(owner, await nodeId(db, "emea"), "group");
    const middle = await create(owner, top.id, "group");
    const bottom = await create(owner, middle.id, "group");
    const leaves = [await create(owner, top.id, "organization"), await create(owner, middle.id, "organization"), await create(owner, bottom.id, "organization")];
    const subtree = [top, middle, bottom, ...leaves].map((node) => node.id);
    const destination = (await nodeRow(await nodeId(db, "apac-enterprise")))!;
    const countBefore = (await db.select().from(nodes)).length;
    const versionsBefore = new Map(await Promise.all(subtree.map(async (id) => [id, (await nodeRow(id))!.version] as const)));

    await moveNode(owner, { nodeId: top.id, newParentId: destination.id });

    const byId = await expectConsistentTree();
    expect(byId.size + 2).toBe(countBefore); // the other account's two nodes are not counted
    const movedTop = byId.get(top.id)!;
    expect(movedTop).toMatchObject({ parentId: destination.id, path: `${destination.path}${top.id}/`, depth: destination.depth + 1 });
    for (const id of subtree) {
      const node = byId.get(id)!;
      expect(node.accountId).toBe(accountId);
      expect(node.path.startsWith(movedTop.path), node.slug).toBe(true);
      expect(node.path.startsWith((await nodeRow(await nodeId(db, "emea")))!.path), node.slug).toBe(false);
    }
    expect(byId.get(leaves[2]!.id)!.depth).toBe(destination.depth + 4);
    // A reader holding any of them (an ETag, an open form) sees it changed.
    for (const id of subtree) expect(byId.get(id)!.version, byId.get(id)!.slug).toBe(versionsBefore.get(id)! + 1);
    // Parents of the nodes below are unchanged: only the moved node got a new parent.
    expect(byId.get(middle.id)!.parentId).toBe(top.id);
    expect(byId.get(bottom.id)!.parentId).toBe(middle.id);
    expect(await canRead(EMEA_ADMIN, leaves[2]!.id)).toBe(false);
  });

  it("refuses to move a node under itself or under one of its descendants", async () => {
    const owner = await as(OWNER);
    const top = await create(owner, await nodeId(db, "emea"), "group");
    const child = await create(owner, top.id, "group");
    const grandchild = await create(owner, child.id, "group");
    await expectRefused(async () => moveNode(owner, { nodeId: top.id, newParentId: top.id }), "invalid");
    await expectRefused(async () => moveNode(owner, { nodeId: top.id, newParentId: child.id }), "invalid");
    await expectRefused(async () => moveNode(owner, { nodeId: top.id, newParentId: grandchild.id }), "invalid");
    await expectRefused(async () => previewMove(owner, { nodeId: top.id, newParentId: grandchild.id }), "invalid");
  });

  it("refuses to move the account", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => moveNode(owner, { nodeId: accountId, newParentId: await nodeId(db, "emea") }), "invalid");
  });

  it("refuses to move a node where it already is", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => moveNode(owner, { nodeId: org.id, newParentId: await nodeId(db, "emea-smb") }), "invalid");
  });

  it("refuses to move a node into another account, as if the destination did not exist", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => moveNode(owner, { nodeId: org.id, newParentId: otherAccountGroupId }), "not_found", "node.move.denied");
    expect((await nodeRow(org.id))!.accountId).toBe(accountId);
  });

  it("refuses a stale expectedVersion with precondition_failed, writing nothing", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await renameNode(owner, { nodeId: org.id, name: uniqueName("Renamed Org") });
    await expectRefused(async () => moveNode(owner, { nodeId: org.id, newParentId: await nodeId(db, "emea-enterprise"), expectedVersion: 1 }), "precondition_failed");
  });

  it("refuses a viewer who moves a node they can read", async () => {
    const viewer = await as(CUSTOMER_VIEWER);
    await expectRefused(async () => moveNode(viewer, { nodeId: await nodeId(db, "adler-logistik"), newParentId: await nodeId(db, "emea-smb") }), "forbidden", "node.move.denied");
    const accountViewer = await as(ACCOUNT_VIEWER);
    await expectRefused(async () => previewMove(accountViewer, { nodeId: await nodeId(db, "adler-logistik"), newParentId: await nodeId(db, "emea-smb") }), "forbidden", "node.move.denied");
  });

  it("answers not_found to the EMEA admin moving an Americas node, or an EMEA node to an Americas destination", async () => {
    const emma = await as(EMEA_ADMIN);
    const owner = await as(OWNER);
    const emeaOrg = await create(owner, await nodeId(db, "emea-smb"), "organization");
    const hiddenNode = await expectRefused(async () => moveNode(emma, { nodeId: await nodeId(db, "pioneer-rail"), newParentId: await nodeId(db, "emea-smb") }), "not_found", "node.move.denied");
    const hiddenDestination = await expectRefused(async () => moveNode(emma, { nodeId: emeaOrg.id, newParentId: await nodeId(db, "americas-smb") }), "not_found", "node.move.denied");
    const missing = await expectRefused(async () => moveNode(emma, { nodeId: crypto.randomUUID(), newParentId: await nodeId(db, "emea-smb") }), "not_found", "node.move.denied");
    expect(hiddenNode.error.message).toBe(missing.error.message);
    expect(hiddenDestination.error.message).toBe(missing.error.message);
    expect((await nodeRow(emeaOrg.id))!.parentId).toBe(await nodeId(db, "emea-smb"));
  });

  it("refuses non-uuid ids as invalid", async () => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(async () => moveNode(owner, { nodeId: "x", newParentId: "y" }), "invalid");
    expect(Object.keys(error.details.fieldErrors ?? {}).sort()).toEqual(["newParentId", "nodeId"]);
  });

  // Scoped to the Enterprise tiers, so that the EMEA SMB -> Americas SMB previews above see only demo users.
  describe("with an actor who holds tenant.move in EMEA Enterprise and tenant.create in Americas Enterprise only", () => {
    let moverId: string;

    beforeAll(async () => {
      const [moveOnly, createOnly] = await db
        .insert(roles)
        .values([
          { accountId, key: "move-only", name: "Move Only", permissions: ["tenant.read", "tenant.move"] },
          { accountId, key: "create-only", name: "Create Only", permissions: ["tenant.read", "tenant.create"] },
        ])
        .returning({ id: roles.id });
      const [mover] = await db
        .insert(principals)
        .values({ accountId, homeNodeId: accountId, kind: "user", email: "mover@northwind.example", name: "Mover", status: "active" })
        .returning({ id: principals.id });
      moverId = mover!.id;
      await db.insert(roleAssignments).values([
        { accountId, principalId: moverId, nodeId: await nodeId(db, "emea-enterprise"), roleId: moveOnly!.id },
        { accountId, principalId: moverId, nodeId: await nodeId(db, "americas-enterprise"), roleId: createOnly!.id },
      ]);
    });

    it("moves an EMEA Enterprise organization into Americas Enterprise", async () => {
      const org = await create(await as(OWNER), await nodeId(db, "emea-enterprise"), "organization");
      const mover = await as(moverId);
      const { result, event } = await expectAudited(async () => moveNode(mover, { nodeId: org.id, newParentId: await nodeId(db, "americas-enterprise") }));
      expect(event).toMatchObject({ action: "node.move", actorId: moverId, nodeId: org.id });
      expect((await nodeRow(org.id))!.parentId).toBe(await nodeId(db, "americas-enterprise"));
      // The mover itself keeps access through its Americas assignment.
      expect(result.losses.map((entry) => entry.principal.id)).not.toContain(moverId);
    });

    it("refuses a move into a destination it can read but where it lacks tenant.create", async () => {
      const owner = await as(OWNER);
      const org = await create(owner, await nodeId(db, "emea-enterprise"), "organization");
      const destination = await create(owner, await nodeId(db, "emea-enterprise"), "group");
      const mover = await as(moverId);
      const { events } = await expectRefused(async () => moveNode(mover, { nodeId: org.id, newParentId: destination.id }), "forbidden", "node.move.denied");
      expect(events[0]!.nodeId).toBe(destination.id);
    });

    it("refuses to move a node it can read but on which it lacks tenant.move", async () => {
      const owner = await as(OWNER);
      const org = await create(owner, await nodeId(db, "americas-enterprise"), "organization");
      const destination = await create(owner, await nodeId(db, "americas-enterprise"), "group");
      const mover = await as(moverId);
      const { events } = await expectRefused(async () => moveNode(mover, { nodeId: org.id, newParentId: destination.id }), "forbidden", "node.move.denied");
      expect(events[0]!.nodeId).toBe(org.id);
    });
  });

  it("refuses to move a group under an organization", async () => {
    const owner = await as(OWNER);
    const group = await create(owner, await nodeId(db, "emea"), "group");
    await expectRefused(async () => moveNode(owner, { nodeId: group.id, newParentId: await nodeId(db, "baltic-freight-lines") }), "invalid");
  });

  it("refuses to move an organization under an organization that is not a reseller", async () => {
    const owner = await as(OWNER);
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => moveNode(owner, { nodeId: org.id, newParentId: await nodeId(db, "baltic-freight-lines") }), "invalid");
  });

  it("moves an organization under a reseller, but never a group", async () => {
    const owner = await as(OWNER);
    const reseller = await nodeId(db, "fabrikam-partners");
    const group = await create(owner, await nodeId(db, "emea"), "group");
    await expectRefused(async () => moveNode(owner, { nodeId: group.id, newParentId: reseller }), "invalid");
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await moveNode(owner, { nodeId: org.id, newParentId: reseller });
    expect((await nodeRow(org.id))!.parentId).toBe(reseller);
  });

  it("refuses to move a subtree whose deepest node would go past MAX_DEPTH", async () => {
    const owner = await as(OWNER);
    const chain = await chainToMaxDepth(accountId);
    const top = await create(owner, await nodeId(db, "emea"), "group");
    const leaf = await create(owner, top.id, "organization");
    // top would land at MAX_DEPTH and its child one below: refused.
    await expectRefused(async () => moveNode(owner, { nodeId: top.id, newParentId: chain[chain.length - 2]!.id }), "invalid");
    // One level higher, the child lands exactly at MAX_DEPTH.
    await moveNode(owner, { nodeId: top.id, newParentId: chain[chain.length - 3]!.id });
    expect((await nodeRow(leaf.id))!.depth).toBe(MAX_DEPTH);
    await expectConsistentTree();
  });

  it("refuses to move a node under an archived node", async () => {
    const owner = await as(OWNER);
    const archived = await create(owner, await nodeId(db, "emea"), "group");
    await archiveNode(owner, { nodeId: archived.id });
    const org = await create(owner, await nodeId(db, "emea-smb"), "organization");
    await expectRefused(async () => moveNode(owner, { nodeId: org.id, newParentId: archived.id }), "invalid");
  });
});

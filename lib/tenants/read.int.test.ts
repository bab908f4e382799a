import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodes, principals, roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import type { AuthContext } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { findReadableNode, listReadableAncestors, listReadableNodes } from "./read";

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const AMERICAS_ADMIN = "lucas.oliveira@northwind.example";
const DISABLED = "oscar.lindqvist@northwind.example";
const INVITED = "priya.nair@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";

interface PlainNode {
  id: string;
  parentId: string | null;
  accountId: string;
  slug: string;
  kind: string;
}

let connection: DatabaseConnection;
let db: Database;
let allNodes: PlainNode[];
let northwindId: string;
let otherAccountId: string;

function slugOf(id: string): string {
  return allNodes.find((node) => node.id === id)!.slug;
}

function idOf(slug: string, accountId = northwindId): string {
  const node = allNodes.find((candidate) => candidate.slug === slug && candidate.accountId === accountId);
  if (!node) throw new Error(`no node ${slug}`);
  return node.id;
}

/** The oracle: the node and every node whose chain of parents reaches it, found by walking parentId. */
function subtreeByParents(rootId: string): Set<string> {
  const parentOf = new Map(allNodes.map((node) => [node.id, node.parentId]));
  const result = new Set<string>();
  for (const node of allNodes) {
    let current: string | null | undefined = node.id;
    for (let hops = 0; current && hops < 20; hops++) {
      if (current === rootId) {
        result.add(node.id);
        break;
      }
      current = parentOf.get(current);
    }
  }
  return result;
}

async function contextFor(email: string): Promise<AuthContext> {
  const [row] = await db.select({ id: principals.id }).from(principals).where(eq(principals.email, email));
  if (!row) throw new Error(`no principal ${email}`);
  const ctx = await loadAuthContext(db, row.id);
  if (!ctx) throw new Error(`no context for ${email}`);
  return ctx;
}

async function readableIds(ctx: AuthContext): Promise<Set<string>> {
  return new Set((await listReadableNodes(db, ctx)).map((node) => node.id));
}

function sortedSlugs(ids: Iterable<string>): string[] {
  return [...ids].map(slugOf).sort();
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  const report = await seedDemo(db, { password: "correct-horse-battery-staple" });
  northwindId = report.accountId;

  // A second account whose slugs collide with Northwind's: nothing of it may show through.
  otherAccountId = crypto.randomUUID();
  const otherEmea = crypto.randomUUID();
  const otherOrg = crypto.randomUUID();
  await db.insert(nodes).values([
    { id: otherAccountId, accountId: otherAccountId, kind: "account", name: "Contoso", slug: "contoso", path: `${otherAccountId}/`, depth: 0 },
    {
      id: otherEmea,
      accountId: otherAccountId,
      parentId: otherAccountId,
      kind: "group",
      name: "EMEA",
      slug: "emea",
      path: `${otherAccountId}/${otherEmea}/`,
      depth: 1,
    },
    {
      id: otherOrg,
      accountId: otherAccountId,
      parentId: otherEmea,
      kind: "organization",
      name: "Contoso Only",
      slug: "contoso-only",
      path: `${otherAccountId}/${otherEmea}/${otherOrg}/`,
      depth: 2,
    },
  ]);
  allNodes = await db
    .select({ id: nodes.id, parentId: nodes.parentId, accountId: nodes.accountId, slug: nodes.slug, kind: nodes.kind })
    .from(nodes);
});

afterAll(async () => {
  await connection?.close();
});

describe("the provider owner", () => {
  it("reads every node of the account and none of another account", async () => {
    const ctx = await contextFor(OWNER);
    const expected = subtreeByParents(northwindId);
    expect(expected.size).toBeGreaterThan(40);
    expect(sortedSlugs(await readableIds(ctx))).toEqual(sortedSlugs(expected));
    expect(await findReadableNode(db, ctx, "contoso")).toBeNull();
    expect(await findReadableNode(db, ctx, "contoso-only")).toBeNull();
  });

  it("finds a node of its own account when another account uses the same slug", async () => {
    const ctx = await contextFor(OWNER);
    const emea = await findReadableNode(db, ctx, "emea");
    expect(emea?.id).toBe(idOf("emea"));
    expect(emea?.accountId).toBe(northwindId);
  });

  it("lists readable nodes parents before children", async () => {
    const ctx = await contextFor(OWNER);
    const seen = new Set<string>();
    for (const node of await listReadableNodes(db, ctx)) {
      if (node.parentId) expect(seen.has(node.parentId), node.slug).toBe(true);
      seen.add(node.id);
    }
  });

  it("sees every ancestor of an organization as breadcrumbs", async () => {
    const ctx = await contextFor(OWNER);
    const org = await findReadableNode(db, ctx, "adler-logistik");
    expect(org).not.toBeNull();
    const ancestors = await listReadableAncestors(db, ctx, org!);
    expect(ancestors.map((node) => node.slug)).toEqual(["northwind", "regions", "emea", "emea-enterprise"]);
  });
});

describe("the EMEA OU admin", () => {
  it("reads exactly the EMEA subtree", async () => {
    const ctx = await contextFor(EMEA_ADMIN);
    const expected = subtreeByParents(idOf("emea"));
    expect(expected.size).toBeGreaterThan(10);
    expect(sortedSlugs(await readableIds(ctx))).toEqual(sortedSlugs(expected));
  });

  it("finds an EMEA organization but not another region's or a nonexistent slug", async () => {
    const ctx = await contextFor(EMEA_ADMIN);
    expect((await findReadableNode(db, ctx, "adler-logistik"))?.id).toBe(idOf("adler-logistik"));
    expect(await findReadableNode(db, ctx, "americas")).toBeNull();
    expect(await findReadableNode(db, ctx, "pioneer-rail")).toBeNull();
    expect(await findReadableNode(db, ctx, "regions")).toBeNull();
    expect(await findReadableNode(db, ctx, "northwind")).toBeNull();
    expect(await findReadableNode(db, ctx, "no-such-node")).toBeNull();
  });

  it("sees breadcrumbs that start at EMEA", async () => {
    const ctx = await contextFor(EMEA_ADMIN);
    const org = await findReadableNode(db, ctx, "adler-logistik");
    expect(org).not.toBeNull();
    const ancestors = await listReadableAncestors(db, ctx, org!);
    expect(ancestors.map((node) => node.slug)).toEqual(["emea", "emea-enterprise"]);
  });

  it("sees no breadcrumbs above its own scope", async () => {
    const ctx = await contextFor(EMEA_ADMIN);
    const emea = await findReadableNode(db, ctx, "emea");
    expect(await listReadableAncestors(db, ctx, emea!)).toEqual([]);
  });
});

describe("customers", () => {
  it("lets a customer viewer read only their organization", async () => {
    const ctx = await contextFor(CUSTOMER_VIEWER);
    expect(sortedSlugs(await readableIds(ctx))).toEqual(["adler-logistik"]);
    expect(await findReadableNode(db, ctx, "baltic-freight-lines")).toBeNull();
    expect(await findReadableNode(db, ctx, "emea-enterprise")).toBeNull();
    const org = await findReadableNode(db, ctx, "adler-logistik");
    expect(await listReadableAncestors(db, ctx, org!)).toEqual([]);
  });

  it("lets a reseller owner read the reseller and its customers only", async () => {
    const ctx = await contextFor(RESELLER_OWNER);
    const expected = subtreeByParents(idOf("fabrikam-partners"));
    expect(expected.size).toBe(4);
    expect(sortedSlugs(await readableIds(ctx))).toEqual(sortedSlugs(expected));
    expect(await findReadableNode(db, ctx, "partners")).toBeNull();
  });
});

describe("principals who may not read", () => {
  it("gives the disabled user's context, which reads nothing", async () => {
    const ctx = await contextFor(DISABLED);
    expect(ctx.principal.status).toBe("disabled");
    expect(ctx.grants.length).toBeGreaterThan(0);
    expect(await listReadableNodes(db, ctx)).toEqual([]);
    expect(await findReadableNode(db, ctx, "emea")).toBeNull();
    expect(await findReadableNode(db, ctx, "adler-logistik")).toBeNull();
  });

  it("lets the invited user read nothing", async () => {
    const ctx = await contextFor(INVITED);
    expect(ctx.principal.status).toBe("invited");
    expect(await listReadableNodes(db, ctx)).toEqual([]);
    expect(await findReadableNode(db, ctx, "northwind")).toBeNull();
  });

  it("returns no context for a principal that does not exist", async () => {
    expect(await loadAuthContext(db, crypto.randomUUID())).toBeNull();
  });

  it("grants nothing from an assignment once it has expired", async () => {
    const before = await contextFor(AMERICAS_ADMIN);
    expect(sortedSlugs(await readableIds(before))).toEqual(sortedSlugs(subtreeByParents(idOf("americas"))));

    const updated = await db
      .update(roleAssignments)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(roleAssignments.principalId, before.principal.id))
      .returning({ id: roleAssignments.id });
    expect(updated).toHaveLength(1);

    const after = await contextFor(AMERICAS_ADMIN);
    expect(after.grants).toHaveLength(1);
    expect(after.grants[0]!.expiresAt!.getTime()).toBeLessThan(after.now.getTime());
    expect(await listReadableNodes(db, after)).toEqual([]);
    expect(await findReadableNode(db, after, "americas")).toBeNull();
    expect(await findReadableNode(db, after, "pioneer-rail")).toBeNull();
  });

  it("grants again from an assignment whose expiry is in the future", async () => {
    const ctx = await contextFor(AMERICAS_ADMIN);
    await db
      .update(roleAssignments)
      .set({ expiresAt: new Date(Date.now() + 3_600_000) })
      .where(eq(roleAssignments.principalId, ctx.principal.id));
    const after = await contextFor(AMERICAS_ADMIN);
    expect((await findReadableNode(db, after, "americas"))?.id).toBe(idOf("americas"));
  });
});

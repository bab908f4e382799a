import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { auditEvents, nodes } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { childPath } from "@/lib/authz";
import { DomainError } from "@/lib/errors";
import { archiveNode } from "./service";
import { countReadableOrganizations, listTreeChildren, listTreeRoots, type TreeItem } from "./tree";
import { listMoveDestinations, searchTree } from "./tree-search";

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const DISABLED = "oscar.lindqvist@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";
const BIG_GROUP_SIZE = 230;

let connection: DatabaseConnection;
let db: Database;
let bigGroupId: string;

async function roots(email: string) {
  return (await listTreeRoots(await contextFor(db, email))).map((item) => item.slug);
}

async function children(email: string, parentSlug: string, options = {}) {
  return listTreeChildren(await contextFor(db, email), await nodeId(db, parentSlug), {}, options);
}

/** Every child of a node, following cursors; returns the pages' sizes too. */
async function allChildren(email: string, parentId: string, limit: number) {
  const ctx = await contextFor(db, email);
  const items: TreeItem[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listTreeChildren>> = await listTreeChildren(ctx, parentId, { cursor, limit });
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, sizes };
}

async function auditCount() {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
  return row!.n;
}

async function refusal(work: () => Promise<unknown>): Promise<DomainError> {
  const before = await auditCount();
  const error = await work().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(await auditCount()).toBeLessThanOrEqual(before + 1);
  return error as DomainError;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  await seedDemo(db, { password: "correct-horse-battery-staple" });
  // A group under Partners with many organizations and two subgroups, inserted directly for speed.
  const [partners] = await db.select().from(nodes).where(eq(nodes.slug, "partners"));
  bigGroupId = crypto.randomUUID();
  const bigPath = childPath(partners!.path, bigGroupId);
  const row = (id: string, kind: "group" | "organization", name: string, slug: string) => ({
    id,
    accountId: partners!.accountId,
    parentId: bigGroupId,
    kind,
    name,
    slug,
    path: childPath(bigPath, id),
    depth: partners!.depth + 2,
  });
  await db.insert(nodes).values({ ...row(bigGroupId, "group", "Big Group", "big-group"), parentId: partners!.id, path: bigPath, depth: partners!.depth + 1 });
  const members = Array.from({ length: BIG_GROUP_SIZE }, (_, i) => {
    const id = crypto.randomUUID();
    return row(id, "organization", `Customer ${String(BIG_GROUP_SIZE - i).padStart(4, "0")}`, `bulk-customer-${i}`);
  });
  members.push(row(crypto.randomUUID(), "group", "Zulu Subgroup", "zulu-subgroup"), row(crypto.randomUUID(), "group", "alpha subgroup", "alpha-subgroup"));
  await db.insert(nodes).values(members);
});

afterAll(async () => {
  await connection?.close();
});

describe("roots", () => {
  it("are the account for the provider owner", async () => {
    expect(await roots(OWNER)).toEqual(["northwind"]);
  });

  it("are the OU for the EMEA admin, and the organization for a customer", async () => {
    expect(await roots(EMEA_ADMIN)).toEqual(["emea"]);
    expect(await roots(CUSTOMER_VIEWER)).toEqual(["adler-logistik"]);
    expect(await roots(RESELLER_OWNER)).toEqual(["fabrikam-partners"]);
  });

  it("are none for a disabled user", async () => {
    expect(await roots(DISABLED)).toEqual([]);
  });
});

describe("children", () => {
  it("come groups first, then by name, with sub-node and member counts", async () => {
    const { items } = await children(EMEA_ADMIN, "emea");
    expect(items.map((item) => [item.name, item.subNodes])).toEqual([
      ["Enterprise", 7],
      ["SMB", 7],
    ]);
    const enterprise = await children(EMEA_ADMIN, "emea-enterprise");
    const adler = enterprise.items.find((item) => item.slug === "adler-logistik")!;
    // The demo gives the first customers a viewer and a manager each.
    expect(adler.members).toBe(2);
    expect(adler.subNodes).toBe(0);
  });

  it("counts members with a role on the node itself, leaving out disabled ones", async () => {
    const [emea] = await listTreeRoots(await contextFor(db, EMEA_ADMIN));
    // Emma Schulz, active; Oscar Lindqvist, disabled.
    expect(emea!.members).toBe(1);
  });

  it("pages through a large group without gaps or repeats", async () => {
    const { items, sizes } = await allChildren(OWNER, bigGroupId, 100);
    expect(sizes).toEqual([100, 100, BIG_GROUP_SIZE + 2 - 200]);
    expect(new Set(items.map((item) => item.id)).size).toBe(BIG_GROUP_SIZE + 2);
    expect(items.slice(0, 3).map((item) => item.name)).toEqual(["alpha subgroup", "Zulu Subgroup", "Customer 0001"]);
    expect(items.at(-1)!.name).toBe(`Customer ${String(BIG_GROUP_SIZE).padStart(4, "0")}`);
  });

  it("says what the principal may do on each child", async () => {
    const [northwind] = await listTreeRoots(await contextFor(db, OWNER));
    expect(northwind!.may).toEqual({ create: ["group", "organization"], update: true, move: false, archive: false });
    const partners = await children(OWNER, "partners");
    const reseller = partners.items.find((item) => item.slug === "fabrikam-partners")!;
    expect(reseller.may.create).toEqual(["organization"]);
    const enterprise = await children(OWNER, "emea-enterprise");
    expect(enterprise.items[0]!.may).toEqual({ create: [], update: true, move: true, archive: true });
    const [adler] = await listTreeRoots(await contextFor(db, CUSTOMER_VIEWER));
    expect(adler!.may).toEqual({ create: [], update: false, move: false, archive: false });
  });

  it("leaves archived nodes out unless asked, and counts accordingly", async () => {
    const owner = await contextFor(db, OWNER);
    const smb = await nodeId(db, "emea-smb");
    await archiveNode(owner, { nodeId: await nodeId(db, "mosel-printing") });
    const hidden = await listTreeChildren(owner, smb);
    expect(hidden.items.map((item) => item.slug)).not.toContain("mosel-printing");
    const shown = await listTreeChildren(owner, smb, {}, { includeArchived: true });
    expect(shown.items.find((item) => item.slug === "mosel-printing")?.status).toBe("archived");
    const regions = await listTreeChildren(owner, await nodeId(db, "emea"));
    expect(regions.items.find((item) => item.slug === "emea-smb")!.subNodes).toBe(6);
    const withArchived = await listTreeChildren(owner, await nodeId(db, "emea"), {}, { includeArchived: true });
    expect(withArchived.items.find((item) => item.slug === "emea-smb")!.subNodes).toBe(7);
  });

  it("refuses the children of a node outside the subtree as not found, recording the denial", async () => {
    for (const slug of ["americas", "regions", "northwind"]) {
      const error = await refusal(() => children(EMEA_ADMIN, slug));
      expect(error.code).toBe("not_found");
      const [denial] = await db.select().from(auditEvents).where(eq(auditEvents.action, "node.children.denied")).orderBy(sql`${auditEvents.id} desc`).limit(1);
      expect(denial?.nodeId).toBe(await nodeId(db, slug));
    }
    expect((await refusal(() => children(CUSTOMER_VIEWER, "emea-enterprise"))).code).toBe("not_found");
    expect((await refusal(() => children(DISABLED, "emea"))).code).toBe("not_found");
  });

  it("refuses a forged cursor with a clear message", async () => {
    const ctx = await contextFor(db, OWNER);
    const error = await refusal(() => listTreeChildren(ctx, bigGroupId, { cursor: "not-a-cursor" }));
    expect(error.code).toBe("invalid");
    expect(error.details.fieldErrors?.cursor).toBeDefined();
  });
});

describe("search", () => {
  it("finds a node by part of its name, with its readable path", async () => {
    const owner = await searchTree(await contextFor(db, OWNER), { q: "ADLER" });
    expect(owner.hits.map((hit) => [hit.name, hit.trail])).toEqual([["Adler Logistik", ["Northwind MSSP", "Regions", "EMEA", "Enterprise"]]]);
    const emea = await searchTree(await contextFor(db, EMEA_ADMIN), { q: "adler" });
    expect(emea.hits[0]!.trail).toEqual(["EMEA", "Enterprise"]);
  });

  it("finds nodes by a key:value tag, whatever its case", async () => {
    const { hits } = await searchTree(await contextFor(db, OWNER), { q: "Tier:SMB", limit: 200 });
    expect(hits).toHaveLength(3 + 3 * 7);
    expect(hits.every((hit) => hit.tags.includes("tier:smb"))).toBe(true);
  });

  it("never shows a node outside the principal's subtree", async () => {
    const emea = await contextFor(db, EMEA_ADMIN);
    expect((await searchTree(emea, { q: "Pioneer" })).hits).toEqual([]);
    expect((await searchTree(emea, { q: "region:americas" })).hits).toEqual([]);
    const { hits } = await searchTree(emea, { q: "e", limit: 200 });
    expect(hits.length).toBeGreaterThan(10);
    expect(hits.every((hit) => hit.trail[0] === "EMEA" || hit.name === "EMEA")).toBe(true);
    const viewer = await searchTree(await contextFor(db, CUSTOMER_VIEWER), { q: "a", limit: 200 });
    expect(viewer.hits.map((hit) => hit.slug)).toEqual(["adler-logistik"]);
  });

  it("pages its results", async () => {
    const ctx = await contextFor(db, OWNER);
    const first = await searchTree(ctx, { q: "customer", limit: 100 });
    const second = await searchTree(ctx, { q: "customer", limit: 100, cursor: first.nextCursor });
    expect(first.hits).toHaveLength(100);
    expect(new Set([...first.hits, ...second.hits].map((hit) => hit.id)).size).toBe(200);
  });

  it("refuses an empty query next to the field", async () => {
    const error = await refusal(() => contextFor(db, OWNER).then((ctx) => searchTree(ctx, { q: "  " })));
    expect(error.details.fieldErrors?.q).toBeDefined();
  });
});

describe("move destinations", () => {
  it("are the groups and account the owner may create under, without the current parent or the node's own subtree", async () => {
    const owner = await contextFor(db, OWNER);
    const fromAdler = await listMoveDestinations(owner, await nodeId(db, "adler-logistik"), { q: "" });
    const names = fromAdler.map((destination) => destination.name);
    expect(names).toContain("Northwind MSSP");
    expect(names).toContain("SMB");
    expect(fromAdler.find((destination) => destination.trail.join("/") === "Northwind MSSP/Regions/EMEA" && destination.name === "Enterprise")).toBeUndefined();
    const fromEmea = await listMoveDestinations(owner, await nodeId(db, "emea"), { q: "" });
    expect(fromEmea.every((destination) => !destination.trail.includes("EMEA") && destination.name !== "Regions")).toBe(true);
    const searched = await listMoveDestinations(owner, await nodeId(db, "adler-logistik"), { q: "apac" });
    expect(searched.map((destination) => destination.name)).toEqual(["APAC"]);
  });

  it("stay inside the EMEA admin's subtree", async () => {
    const emea = await contextFor(db, EMEA_ADMIN);
    const destinations = await listMoveDestinations(emea, await nodeId(db, "adler-logistik"), { q: "" });
    expect(destinations.map((destination) => destination.name).sort()).toEqual(["EMEA", "SMB"]);
  });

  it("are refused to a principal who may not move the node", async () => {
    const viewer = await contextFor(db, CUSTOMER_VIEWER);
    const adler = await nodeId(db, "adler-logistik");
    expect((await refusal(() => listMoveDestinations(viewer, adler, { q: "" }))).code).toBe("forbidden");
    const emea = await contextFor(db, EMEA_ADMIN);
    const pioneer = await nodeId(db, "pioneer-rail");
    expect((await refusal(() => listMoveDestinations(emea, pioneer, { q: "" }))).code).toBe("not_found");
  });
});

describe("organization count", () => {
  it("counts the organizations each principal may read", async () => {
    expect(await countReadableOrganizations(await contextFor(db, EMEA_ADMIN))).toBe(13); // Mosel Printing was archived above
    expect(await countReadableOrganizations(await contextFor(db, CUSTOMER_VIEWER))).toBe(1);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(nodes)
      .where(and(eq(nodes.kind, "organization"), sql`${nodes.status} <> 'archived'`));
    expect(await countReadableOrganizations(await contextFor(db, OWNER))).toBe(row!.n);
  });
});

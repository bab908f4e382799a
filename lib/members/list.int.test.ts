import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { principals, roleAssignments, roles } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { roleControls } from "./controls";
import { listMembers, listMembersAfter, type MemberListInput, type MemberRow } from "./list";

let connection: DatabaseConnection;
const db = () => connection.db;
let accountId: string;

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const READER = "tenant.reader@northwind.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  accountId = (await seedDemo(connection.db, { password: "test-password-123" })).accountId;
  // An API client with a role at the account, and a user who may read the tree but not its members.
  const [client] = await db()
    .insert(principals)
    .values({ accountId, homeNodeId: accountId, kind: "api_client", name: "Billing export job", status: "active" })
    .returning();
  await db().insert(roleAssignments).values({ accountId, principalId: client!.id, nodeId: accountId, roleId: await builtinRoleId(db(), "viewer") });
  const [reader] = await db()
    .insert(principals)
    .values({ accountId, homeNodeId: accountId, kind: "user", email: READER, name: "Tenant Reader", status: "active" })
    .returning();
  const [role] = await db().insert(roles).values({ accountId, key: "tree-reader", name: "Tree reader", permissions: ["tenant.read"] }).returning();
  await db().insert(roleAssignments).values({ accountId, principalId: reader!.id, nodeId: accountId, roleId: role!.id });
});
afterAll(async () => connection?.close());

async function list(ctx: ServiceContext, slug: string, options: Omit<MemberListInput, "nodeId"> = {}) {
  return listMembers(ctx, { nodeId: await nodeId(db(), slug), ...options });
}

/** Every row of every page, in order. */
async function allPages(ctx: ServiceContext, slug: string, options: Omit<MemberListInput, "nodeId" | "page" | "pageSize"> = {}) {
  const rows: MemberRow[] = [];
  for (let page = 1; ; page++) {
    const result = await list(ctx, slug, { ...options, page, pageSize: 25 });
    rows.push(...result.rows);
    if (page * 25 >= result.total) return { rows, total: result.total };
  }
}

async function principalsAssignedIn(where: ReturnType<typeof sql>) {
  const rows = await db()
    .selectDistinct({ id: roleAssignments.principalId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.accountId, accountId), where));
  return rows.map((row) => row.id).sort();
}

describe("listMembers paging and sorting", () => {
  it.each(["name", "email", "status", "lastSignIn"] as const)("returns every principal of the account exactly once across the pages sorted by %s", async (sort) => {
    await db().update(principals).set({ lastSignInAt: new Date("2026-11-30T10:00:00Z") }).where(eq(principals.email, EMEA_ADMIN));
    const owner = await contextFor(db(), OWNER);
    // At the account, everyone of the account is a member, with a role or not.
    const [roleless] = await db()
      .insert(principals)
      .values({ accountId, homeNodeId: accountId, kind: "user", email: `no-role-${sort}@northwind.example`, name: `No Role ${sort}`, status: "active" })
      .returning({ id: principals.id });
    try {
      const expected = (await db().select({ id: principals.id }).from(principals).where(eq(principals.accountId, accountId))).map((row) => row.id).sort();
      expect(expected).toContain(roleless!.id);
      expect(await principalsAssignedIn(sql`true`)).not.toContain(roleless!.id);
      for (const dir of ["asc", "desc"] as const) {
        const { rows, total } = await allPages(owner, "northwind", { sort, dir });
        expect(total).toBe(expected.length);
        expect(rows.map((row) => row.id).sort()).toEqual(expected);
      }
    } finally {
      await db().delete(principals).where(eq(principals.id, roleless!.id));
    }
  });

  it("sorts descending as the exact reverse of ascending", async () => {
    const owner = await contextFor(db(), OWNER);
    const ascending = (await allPages(owner, "northwind", { sort: "name", dir: "asc" })).rows.map((row) => row.id);
    const descending = (await allPages(owner, "northwind", { sort: "name", dir: "desc" })).rows.map((row) => row.id);
    expect(descending).toEqual([...ascending].reverse());
  });

  it("puts the most recent sign-in first and those who never signed in last", async () => {
    const owner = await contextFor(db(), OWNER);
    await db().update(principals).set({ lastSignInAt: new Date("2026-12-01T08:00:00Z") }).where(eq(principals.email, CUSTOMER_VIEWER));
    await db().update(principals).set({ lastSignInAt: new Date("2026-11-30T08:00:00Z") }).where(eq(principals.email, EMEA_ADMIN));
    const { rows } = await list(owner, "northwind", { sort: "lastSignIn", dir: "desc", pageSize: 100 });
    expect(rows.slice(0, 2).map((row) => row.email)).toEqual([CUSTOMER_VIEWER, EMEA_ADMIN]);
    expect(rows.at(-1)!.lastSignInAt).toBeNull();
  });

  it("refuses an unknown sort column and a page size it does not offer, per field", async () => {
    const owner = await contextFor(db(), OWNER);
    const error = await list(owner, "northwind", { sort: "password" as never, pageSize: 7 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(Object.keys((error as DomainError).details.fieldErrors ?? {}).sort()).toEqual(["pageSize", "sort"]);
  });
});

describe("listMembersAfter (keyset pages)", () => {
  /** Every row of every keyset page, in order, three at a time so that pages cross every boundary. */
  async function walk(ctx: ServiceContext, slug: string, options: Omit<MemberListInput, "nodeId" | "page" | "pageSize">) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listMembersAfter(ctx, { nodeId: await nodeId(db(), slug), ...options, limit: 3, cursor });
      expect(page.rows.length).toBeLessThanOrEqual(3);
      ids.push(...page.rows.map((row) => row.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  it.each(["name", "email", "status", "lastSignIn"] as const)("walks the same order as the numbered pages, sorted by %s both ways", async (sort) => {
    // Ties on the name, sign-ins to the microsecond, and principals without an email or a sign-in.
    const twins = await db()
      .insert(principals)
      .values([1, 2, 3].map((n) => ({ accountId, homeNodeId: accountId, kind: "user" as const, email: `twin-${sort}-${n}@northwind.example`, name: "Twin Example", status: "active" as const })))
      .returning({ id: principals.id });
    await db().execute(sql`update principals set last_sign_in_at = now() - (random() * interval '1 day') where name = 'Twin Example'`);
    const owner = await contextFor(db(), OWNER);
    try {
      for (const dir of ["asc", "desc"] as const) {
        const numbered = (await allPages(owner, "northwind", { sort, dir })).rows.map((row) => row.id);
        expect(await walk(owner, "northwind", { sort, dir })).toEqual(numbered);
      }
      const filtered = (await allPages(owner, "emea", { sort, dir: "desc", status: "active", q: "example" })).rows.map((row) => row.id);
      expect(filtered.length).toBeGreaterThan(3);
      expect(await walk(owner, "emea", { sort, dir: "desc", status: "active", q: "example" })).toEqual(filtered);
    } finally {
      await db().delete(principals).where(sql`${principals.id} in ${twins.map((twin) => twin.id)}`);
    }
  });

  it("refuses a cursor of another order and a tampered one as bad input", async () => {
    const owner = await contextFor(db(), OWNER);
    const node = await nodeId(db(), "northwind");
    const { nextCursor } = await listMembersAfter(owner, { nodeId: node, sort: "status", limit: 2 });
    await expect(listMembersAfter(owner, { nodeId: node, sort: "name", cursor: nextCursor! })).rejects.toMatchObject({ code: "invalid" });
    await expect(listMembersAfter(owner, { nodeId: node, sort: "status", dir: "desc", cursor: nextCursor! })).rejects.toMatchObject({ code: "invalid" });
    const forge = (keys: unknown[]) => Buffer.from(JSON.stringify({ sort: "status", dir: "asc", keys, id: crypto.randomUUID() })).toString("base64url");
    await expect(listMembersAfter(owner, { nodeId: node, sort: "status", cursor: forge(["root", "x"]) })).rejects.toMatchObject({ code: "invalid" });
    await expect(listMembersAfter(owner, { nodeId: node, sort: "lastSignIn", cursor: forge(["yesterday"]) })).rejects.toMatchObject({ code: "invalid" });
    for (const impossible of ["2026-02-30 10:00:00+00", "2026-12-01 24:00:00+00", "2026-12-01 10:61:00+00", "0000-01-01 00:00:00+00", "2026-12-01 10:00:00+16"]) {
      const forged = Buffer.from(JSON.stringify({ sort: "lastSignIn", dir: "desc", keys: [impossible], id: crypto.randomUUID() })).toString("base64url");
      await expect(listMembersAfter(owner, { nodeId: node, sort: "lastSignIn", cursor: forged }), impossible).rejects.toMatchObject({ code: "invalid" });
    }
    await expect(listMembersAfter(owner, { nodeId: node, cursor: "%%%" })).rejects.toMatchObject({ code: "invalid" });
    const { total } = await listMembers(owner, { nodeId: node });
    expect((await listMembersAfter(owner, { nodeId: node, sort: "status", cursor: nextCursor! })).rows).toHaveLength(total - 2);
  });

  it("refuses without member.read like the numbered list", async () => {
    await expect(listMembersAfter(await contextFor(db(), READER), { nodeId: await nodeId(db(), "emea") })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("listMembers filters", () => {
  it("filters by status, kind and text in name or email", async () => {
    const owner = await contextFor(db(), OWNER);
    expect((await list(owner, "northwind", { status: "disabled" })).rows.map((row) => row.name)).toEqual(["Oscar Lindqvist"]);
    expect((await list(owner, "northwind", { kind: "api_client" })).rows.map((row) => row.name)).toEqual(["Billing export job"]);
    expect((await list(owner, "northwind", { q: "SCHULZ" })).rows.map((row) => row.email)).toEqual([EMEA_ADMIN]);
    expect((await list(owner, "northwind", { q: "adler-logistik.example" })).total).toBe(2);
    expect((await list(owner, "northwind", { q: "100%_" })).total).toBe(0);
  });

  it("filters by a role held here, above or below, and by the source of an assignment", async () => {
    const owner = await contextFor(db(), OWNER);
    const ownerRole = await builtinRoleId(db(), "owner");
    const owners = await list(owner, "northwind", { roleId: ownerRole });
    expect(owners.rows.map((row) => row.name).sort()).toEqual(["Ava Thompson", "Liam Carter", "Nora Fabri"]);
    await db()
      .update(roleAssignments)
      .set({ source: "invitation" })
      .where(eq(roleAssignments.principalId, await principalId(db(), CUSTOMER_VIEWER)));
    expect((await list(owner, "northwind", { source: "invitation" })).rows.map((row) => row.email)).toEqual([CUSTOMER_VIEWER]);
    expect((await list(owner, "emea", { source: "idp" })).total).toBe(0);
  });
});

describe("listMembers scope", () => {
  it("tells a direct role from an inherited one and names the node it comes from", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    const { rows } = await list(viewer, "adler-logistik", { pageSize: 100 });
    const byEmail = new Map(rows.map((row) => [row.email, row]));
    expect(byEmail.get(CUSTOMER_VIEWER)).toMatchObject({ direct: { roleName: "Viewer", expired: false }, here: [{ roleName: "Viewer", inherited: false }] });
    expect(byEmail.get(OWNER)).toMatchObject({ direct: null, here: [{ roleName: "Owner", inherited: true, nodeName: "Northwind MSSP" }] });
    expect(byEmail.get(EMEA_ADMIN)).toMatchObject({ direct: null, here: [{ roleName: "Manager", inherited: true, nodeName: "EMEA" }] });
  });

  it("lists those with access only below the node, and nobody from another branch", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const { rows, total } = await allPages(admin, "emea");
    const hannah = rows.find((row) => row.email === CUSTOMER_VIEWER);
    expect(hannah).toMatchObject({ here: [], direct: null, below: 1 });
    const emea = await nodeId(db(), "emea");
    const [node] = await db().execute(sql`select path from nodes where id = ${emea}`).then((result) => (result as unknown as { rows: { path: string }[] }).rows);
    const expected = await principalsAssignedIn(
      sql`${roleAssignments.nodeId} in (select id from nodes where ${node!.path} like path || '%' or path like ${`${node!.path}%`})`,
    );
    expect(total).toBe(expected.length);
    expect(rows.map((row) => row.id).sort()).toEqual(expected);
    expect(rows.map((row) => row.email)).toContain("mateo.silva@baltic-freight-lines.example");
    expect(rows.map((row) => row.email)).not.toContain("lucas.oliveira@northwind.example");
    const adler = await list(admin, "adler-logistik", { pageSize: 100 });
    expect(adler.rows.map((row) => row.email)).not.toContain("mateo.silva@baltic-freight-lines.example");
    expect(adler.rows.map((row) => row.email)).not.toContain("lucas.oliveira@northwind.example");
  });

  it("refuses a principal without member.read on the node, and one who cannot see the node at all", async () => {
    const reader = await contextFor(db(), READER);
    await expect(list(reader, "emea")).rejects.toMatchObject({ code: "forbidden" });
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    await expect(list(viewer, "baltic-freight-lines")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("roleControls", () => {
  it("offers assigning only within a member's home, changing only where the grant rules allow, and nothing on oneself", async () => {
    const owner = await contextFor(db(), OWNER);
    const page = await list(owner, "emea", { pageSize: 100 });
    const controls = await roleControls(owner, page.node, page.rows);
    const of = (email: string) => controls.get(page.rows.find((row) => row.email === email)!.id);
    expect(of(CUSTOMER_VIEWER)).toEqual({ assign: false, change: false });
    expect(of("grace.kim@northwind.example")).toEqual({ assign: true, change: false });
    expect(of(EMEA_ADMIN)).toEqual({ assign: false, change: true });
    expect(of(OWNER)).toEqual({ assign: false, change: false });
  });

  it("offers nothing to a principal without role.assign", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    const page = await list(viewer, "adler-logistik", { pageSize: 100 });
    const controls = await roleControls(viewer, page.node, page.rows);
    expect([...controls.values()].every((control) => !control.assign && !control.change)).toBe(true);
  });
});

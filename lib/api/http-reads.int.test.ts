import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, roleAssignments, roles } from "@/db/schema";
import { createProfile } from "@/lib/access/profiles";
import { builtinRoleId, contextFor, principalId } from "@/lib/access/test-support";
import { BUILTIN_ROLES } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { listMembers } from "@/lib/members/list";
import { OWNER, startApiFixture, type ApiFixture } from "./testing/api-fixture";

// The reads of members, assignments, roles, profiles and API clients: an allowed and a refused client each,
// 404 where the client cannot see the node, 403 where it sees the node but lacks the permission.

let api: ApiFixture;
let owner: Awaited<ReturnType<ApiFixture["client"]>>;
let viewer: Awaited<ReturnType<ApiFixture["client"]>>;
let reader: Awaited<ReturnType<ApiFixture["client"]>>;
let treeReaderProfile: string;
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const AMERICAS_ADMIN = "lucas.oliveira@northwind.example";

beforeAll(async () => {
  api = await startApiFixture();
  owner = await api.client("northwind", "owner", "Provider automation");
  viewer = await api.client("emea", "viewer", "EMEA reporting");
  const readOnly = await createProfile(await contextFor(api.db, OWNER), { name: "Tree reader", permissions: ["tenant.read"] });
  treeReaderProfile = readOnly.id;
  reader = await api.client("emea", { roleId: readOnly.id }, "Tree reader bot");
});
afterAll(async () => api?.close());

async function deniedEvents(actorId: string, action: string) {
  return api.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, actorId), eq(auditEvents.action, action)));
}

describe("GET /nodes/{id}/members", () => {
  it("walks the same members in the same order as the portal's numbered pages, with the portal's filters", async () => {
    const id = await api.node("emea");
    const filters = { sort: "email", dir: "desc", status: "active", q: "example" } as const;
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiFixture["call"]>> = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id }, query: { ...filters, limit: 4, ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      ids.push(...page.body.items.map((member: { id: string }) => member.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const ctx = { db: api.db, authz: (await loadAuthContext(api.db, viewer.client.id))! };
    const portal = await listMembers(ctx, { nodeId: id, ...filters, pageSize: 100 });
    expect(portal.total).toBeGreaterThan(4);
    expect(ids).toEqual(portal.rows.map((row) => row.id));
  });

  it("tells an inherited role from a direct one, and answers 304 to an unchanged page", async () => {
    const id = await api.node("adler-logistik");
    const answer = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id }, query: { q: "weber" } });
    expect(answer.body.items).toMatchObject([{ email: CUSTOMER_VIEWER, direct: { roleName: "Viewer", expired: false }, here: [{ inherited: false }] }]);
    const emma = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id }, query: { q: "schulz" } });
    expect(emma.body.items).toMatchObject([{ email: EMEA_ADMIN, direct: null, here: [{ roleName: "Manager", inherited: true, nodeName: "EMEA" }] }]);
    const etag = answer.headers.get("etag")!;
    expect(etag).toMatch(/^"c[\w-]+"$/);
    const again = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id }, query: { q: "weber" }, headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("refuses without member.read (403), hides another branch (404), and refuses bad filters and cursors (400)", async () => {
    expect((await api.call("GET", "/nodes/{id}/members", { token: reader.token, params: { id: await api.node("emea") } })).status).toBe(403);
    expect(await deniedEvents(reader.client.id, "api.listMembers.denied")).toHaveLength(1);
    expect((await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id: await api.node("americas") } })).status).toBe(404);
    const bad = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id: await api.node("emea") }, query: { sort: "password", status: "asleep" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(["sort", "status"]);
    const first = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id: await api.node("emea") }, query: { limit: 2 } });
    const other = await api.call("GET", "/nodes/{id}/members", { token: viewer.token, params: { id: await api.node("emea") }, query: { sort: "email", cursor: first.body.nextCursor } });
    expect([other.status, Object.keys(other.body.errors)]).toEqual([400, ["cursor"]]);
  });
});

describe("GET /members/{id}", () => {
  it("reads a member of the client's branch with the roles it may see", async () => {
    const id = await principalId(api.db, CUSTOMER_VIEWER);
    const answer = await api.call("GET", "/members/{id}", { token: viewer.token, params: { id } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, email: CUSTOMER_VIEWER, kind: "user", homeNodeId: await api.node("adler-logistik") });
    expect(answer.body.assignments).toMatchObject([{ nodeId: await api.node("adler-logistik"), roleName: "Viewer", nodePath: ["Northwind MSSP", "Regions", "EMEA", "Enterprise", "Adler Logistik"], mayChange: false }]);
    expect((await api.call("GET", "/members/{id}", { token: viewer.token, params: { id }, headers: { "if-none-match": answer.headers.get("etag")! } })).status).toBe(304);
  });

  it("shows someone who has access on the node looked from, as that node's members list does", async () => {
    const ava = await principalId(api.db, OWNER);
    expect((await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: ava } })).status).toBe(404);
    const fromEmea = await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: ava }, query: { nodeId: await api.node("emea") } });
    expect(fromEmea.status).toBe(200);
    expect(fromEmea.body).toMatchObject({ email: OWNER, assignments: [] });
  });

  it("shows someone homed out of reach who holds a role in the client's branch, with that role only", async () => {
    const emma = await principalId(api.db, EMEA_ADMIN);
    const answer = await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: emma } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ homeNodeId: await api.node("northwind"), assignments: [{ nodeId: await api.node("emea"), roleName: "Manager" }] });
  });

  it("refuses without member.read where the member lives (403), hides other branches like unknown ids (404)", async () => {
    expect((await api.call("GET", "/members/{id}", { token: reader.token, params: { id: await principalId(api.db, CUSTOMER_VIEWER) } })).status).toBe(403);
    const hidden = await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: await principalId(api.db, AMERICAS_ADMIN) } });
    const missing = await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: crypto.randomUUID() } });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.detail).toBe(missing.body.detail);
    expect((await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: "nobody" } })).status).toBe(400);
    expect((await api.call("GET", "/members/{id}", { token: viewer.token, params: { id: crypto.randomUUID() }, query: { nodeId: "x" } })).status).toBe(400);
  });
});

describe("GET /nodes/{id}/assignments and /assignments/{id}", () => {
  it("pages through the assignments held on a node, each readable alone with the same ETag its create answered", async () => {
    const nodeId = await api.node("emea");
    const created = await api.call("POST", "/nodes/{id}/assignments", {
      token: owner.token,
      params: { id: nodeId },
      body: { principalId: await principalId(api.db, "priya.nair@northwind.example"), roleId: await builtinRoleId(api.db, "viewer") },
    });
    expect(created.status).toBe(201);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiFixture["call"]>> = await api.call("GET", "/nodes/{id}/assignments", { token: viewer.token, params: { id: nodeId }, query: { limit: 1, ...(cursor ? { cursor } : {}) } });
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      ids.push(...page.body.items.map((assignment: { id: string }) => assignment.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const rows = await api.db.select({ id: roleAssignments.id }).from(roleAssignments).where(eq(roleAssignments.nodeId, nodeId)).orderBy(asc(roleAssignments.id));
    expect(ids).toEqual(rows.map((row) => row.id));
    expect(ids).toContain(created.body.id);

    const read = await api.call("GET", "/assignments/{id}", { token: viewer.token, params: { id: created.body.id } });
    expect(read.body).toEqual(created.body);
    expect(read.headers.get("etag")).toBe(created.headers.get("etag"));
    expect((await api.call("GET", "/assignments/{id}", { token: viewer.token, params: { id: created.body.id }, headers: { "if-none-match": read.headers.get("etag")! } })).status).toBe(304);
    const listed = await api.call("GET", "/nodes/{id}/assignments", { token: viewer.token, params: { id: nodeId } });
    expect(listed.headers.get("etag")).toMatch(/^"c/);
  });

  it("refuses without member.read (403) and hides another branch's assignments like unknown ones (404)", async () => {
    const emea = await api.node("emea");
    expect((await api.call("GET", "/nodes/{id}/assignments", { token: reader.token, params: { id: emea } })).status).toBe(403);
    expect((await api.call("GET", "/nodes/{id}/assignments", { token: viewer.token, params: { id: await api.node("americas") } })).status).toBe(404);
    expect((await api.call("GET", "/nodes/{id}/assignments", { token: viewer.token, params: { id: emea }, query: { cursor: "nonsense" } })).status).toBe(400);
    const [emmas] = await api.db.select().from(roleAssignments).where(eq(roleAssignments.principalId, await principalId(api.db, EMEA_ADMIN)));
    expect((await api.call("GET", "/assignments/{id}", { token: reader.token, params: { id: emmas!.id } })).status).toBe(403);
    expect(await deniedEvents(reader.client.id, "role.read.denied")).toHaveLength(1);
    const [lucas] = await api.db.select().from(roleAssignments).where(eq(roleAssignments.principalId, await principalId(api.db, AMERICAS_ADMIN)));
    const hidden = await api.call("GET", "/assignments/{id}", { token: viewer.token, params: { id: lucas!.id } });
    const missing = await api.call("GET", "/assignments/{id}", { token: viewer.token, params: { id: crypto.randomUUID() } });
    expect([hidden.status, missing.status, hidden.body.detail]).toEqual([404, 404, missing.body.detail]);
  });
});

describe("GET /profiles and /profiles/{id}", () => {
  it("lists the account's custom profiles with where they are used, to a client that reads members", async () => {
    const answer = await api.call("GET", "/profiles", { token: viewer.token });
    expect(answer.status).toBe(200);
    const treeReader = answer.body.items.find((profile: { id: string }) => profile.id === treeReaderProfile);
    expect(treeReader).toMatchObject({ name: "Tree reader", builtin: false, assignments: 1, usedOn: [{ nodeId: await api.node("emea"), assignments: 1 }] });
    expect(answer.body.items.every((profile: { builtin: boolean }) => !profile.builtin)).toBe(true);
    expect(answer.headers.get("etag")).toMatch(/^"c/);
  });

  it("reads a profile with the version ETag its create answered, for If-Match", async () => {
    const created = await api.call("POST", "/profiles", { token: owner.token, body: { name: "Auditor", permissions: ["tenant.read", "audit.read"] } });
    expect([created.status, created.headers.get("etag")]).toEqual([201, '"v1"']);
    const read = await api.call("GET", "/profiles/{id}", { token: viewer.token, params: { id: created.body.id } });
    expect([read.status, read.headers.get("etag")]).toEqual([200, '"v1"']);
    expect(read.body).toEqual(created.body);
    expect((await api.call("GET", "/profiles/{id}", { token: viewer.token, params: { id: await builtinRoleId(api.db, "viewer") } })).status).toBe(404);
  });

  it("lets a client that only manages profiles read them too", async () => {
    const keeper = await createProfile(await contextFor(api.db, OWNER), { name: "Profile keeper", permissions: ["tenant.read", "profile.manage"] });
    const client = await api.client("northwind", { roleId: keeper.id }, "Profile keeper bot");
    expect((await api.call("GET", "/profiles", { token: client.token })).status).toBe(200);
  });

  it("refuses without member.read or profile.manage (403), and from a node out of reach (404)", async () => {
    expect((await api.call("GET", "/profiles", { token: reader.token })).status).toBe(403);
    expect((await api.call("GET", "/profiles/{id}", { token: reader.token, params: { id: treeReaderProfile } })).status).toBe(403);
    expect(await deniedEvents(reader.client.id, "profile.list.denied")).toHaveLength(1);
    expect((await api.call("GET", "/profiles", { token: viewer.token, query: { nodeId: await api.node("americas") } })).status).toBe(404);
    expect((await api.call("GET", "/profiles", { token: viewer.token, query: { nodeId: "x" } })).status).toBe(400);
  });
});

describe("GET /roles and /roles/{id}", () => {
  it("lists the built-in roles with their ids and permissions, then the custom profiles, to a client that reads members", async () => {
    const answer = await api.call("GET", "/roles", { token: viewer.token });
    expect(answer.status).toBe(200);
    const builtins = answer.body.items.slice(0, 3);
    expect(builtins.map((role: { id: string; builtin: boolean }) => [role.id, role.builtin])).toEqual([
      [await builtinRoleId(api.db, "owner"), true],
      [await builtinRoleId(api.db, "manager"), true],
      [await builtinRoleId(api.db, "viewer"), true],
    ]);
    expect(builtins.map((role: { permissions: string[] }) => [...role.permissions].sort())).toEqual(BUILTIN_ROLES.map((role) => [...role.permissions].sort()));
    const custom = answer.body.items.slice(3);
    expect(custom.every((role: { builtin: boolean }) => !role.builtin)).toBe(true);
    expect(custom.map((role: { name: string }) => role.name)).toEqual(custom.map((role: { name: string }) => role.name).sort((a: string, b: string) => a.localeCompare(b)));
    expect(custom.find((role: { id: string }) => role.id === treeReaderProfile)).toMatchObject({ name: "Tree reader", permissions: ["tenant.read"], version: 1 });
  });

  it("reads one role, built in or custom, as the list shows it", async () => {
    const listed = (await api.call("GET", "/roles", { token: viewer.token })).body.items;
    const manager = await api.call("GET", "/roles/{id}", { token: viewer.token, params: { id: await builtinRoleId(api.db, "manager") } });
    expect(manager.status).toBe(200);
    expect(manager.body).toEqual(listed.find((role: { key: string }) => role.key === "manager"));
    const custom = await api.call("GET", "/roles/{id}", { token: viewer.token, params: { id: treeReaderProfile }, query: { nodeId: await api.node("emea-smb") } });
    expect(custom.body).toEqual(listed.find((role: { id: string }) => role.id === treeReaderProfile));
    expect((await api.call("GET", "/roles/{id}", { token: viewer.token, params: { id: crypto.randomUUID() } })).status).toBe(404);
    expect((await api.call("GET", "/roles/{id}", { token: viewer.token, params: { id: "owner" } })).status).toBe(400);
  });

  it("refuses without member.read or profile.manage (403), from a node out of reach (404), and writes no role", async () => {
    const roleCount = async () => (await api.db.select({ n: sql<number>`count(*)::int` }).from(roles))[0]!.n;
    const before = await roleCount();
    expect((await api.call("GET", "/roles", { token: reader.token })).status).toBe(403);
    expect((await api.call("GET", "/roles/{id}", { token: reader.token, params: { id: treeReaderProfile } })).status).toBe(403);
    expect(await deniedEvents(reader.client.id, "role-catalog.list.denied")).toHaveLength(1);
    expect(await deniedEvents(reader.client.id, "role-catalog.read.denied")).toHaveLength(1);
    expect((await api.call("GET", "/roles", { token: viewer.token, query: { nodeId: await api.node("americas") } })).status).toBe(404);
    expect((await api.call("GET", "/roles", { token: viewer.token, query: { nodeId: "x" } })).status).toBe(400);
    expect(await roleCount()).toBe(before);
  });
});

describe("GET /api-clients/{id}", () => {
  it("reads a client, never its secret, with the ETag its create answered", async () => {
    const created = await api.call("POST", "/api-clients", { token: owner.token, body: { nodeId: await api.node("emea"), roleId: await builtinRoleId(api.db, "viewer"), name: "Inventory sync" } });
    const read = await api.call("GET", "/api-clients/{id}", { token: owner.token, params: { id: created.body.client.id } });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body.client);
    expect(JSON.stringify(read.body)).not.toContain(created.body.clientSecret);
    expect(read.headers.get("etag")).toBe(created.headers.get("etag"));
  });

  it("refuses without apiclient.manage on the client's home (403) and beyond the client's subtree (404)", async () => {
    expect((await api.call("GET", "/api-clients/{id}", { token: viewer.token, params: { id: reader.client.id } })).status).toBe(403);
    const hidden = await api.call("GET", "/api-clients/{id}", { token: viewer.token, params: { id: owner.client.id } });
    const missing = await api.call("GET", "/api-clients/{id}", { token: viewer.token, params: { id: crypto.randomUUID() } });
    expect([hidden.status, missing.status, hidden.body.detail]).toEqual([404, 404, missing.body.detail]);
  });
});

import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations, roleAssignments } from "@/db/schema";
import { createProfile } from "@/lib/access/profiles";
import { builtinRoleId, contextFor, principalId } from "@/lib/access/test-support";
import { OWNER, startApiFixture, type ApiFixture } from "./testing/api-fixture";

let api: ApiFixture;
let manager: Awaited<ReturnType<ApiFixture["client"]>>;
let viewer: Awaited<ReturnType<ApiFixture["client"]>>;
let reader: Awaited<ReturnType<ApiFixture["client"]>>;
const EMEA_ADMIN = "emma.schulz@northwind.example";
const INVITEE = "priya.nair@northwind.example";

beforeAll(async () => {
  api = await startApiFixture();
  manager = await api.client("emea", "manager", "EMEA admin bot");
  viewer = await api.client("emea", "viewer", "EMEA reporting");
  const readOnly = await createProfile(await contextFor(api.db, OWNER), { name: "Tree reader", permissions: ["tenant.read"] });
  reader = await api.client("emea", { roleId: readOnly.id }, "Tree reader bot");
});
afterAll(async () => api?.close());

async function assignmentCount(): Promise<number> {
  const [row] = await api.db.select({ n: sql<number>`count(*)::int` }).from(roleAssignments);
  return row!.n;
}

describe("GET /nodes/{id}/access", () => {
  it("lists who has access and through what, to a client with member.read", async () => {
    const answer = await api.call("GET", "/nodes/{id}/access", { token: viewer.token, params: { id: await api.node("emea-smb") } });
    expect(answer.status).toBe(200);
    const emma = answer.body.items.find((entry: { principal: { email: string | null } }) => entry.principal.email === EMEA_ADMIN);
    expect(emma.via).toMatchObject([{ roleName: "Manager", inherited: true }]);
  });

  it("refuses without member.read (403) and hides other branches (404)", async () => {
    expect((await api.call("GET", "/nodes/{id}/access", { token: reader.token, params: { id: await api.node("emea-smb") } })).status).toBe(403);
    expect((await api.call("GET", "/nodes/{id}/access", { token: viewer.token, params: { id: await api.node("americas") } })).status).toBe(404);
  });
});

describe("assignments", () => {
  it("creates, changes and removes an assignment within the grant rules", async () => {
    const nodeId = await api.node("emea-smb");
    const created = await api.call("POST", "/nodes/{id}/assignments", {
      token: manager.token,
      params: { id: nodeId },
      headers: { "idempotency-key": "assign-priya" },
      body: { principalId: await principalId(api.db, INVITEE), roleId: await builtinRoleId(api.db, "viewer") },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ nodeId, source: "direct", createdBy: manager.client.id });
    const count = await assignmentCount();
    const replay = await api.call("POST", "/nodes/{id}/assignments", {
      token: manager.token,
      params: { id: nodeId },
      headers: { "idempotency-key": "assign-priya" },
      body: { principalId: await principalId(api.db, INVITEE), roleId: await builtinRoleId(api.db, "viewer") },
    });
    expect([replay.status, replay.body.id]).toEqual([201, created.body.id]);
    expect(await assignmentCount()).toBe(count);

    const changed = await api.call("PATCH", "/assignments/{id}", { token: manager.token, params: { id: created.body.id }, body: { roleId: await builtinRoleId(api.db, "manager") } });
    expect(changed.status).toBe(200);
    expect(changed.body.roleId).toBe(await builtinRoleId(api.db, "manager"));

    expect((await api.call("DELETE", "/assignments/{id}", { token: viewer.token, params: { id: created.body.id } })).status).toBe(403);
    const removed = await api.call("DELETE", "/assignments/{id}", { token: manager.token, params: { id: created.body.id } });
    expect([removed.status, removed.body]).toEqual([204, null]);
    expect((await api.call("DELETE", "/assignments/{id}", { token: manager.token, params: { id: created.body.id } })).status).toBe(404);
    expect(await assignmentCount()).toBe(count - 1);
  });

  it("refuses a role above the client's own (rule 1), a viewer, and another branch, writing nothing", async () => {
    const before = await assignmentCount();
    const body = { principalId: await principalId(api.db, INVITEE), roleId: await builtinRoleId(api.db, "owner") };
    const owner = await api.call("POST", "/nodes/{id}/assignments", { token: manager.token, params: { id: await api.node("emea-smb") }, body });
    expect([owner.status, owner.body.rule]).toEqual([403, 1]);
    const fromViewer = await api.call("POST", "/nodes/{id}/assignments", {
      token: viewer.token,
      params: { id: await api.node("emea-smb") },
      body: { ...body, roleId: await builtinRoleId(api.db, "viewer") },
    });
    expect(fromViewer.status).toBe(403);
    const elsewhere = await api.call("POST", "/nodes/{id}/assignments", {
      token: manager.token,
      params: { id: await api.node("americas") },
      body: { ...body, roleId: await builtinRoleId(api.db, "viewer") },
    });
    expect(elsewhere.status).toBe(404);
    const invalid = await api.call("POST", "/nodes/{id}/assignments", { token: manager.token, params: { id: await api.node("emea-smb") }, body: { principalId: "x" } });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.errors).sort()).toEqual(["principalId", "roleId"]);
    expect(await assignmentCount()).toBe(before);
  });

  it("refuses changing the assignment of someone who holds more than the client", async () => {
    const [emma] = (await api.call("GET", "/nodes/{id}/access", { token: manager.token, params: { id: await api.node("emea") } })).body.items.filter(
      (entry: { principal: { email: string | null } }) => entry.principal.email === EMEA_ADMIN,
    );
    const keeper = await createProfile(await contextFor(api.db, OWNER), { name: "Junior assigner", permissions: ["tenant.read", "role.assign"] });
    const junior = await api.client("emea", { roleId: keeper.id }, "Junior bot");
    const answer = await api.call("PATCH", "/assignments/{id}", { token: junior.token, params: { id: emma.via[0].assignmentId }, body: { roleId: await builtinRoleId(api.db, "viewer") } });
    expect([answer.status, answer.body.rule]).toEqual([403, 1]);
  });
});

describe("invitations", () => {
  it("invites, lists, resends and withdraws, never answering with the link", async () => {
    const id = await api.node("emea-smb");
    const created = await api.call("POST", "/nodes/{id}/invitations", {
      token: manager.token,
      params: { id },
      body: { email: "New.Colleague@Example.com", roleId: await builtinRoleId(api.db, "viewer") },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: "new.colleague@example.com", nodeId: id, state: "pending" });
    expect(created.headers.get("etag")).toMatch(/^"c[\w-]+"$/);
    expect(JSON.stringify(created.body)).not.toMatch(/token/i);
    const listed = await api.call("GET", "/nodes/{id}/invitations", { token: viewer.token, params: { id } });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    expect((await api.call("POST", "/invitations/{id}/resend", { token: manager.token, params: { id: created.body.id } })).status).toBe(204);
    expect((await api.call("POST", "/invitations/{id}/revoke", { token: viewer.token, params: { id: created.body.id } })).status).toBe(403);
    expect((await api.call("POST", "/invitations/{id}/revoke", { token: manager.token, params: { id: created.body.id } })).status).toBe(204);
    expect((await api.call("POST", "/invitations/{id}/revoke", { token: manager.token, params: { id: created.body.id } })).status).toBe(400);
  });

  it("pages through a node's invitations newest first, each once, even created in the same microsecond", async () => {
    const id = await api.node("emea-enterprise");
    for (const name of ["ada", "ben", "cleo", "dev", "eli"]) {
      const created = await api.call("POST", "/nodes/{id}/invitations", { token: manager.token, params: { id }, body: { email: `${name}@example.com`, roleId: await builtinRoleId(api.db, "viewer") } });
      expect(created.status).toBe(201);
    }
    // Ties and microseconds that a millisecond clock cannot tell apart: the id orders a tie.
    const offsets = sql`case email when 'ada@example.com' then 1 when 'dev@example.com' then 2 when 'eli@example.com' then 3 else 0 end`;
    await api.db.execute(sql`update invitations set created_at = '2026-03-01 10:00:00.000001+00'::timestamptz + ${offsets} * interval '1 microsecond' where node_id = ${id}`);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiFixture["call"]>> = await api.call("GET", "/nodes/{id}/invitations", { token: viewer.token, params: { id }, query: { limit: 2, ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const rows = await api.db.select({ id: invitations.id }).from(invitations).where(eq(invitations.nodeId, id)).orderBy(desc(invitations.createdAt), desc(invitations.id));
    expect(rows).toHaveLength(5);
    expect(ids).toEqual(rows.map((row) => row.id));
  });

  it("refuses a list without member.read (403), of another branch (404), and a cursor that is not one of the node's (400)", async () => {
    const emea = await api.node("emea");
    expect((await api.call("GET", "/nodes/{id}/invitations", { token: reader.token, params: { id: emea } })).status).toBe(403);
    expect((await api.call("GET", "/nodes/{id}/invitations", { token: viewer.token, params: { id: await api.node("americas") } })).status).toBe(404);
    const other = await api.call("GET", "/nodes/{id}/invitations", { token: viewer.token, params: { id: await api.node("emea-enterprise") }, query: { limit: 1 } });
    for (const cursor of ["nonsense", other.body.nextCursor, Buffer.from(JSON.stringify({ id: crypto.randomUUID() })).toString("base64url")]) {
      const bad = await api.call("GET", "/nodes/{id}/invitations", { token: viewer.token, params: { id: emea }, query: { cursor } });
      expect([bad.status, bad.headers.get("content-type"), Object.keys(bad.body.errors)]).toEqual([400, "application/problem+json", ["cursor"]]);
    }
    expect((await api.call("GET", "/nodes/{id}/invitations", { token: viewer.token, params: { id: emea }, query: { limit: 0 } })).status).toBe(400);
  });

  it("refuses a viewer (403), another branch (404) and a role above the inviter's own, writing nothing", async () => {
    const count = async () => (await api.db.select({ n: sql<number>`count(*)::int` }).from(invitations))[0]!.n;
    const before = await count();
    const body = { email: "someone@example.com", roleId: await builtinRoleId(api.db, "viewer") };
    expect((await api.call("POST", "/nodes/{id}/invitations", { token: viewer.token, params: { id: await api.node("emea-smb") }, body })).status).toBe(403);
    expect((await api.call("POST", "/nodes/{id}/invitations", { token: manager.token, params: { id: await api.node("americas") }, body })).status).toBe(404);
    const owner = await api.call("POST", "/nodes/{id}/invitations", { token: manager.token, params: { id: await api.node("emea-smb") }, body: { ...body, roleId: await builtinRoleId(api.db, "owner") } });
    expect(owner.status).toBe(403);
    expect(await count()).toBe(before);
  });
});

describe("member security", () => {
  it("signs a member out everywhere, mails a reset link and resets their second factor", async () => {
    const id = await principalId(api.db, "hannah.weber@adler-logistik.example");
    for (const action of ["sign-out-everywhere", "password-reset", "second-factor-reset"]) {
      expect((await api.call("POST", `/members/{id}/${action}`, { token: viewer.token, params: { id } })).status).toBe(403);
      expect((await api.call("POST", `/members/{id}/${action}`, { token: manager.token, params: { id } })).status).toBe(204);
    }
  });

  it("answers 404 for a member whose home the client cannot see", async () => {
    const id = await principalId(api.db, "lucas.oliveira@northwind.example");
    expect((await api.call("POST", "/members/{id}/sign-out-everywhere", { token: manager.token, params: { id } })).status).toBe(404);
  });
});

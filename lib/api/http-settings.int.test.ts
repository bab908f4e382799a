import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeCapabilities, roles } from "@/db/schema";
import { startApiFixture, type ApiFixture } from "./testing/api-fixture";

let api: ApiFixture;
let owner: Awaited<ReturnType<ApiFixture["client"]>>;
let manager: Awaited<ReturnType<ApiFixture["client"]>>;
let viewer: Awaited<ReturnType<ApiFixture["client"]>>;
let accountViewer: Awaited<ReturnType<ApiFixture["client"]>>;

beforeAll(async () => {
  api = await startApiFixture();
  owner = await api.client("northwind", "owner", "Provider automation");
  manager = await api.client("emea", "manager", "EMEA admin bot");
  viewer = await api.client("emea", "viewer", "EMEA reporting");
  accountViewer = await api.client("northwind", "viewer", "Account reporting");
});
afterAll(async () => api?.close());

async function capabilityRows(slug: string) {
  return api.db.select().from(nodeCapabilities).where(eq(nodeCapabilities.nodeId, await api.node(slug)));
}

describe("capabilities", () => {
  it("lists a node's effective capabilities", async () => {
    const answer = await api.call("GET", "/nodes/{id}/capabilities", { token: viewer.token, params: { id: await api.node("emea-smb") } });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { capability: string }) => item.capability)).toEqual(expect.arrayContaining(["flex", "api"]));
  });

  it("sets and removes a capability with capability.assign on the parent", async () => {
    const id = await api.node("emea-smb");
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const set = await api.call("PUT", "/nodes/{id}/capabilities/{capability}", { token: manager.token, params: { id, capability: "sso" }, body: { expiresAt } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ capability: "sso", expiresAt });
    const removed = await api.call("DELETE", "/nodes/{id}/capabilities/{capability}", { token: manager.token, params: { id, capability: "sso" } });
    expect(removed.status).toBe(204);
    expect((await capabilityRows("emea-smb")).map((row) => row.capability)).not.toContain("sso");
  });

  it("refuses without capability.assign on the giver (403), out of reach (404), bad input (400), and writes nothing", async () => {
    const before = [await capabilityRows("emea"), await capabilityRows("emea-smb")];
    const atEmea = await api.call("PUT", "/nodes/{id}/capabilities/{capability}", { token: manager.token, params: { id: await api.node("emea"), capability: "sso" }, body: {} });
    expect(atEmea.status).toBe(403);
    const fromViewer = await api.call("DELETE", "/nodes/{id}/capabilities/{capability}", { token: viewer.token, params: { id: await api.node("emea-smb"), capability: "flex" } });
    expect(fromViewer.status).toBe(403);
    const hidden = await api.call("PUT", "/nodes/{id}/capabilities/{capability}", { token: manager.token, params: { id: await api.node("americas-smb"), capability: "sso" }, body: {} });
    expect(hidden.status).toBe(404);
    const invalid = await api.call("PUT", "/nodes/{id}/capabilities/{capability}", { token: manager.token, params: { id: await api.node("emea-smb"), capability: "teleport" }, body: { expiresAt: "yesterday" } });
    expect(invalid.status).toBe(400);
    expect([await capabilityRows("emea"), await capabilityRows("emea-smb")]).toEqual(before);
  });
});

describe("permission profiles", () => {
  it("creates, changes with If-Match (412 when stale) and deletes a profile", async () => {
    const created = await api.call("POST", "/profiles", { token: owner.token, body: { name: "Night shift", permissions: ["tenant.read", "member.read"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Night shift", builtin: false, version: 1 });
    const changed = await api.call("PATCH", "/profiles/{id}", { token: owner.token, params: { id: created.body.id }, headers: { "if-match": '"v1"' }, body: { description: "Out of hours" } });
    expect([changed.status, changed.headers.get("etag")]).toEqual([200, '"v2"']);
    const stale = await api.call("PATCH", "/profiles/{id}", { token: owner.token, params: { id: created.body.id }, headers: { "if-match": '"v1"' }, body: { description: "Lost update" } });
    expect(stale.status).toBe(412);
    const removed = await api.call("DELETE", "/profiles/{id}", { token: owner.token, params: { id: created.body.id } });
    expect(removed.status).toBe(204);
    expect(await api.db.select().from(roles).where(eq(roles.id, created.body.id))).toEqual([]);
  });

  it("refuses without profile.manage: 403 where the account is visible, 404 where it is not; writes nothing", async () => {
    const count = async () => (await api.db.select({ n: sql<number>`count(*)::int` }).from(roles))[0]!.n;
    const before = await count();
    expect((await api.call("POST", "/profiles", { token: accountViewer.token, body: { name: "Mine", permissions: ["tenant.read"] } })).status).toBe(403);
    expect((await api.call("POST", "/profiles", { token: manager.token, body: { name: "Mine", permissions: ["tenant.read"] } })).status).toBe(404);
    const invalid = await api.call("POST", "/profiles", { token: owner.token, body: { name: "", permissions: ["tenant.fly"] } });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.errors).sort()).toEqual(["name", "permissions"]);
    expect(await count()).toBe(before);
  });
});

describe("audit events", () => {
  it("pages through a subtree's events, newest first, with the API clients' own actions in them", async () => {
    const nodeId = await api.node("northwind");
    const first = await api.call("GET", "/audit-events", { token: owner.token, query: { nodeId, limit: 2 } });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await api.call("GET", "/audit-events", { token: owner.token, query: { nodeId, limit: 2, cursor: first.body.nextCursor } });
    expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);
    const tokens = await api.call("GET", "/audit-events", { token: owner.token, query: { nodeId, action: "apiclient.token", limit: 100 } });
    expect(tokens.body.items.map((event: { actingAs: string }) => event.actingAs)).toContain("api_client");
  });

  it("refuses without audit.read (403) and beyond the client's subtree (404)", async () => {
    expect((await api.call("GET", "/audit-events", { token: viewer.token, query: { nodeId: await api.node("emea") } })).status).toBe(403);
    expect((await api.call("GET", "/audit-events", { token: manager.token, query: { nodeId: await api.node("emea") } })).status).toBe(200);
    expect((await api.call("GET", "/audit-events", { token: manager.token, query: { nodeId: await api.node("americas") } })).status).toBe(404);
    expect((await api.call("GET", "/audit-events", { token: manager.token, query: { nodeId: await api.node("emea"), cursor: "x" } })).status).toBe(400);
  });
});


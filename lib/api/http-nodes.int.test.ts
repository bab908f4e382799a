import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiIdempotencyKeys, auditEvents, nodes, rateLimits } from "@/db/schema";
import { contextFor } from "@/lib/access/test-support";
import { disableApiClient } from "@/lib/api-clients/service";
import { clientRateKey, REQUESTS_PER_CLIENT } from "./authenticate";
import { OWNER, startApiFixture, type ApiFixture } from "./testing/api-fixture";

let api: ApiFixture;
let owner: Awaited<ReturnType<ApiFixture["client"]>>;
let viewer: Awaited<ReturnType<ApiFixture["client"]>>;

beforeAll(async () => {
  api = await startApiFixture();
  owner = await api.client("northwind", "owner", "Provider automation");
  viewer = await api.client("emea", "viewer", "EMEA reporting");
});
afterAll(async () => api?.close());

async function nodeCount(): Promise<number> {
  const [row] = await api.db.select({ n: sql<number>`count(*)::int` }).from(nodes);
  return row!.n;
}

describe("authentication", () => {
  it("answers 401 with a problem and a Bearer challenge without a valid token", async () => {
    for (const token of [null, "not-a-token", "A".repeat(43)]) {
      const answer = await api.call("GET", "/me", { token });
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.body).toMatchObject({ type: "/api/docs#problem-unauthenticated", status: 401 });
    }
  });

  it("tells the client who it is and what it holds", async () => {
    const answer = await api.call("GET", "/me", { token: viewer.token });
    expect(answer.status).toBe(200);
    expect(answer.body.principal).toMatchObject({ id: viewer.client.id, kind: "api_client", name: "EMEA reporting" });
    expect(answer.body.assignments).toMatchObject([{ nodeId: await api.node("emea"), roleName: "Viewer" }]);
  });
});

describe("GET /nodes", () => {
  it("pages through every readable node with a cursor, without overlap", async () => {
    const first = await api.call("GET", "/nodes", { token: viewer.token, query: { limit: 5 } });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    const second = await api.call("GET", "/nodes", { token: viewer.token, query: { limit: 500, cursor: first.body.nextCursor } });
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((node: { id: string }) => node.id);
    expect(new Set(ids).size).toBe(ids.length);
    const emea = await api.node("emea");
    expect(ids[0]).toBe(emea);
    expect(ids).not.toContain(await api.node("americas"));
  });

  it("filters by subtree, kind and search", async () => {
    const answer = await api.call("GET", "/nodes", { token: owner.token, query: { under: await api.node("emea"), kind: "group", limit: 100 } });
    expect(answer.body.items.map((node: { slug: string }) => node.slug).sort()).toEqual(["emea", "emea-enterprise", "emea-smb"]);
    const search = await api.call("GET", "/nodes", { token: owner.token, query: { search: "adler" } });
    expect(search.body.items.map((node: { slug: string }) => node.slug)).toEqual(["adler-logistik"]);
  });

  it("answers 404 for a subtree the client may not see and 400 with field errors for bad paging", async () => {
    expect((await api.call("GET", "/nodes", { token: viewer.token, query: { under: await api.node("americas") } })).status).toBe(404);
    const bad = await api.call("GET", "/nodes", { token: viewer.token, query: { limit: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty("limit");
    expect((await api.call("GET", "/nodes", { token: viewer.token, query: { cursor: "bogus" } })).status).toBe(400);
  });
});

describe("GET /nodes/{id}", () => {
  it("returns the node with an ETag, and 304 when it has not changed", async () => {
    const id = await api.node("emea-smb");
    const answer = await api.call("GET", "/nodes/{id}", { token: viewer.token, params: { id } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, slug: "emea-smb", kind: "group", version: 1 });
    expect(answer.headers.get("etag")).toBe('"v1"');
    const again = await api.call("GET", "/nodes/{id}", { token: viewer.token, params: { id }, headers: { "if-none-match": '"v1"' } });
    expect(again.status).toBe(304);
  });

  it("answers 404 alike for a node out of reach and one that does not exist, 400 for a malformed id", async () => {
    const hidden = await api.call("GET", "/nodes/{id}", { token: viewer.token, params: { id: await api.node("americas") } });
    const missing = await api.call("GET", "/nodes/{id}", { token: viewer.token, params: { id: crypto.randomUUID() } });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.detail).toBe(missing.body.detail);
    expect((await api.call("GET", "/nodes/{id}", { token: viewer.token, params: { id: "nope" } })).status).toBe(400);
  });
});

describe("POST /nodes", () => {
  it("creates a node (201) audited with the client as the actor", async () => {
    const parentId = await api.node("emea-smb");
    const answer = await api.call("POST", "/nodes", { token: owner.token, body: { parentId, kind: "organization", name: "Kestrel Freight" } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ parentId, kind: "organization", name: "Kestrel Freight", slug: "kestrel-freight", version: 1 });
    expect(answer.headers.get("etag")).toBe('"v1"');
    const [event] = await api.db.select().from(auditEvents).where(and(eq(auditEvents.action, "node.create"), eq(auditEvents.targetId, answer.body.id)));
    expect(event).toMatchObject({ actorId: owner.client.id, actingAs: "api_client" });
  });

  it("refuses a viewer with 403 and writes nothing but the denial; invalid input is 400 with field errors", async () => {
    const before = await nodeCount();
    const refused = await api.call("POST", "/nodes", { token: viewer.token, body: { parentId: await api.node("emea"), kind: "group", name: "Nope" } });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe("/api/docs#problem-forbidden");
    const invalid = await api.call("POST", "/nodes", { token: owner.token, body: { parentId: "x", kind: "planet", name: "" } });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.errors).sort()).toEqual(["kind", "name", "parentId"]);
    expect(await nodeCount()).toBe(before);
    const [denial] = await api.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, viewer.client.id), eq(auditEvents.action, "api.createNode.denied")));
    expect(denial).toBeDefined();
  });
});

describe("Idempotency-Key", () => {
  const create = async (key: string, name: string) =>
    api.call("POST", "/nodes", { token: owner.token, headers: { "idempotency-key": key }, body: { parentId: await api.node("apac"), kind: "group", name } });

  it("replays the first answer for the same key and body, and creates nothing new", async () => {
    const first = await create("replay-1", "Oceania");
    const before = await nodeCount();
    const replay = await create("replay-1", "Oceania");
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await nodeCount()).toBe(before);
  });

  it("refuses the same key with another body (422) and while the first request runs (409)", async () => {
    await create("mismatch-1", "South Asia");
    const mismatch = await create("mismatch-1", "North Asia");
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.type).toBe("/api/docs#problem-idempotency-mismatch");
    const body = JSON.stringify({ parentId: await api.node("apac"), kind: "group", name: "Pacific" });
    const { requestHash } = await import("./idempotency");
    await api.db.insert(apiIdempotencyKeys).values({
      accountId: owner.client.homeNodeId,
      principalId: owner.client.id,
      key: "running-1",
      requestHash: requestHash("POST", "/api/v1/nodes", body),
    });
    const running = await create("running-1", "Pacific");
    expect(running.status).toBe(409);
    expect(running.body.type).toBe("/api/docs#problem-idempotency-in-progress");
  });

  it("forgets a key after a day: the same key then runs as a new request", async () => {
    await api.db.insert(apiIdempotencyKeys).values({
      accountId: owner.client.homeNodeId,
      principalId: owner.client.id,
      key: "old-1",
      requestHash: "0".repeat(64),
      responseStatus: 201,
      responseBody: {},
      createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000),
    });
    const answer = await create("old-1", "Micronesia");
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe("Micronesia");
  });

  it("creates one node when the same request arrives several times at once", async () => {
    const before = await nodeCount();
    const answers = await Promise.all([1, 2, 3, 4].map(() => create("concurrent-1", "Antipodes")));
    expect(await nodeCount()).toBe(before + 1);
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const answer of created) expect(answer.body).toEqual(created[0]!.body);
    for (const answer of answers.filter((answer) => answer.status !== 201)) expect(answer.status).toBe(409);
  });
});

describe("PATCH /nodes/{id} with If-Match", () => {
  it("renames and retags in one new version with the current ETag, refuses a stale one with 412 and changes nothing", async () => {
    const id = await api.node("emea-enterprise");
    const read = await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id } });
    const etag = read.headers.get("etag")!;
    const changed = await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id }, headers: { "if-match": etag }, body: { name: "EMEA Large", tags: ["tier:gold"] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: "EMEA Large", tags: ["tier:gold"], version: read.body.version + 1 });
    expect(changed.headers.get("etag")).toBe(`"v${read.body.version + 1}"`);
    const events = await api.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, id), eq(auditEvents.actorId, owner.client.id)));
    expect(events.map((event) => event.action).sort()).toEqual(["node.rename", "node.tag"]);
    const stale = await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id }, headers: { "if-match": etag }, body: { name: "Too late" } });
    expect(stale.status).toBe(412);
    expect((await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id }, headers: { "if-match": "garbage" }, body: { name: "x" } })).status).toBe(412);
    expect((await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id } })).body.name).toBe("EMEA Large");
  });

  it("refuses a viewer with 403, an empty change and one invalid part with 400, writing nothing", async () => {
    const id = await api.node("emea-smb");
    const before = (await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id } })).body;
    expect((await api.call("PATCH", "/nodes/{id}", { token: viewer.token, params: { id }, body: { name: "Mine" } })).status).toBe(403);
    expect((await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id }, body: {} })).status).toBe(400);
    const half = await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id }, body: { name: "Valid Name", tags: ["no-colon"] } });
    expect([half.status, Object.keys(half.body.errors)]).toEqual([400, ["tags"]]);
    expect((await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id } })).body).toEqual(before);
  });
});

describe("move, archive, restore", () => {
  it("previews a move without moving, then moves", async () => {
    const id = await api.node("adler-logistik");
    const newParentId = await api.node("emea-smb");
    const preview = await api.call("POST", "/nodes/{id}/move", { token: owner.token, params: { id }, body: { newParentId, preview: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ applied: false, node: { id }, to: { id: newParentId } });
    expect((await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id } })).body.parentId).not.toBe(newParentId);
    const moved = await api.call("POST", "/nodes/{id}/move", { token: owner.token, params: { id }, body: { newParentId } });
    expect(moved.body.applied).toBe(true);
    expect((await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id } })).body.parentId).toBe(newParentId);
  });

  it("refuses a viewer's move with 403", async () => {
    const answer = await api.call("POST", "/nodes/{id}/move", { token: viewer.token, params: { id: await api.node("emea-smb") }, body: { newParentId: await api.node("emea-enterprise") } });
    expect(answer.status).toBe(403);
  });

  it("archives and restores; a viewer is refused", async () => {
    const id = await api.node("emea-smb");
    expect((await api.call("POST", "/nodes/{id}/archive", { token: viewer.token, params: { id } })).status).toBe(403);
    const archived = await api.call("POST", "/nodes/{id}/archive", { token: owner.token, params: { id } });
    expect(archived.body.status).toBe("archived");
    expect((await api.call("POST", "/nodes/{id}/archive", { token: owner.token, params: { id } })).status).toBe(400);
    const restored = await api.call("POST", "/nodes/{id}/restore", { token: owner.token, params: { id } });
    expect(restored.body.status).toBe("active");
  });
});

describe("limits and revocation", () => {
  it("answers 429 with Retry-After once a client has used its window", async () => {
    await api.db
      .insert(rateLimits)
      .values({ key: clientRateKey(viewer.client.id), windowStartedAt: new Date(), failures: REQUESTS_PER_CLIENT.limit })
      .onConflictDoUpdate({ target: rateLimits.key, set: { failures: REQUESTS_PER_CLIENT.limit, windowStartedAt: new Date() } });
    const answer = await api.call("GET", "/me", { token: viewer.token });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    await api.db.delete(rateLimits).where(eq(rateLimits.key, clientRateKey(viewer.client.id)));
    expect((await api.call("GET", "/me", { token: viewer.token })).status).toBe(200);
  });

  it("refuses a disabled client's token on its very next request", async () => {
    const doomed = await api.client("emea", "viewer", "Soon disabled");
    expect((await api.call("GET", "/me", { token: doomed.token })).status).toBe(200);
    await disableApiClient(await contextFor(api.db, OWNER), { apiClientId: doomed.client.id });
    expect((await api.call("GET", "/me", { token: doomed.token })).status).toBe(401);
  });
});

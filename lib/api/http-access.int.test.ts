import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { createProfile } from "@/lib/access/profiles";
import { contextFor, principalId } from "@/lib/access/test-support";
import { TOKEN_PER_CLIENT } from "@/lib/api-clients/tokens";
import { OWNER, startApiFixture, type ApiFixture } from "./testing/api-fixture";

let api: ApiFixture;
let owner: Awaited<ReturnType<ApiFixture["client"]>>;
let viewer: Awaited<ReturnType<ApiFixture["client"]>>;
let reader: Awaited<ReturnType<ApiFixture["client"]>>;
const EMEA_ADMIN = "emma.schulz@northwind.example";

beforeAll(async () => {
  api = await startApiFixture();
  owner = await api.client("northwind", "owner", "Provider automation");
  viewer = await api.client("emea", "viewer", "EMEA reporting");
  const readOnly = await createProfile(await contextFor(api.db, OWNER), { name: "Tree reader", permissions: ["tenant.read"] });
  reader = await api.client("emea", { roleId: readOnly.id }, "Tree reader bot");
});
afterAll(async () => api?.close());

describe("POST /oauth/token", () => {
  it("issues a bearer token for credentials in the body or with HTTP Basic", async () => {
    const { client, clientSecret } = owner;
    const inBody = await api.requestToken({ grant_type: "client_credentials", client_id: client.clientId, client_secret: clientSecret });
    expect(inBody.status).toBe(200);
    expect(inBody.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(inBody.headers.get("cache-control")).toBe("no-store");
    const basic = Buffer.from(`${client.clientId}:${clientSecret}`).toString("base64");
    const withBasic = await api.requestToken({ grant_type: "client_credentials" }, { authorization: `Basic ${basic}` });
    expect(withBasic.status).toBe(200);
    expect((await api.call("GET", "/me", { token: withBasic.body.access_token })).status).toBe(200);
  });

  it("answers RFC 6749 errors: invalid_client, unsupported_grant_type, invalid_request", async () => {
    const wrong = await api.requestToken({ grant_type: "client_credentials", client_id: viewer.client.clientId, client_secret: "z".repeat(43) });
    expect([wrong.status, wrong.body.error]).toEqual([401, "invalid_client"]);
    const unknown = await api.requestToken({ grant_type: "client_credentials", client_id: "arb_nobody", client_secret: "z" });
    expect([unknown.status, unknown.body.error]).toEqual([401, "invalid_client"]);
    const grant = await api.requestToken({ grant_type: "password", client_id: viewer.client.clientId, client_secret: viewer.clientSecret });
    expect([grant.status, grant.body.error]).toEqual([400, "unsupported_grant_type"]);
    const missing = await api.requestToken({ client_id: viewer.client.clientId });
    expect([missing.status, missing.body.error]).toEqual([400, "invalid_request"]);
  });

  it("rate-limits secret guessing with 429 and Retry-After", async () => {
    const target = await api.client("emea", "viewer", "Guessed at");
    for (let attempt = 0; attempt < TOKEN_PER_CLIENT.limit; attempt++) {
      await api.requestToken({ grant_type: "client_credentials", client_id: target.client.clientId, client_secret: "g".repeat(43) });
    }
    const limited = await api.requestToken({ grant_type: "client_credentials", client_id: target.client.clientId, client_secret: target.clientSecret });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("POST /authz/check and /authz/explain", () => {
  it("answers for the caller itself with tenant.read on the node", async () => {
    const nodeId = await api.node("emea-smb");
    const read = await api.call("POST", "/authz/check", { token: reader.token, body: { permission: "tenant.read", nodeId } });
    expect(read.body).toMatchObject({ allowed: true, principalId: reader.client.id });
    const update = await api.call("POST", "/authz/check", { token: reader.token, body: { permission: "tenant.update", nodeId } });
    expect(update.body.allowed).toBe(false);
    const why = await api.call("POST", "/authz/explain", { token: reader.token, body: { permission: "tenant.update", nodeId } });
    expect(why.body).toMatchObject({ allowed: false, reason: "no-assignment" });
  });

  it("explains another principal's access to a client with member.read, naming the granting assignment", async () => {
    const nodeId = await api.node("emea-smb");
    const answer = await api.call("POST", "/authz/explain", {
      token: viewer.token,
      body: { principalId: await principalId(api.db, EMEA_ADMIN), permission: "tenant.update", nodeId },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ allowed: true, inherited: true, grant: { nodeId: await api.node("emea"), roleName: "Manager", source: "direct" } });
  });

  it("refuses asking about someone else without member.read (403) and about a node out of reach (404)", async () => {
    const body = { principalId: await principalId(api.db, EMEA_ADMIN), permission: "tenant.read", nodeId: await api.node("emea-smb") };
    const refused = await api.call("POST", "/authz/check", { token: reader.token, body });
    expect(refused.status).toBe(403);
    const [denial] = await api.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, reader.client.id), eq(auditEvents.action, "access.explain.denied")));
    expect(denial).toBeDefined();
    const hidden = await api.call("POST", "/authz/explain", { token: viewer.token, body: { ...body, nodeId: await api.node("americas") } });
    expect(hidden.status).toBe(404);
    const invalid = await api.call("POST", "/authz/explain", { token: viewer.token, body: { ...body, permission: "tenant.fly" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toHaveProperty("permission");
  });
});

describe("/api-clients", () => {
  it("creates (201, secret once), lists, rotates and disables clients through the API", async () => {
    const account = await api.node("northwind");
    const [roleRow] = (await api.call("GET", "/me", { token: viewer.token })).body.assignments;
    const created = await api.call("POST", "/api-clients", { token: owner.token, body: { nodeId: account, roleId: roleRow.roleId, name: "Billing export" } });
    expect(created.status).toBe(201);
    expect(created.body.clientSecret).toHaveLength(43);
    const [event] = await api.db.select().from(auditEvents).where(and(eq(auditEvents.action, "apiclient.create"), eq(auditEvents.targetId, created.body.client.id)));
    expect(event).toMatchObject({ actorId: owner.client.id, actingAs: "api_client" });

    const listed = await api.call("GET", "/api-clients", { token: owner.token, query: { nodeId: account } });
    expect(listed.body.items.map((client: { id: string }) => client.id)).toEqual(expect.arrayContaining([created.body.client.id, viewer.client.id]));
    expect(JSON.stringify(listed.body)).not.toContain(created.body.clientSecret);

    const rotated = await api.call("POST", "/api-clients/{id}/rotate", { token: owner.token, params: { id: created.body.client.id } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.clientSecret).not.toBe(created.body.clientSecret);
    const disabled = await api.call("POST", "/api-clients/{id}/disable", { token: owner.token, params: { id: created.body.client.id } });
    expect(disabled.body.status).toBe("disabled");
    const token = await api.requestToken({ grant_type: "client_credentials", client_id: created.body.client.clientId, client_secret: rotated.body.clientSecret });
    expect(token.status).toBe(401);
  });

  it("refuses clients without apiclient.manage: 403 on their node, 404 beyond it", async () => {
    const emea = await api.node("emea");
    const [roleRow] = (await api.call("GET", "/me", { token: viewer.token })).body.assignments;
    const refused = await api.call("POST", "/api-clients", { token: viewer.token, body: { nodeId: emea, roleId: roleRow.roleId, name: "Sneaky" } });
    expect(refused.status).toBe(403);
    expect((await api.call("GET", "/api-clients", { token: viewer.token, query: { nodeId: emea } })).status).toBe(403);
    expect((await api.call("GET", "/api-clients", { token: viewer.token, query: { nodeId: await api.node("americas") } })).status).toBe(404);
    expect((await api.call("POST", "/api-clients/{id}/disable", { token: viewer.token, params: { id: owner.client.id } })).status).toBe(404);
    expect((await api.call("POST", "/api-clients/{id}/rotate", { token: viewer.token, params: { id: reader.client.id } })).status).toBe(403);
    expect((await api.call("GET", "/me", { token: owner.token })).status).toBe(200);
  });

  it("lets a client rotate no client that holds more than it does (grant rule 4)", async () => {
    const manager = await api.client("emea", "manager", "EMEA manager bot");
    const keeper = await createProfile(await contextFor(api.db, OWNER), { name: "Key keeper", permissions: ["tenant.read", "apiclient.manage"] });
    const keeperClient = await api.client("emea", { roleId: keeper.id }, "Key keeper bot");
    const answer = await api.call("POST", "/api-clients/{id}/rotate", { token: keeperClient.token, params: { id: manager.client.id } });
    expect(answer.status).toBe(403);
    expect(answer.body.rule).toBe(4);
  });
});

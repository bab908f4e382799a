import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { apiClients, auditEvents, principals, roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { assignRole } from "@/lib/access/service";
import { createProfile } from "@/lib/access/profiles";
import { builtinRoleId, contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { DomainError } from "@/lib/errors";
import { createApiClient, createApiClientAsOperator, disableApiClient, listApiClients, rotateApiClientSecret } from "./service";
import { authenticateToken, issueToken, TOKEN_PER_CLIENT, TokenError } from "./tokens";

let connection: DatabaseConnection;
const db = () => connection.db;

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const VIEWER = "grace.kim@northwind.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";
const CLIENT_INFO = { address: "203.0.113.9", userAgent: "vitest" };

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

async function counts() {
  const [clients] = await db().select({ n: sql<number>`count(*)::int` }).from(apiClients);
  const [all] = await db().select({ n: sql<number>`count(*)::int` }).from(principals);
  const [assignments] = await db().select({ n: sql<number>`count(*)::int` }).from(roleAssignments);
  const [changes] = await db().select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(sql`${auditEvents.action} not like '%.denied'`);
  return { clients: clients!.n, principals: all!.n, assignments: assignments!.n, changes: changes!.n };
}

async function expectRefusal(call: () => Promise<unknown>, expected: { code: string; rule?: number }) {
  const before = await counts();
  const error = await call().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code: expected.code, ...(expected.rule ? { details: { rule: expected.rule } } : {}) });
  expect(await counts()).toEqual(before);
}

describe("createApiClient", () => {
  it("creates a client principal with its role on the node, the secret once, and an audit event", async () => {
    const ctx = await contextFor(db(), OWNER);
    const node = await nodeId(db(), "emea");
    const { client, clientSecret } = await createApiClient(ctx, { nodeId: node, roleId: await builtinRoleId(db(), "manager"), name: "EMEA onboarding" });
    expect(client).toMatchObject({ name: "EMEA onboarding", homeNodeId: node, status: "active", createdBy: ctx.authz.principal.id });
    expect(client.clientId).toMatch(/^arb_[0-9a-f]{24}$/);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await db().select().from(apiClients).where(eq(apiClients.principalId, client.id));
    expect(stored!.secretHash).not.toContain(clientSecret);
    const [principal] = await db().select().from(principals).where(eq(principals.id, client.id));
    expect(principal).toMatchObject({ kind: "api_client", email: null, homeNodeId: node });
    const assignments = await db().select().from(roleAssignments).where(eq(roleAssignments.principalId, client.id));
    expect(assignments).toMatchObject([{ nodeId: node, source: "direct", createdBy: ctx.authz.principal.id }]);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, client.id));
    expect(event).toMatchObject({ action: "apiclient.create", actorId: ctx.authz.principal.id, nodeId: node });
    expect(JSON.stringify(event!.summary)).not.toContain(clientSecret);
  });

  it("refuses a Manager, who lacks apiclient.manage, and writes nothing", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const input = { nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "viewer"), name: "Not allowed" };
    await expectRefusal(() => createApiClient(ctx, input), { code: "forbidden" });
  });

  it("answers not-found for a node outside the creator's reach", async () => {
    const ctx = await contextFor(db(), RESELLER_OWNER);
    const input = { nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "viewer"), name: "Elsewhere" };
    await expectRefusal(() => createApiClient(ctx, input), { code: "not_found" });
  });

  it("refuses a role with more than the creator holds on the node (grant rule 1), allows one within it", async () => {
    const owner = await contextFor(db(), OWNER);
    const profile = await createProfile(owner, { name: "API keeper", permissions: ["tenant.read", "apiclient.manage", "role.assign"] });
    const emea = await nodeId(db(), "emea");
    await assignRole(owner, { principalId: await principalId(db(), VIEWER), nodeId: emea, roleId: profile.id });
    const keeper = await contextFor(db(), VIEWER);
    const manager = await builtinRoleId(db(), "manager");
    await expectRefusal(() => createApiClient(keeper, { nodeId: emea, roleId: manager, name: "Too strong" }), {
      code: "forbidden",
      rule: 1,
    });
    const { client } = await createApiClient(keeper, { nodeId: emea, roleId: await builtinRoleId(db(), "viewer"), name: "Reporting" });
    expect(client.name).toBe("Reporting");
  });

  it("refuses bad input with field errors", async () => {
    const ctx = await contextFor(db(), OWNER);
    const error = await createApiClient(ctx, { nodeId: "nope", roleId: await builtinRoleId(db(), "viewer"), name: " " }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "invalid", details: { fieldErrors: { nodeId: expect.any(Array), name: expect.any(Array) } } });
  });
});

describe("tokens, rotation and disabling", () => {
  it("issues a bearer token for the right secret and refuses a wrong one", async () => {
    const { client, clientSecret } = await createApiClient(await contextFor(db(), OWNER), {
      nodeId: await nodeId(db(), "americas"),
      roleId: await builtinRoleId(db(), "viewer"),
      name: "Americas reports",
    });
    const now = new Date();
    const issued = await issueToken(db(), { clientId: client.clientId, clientSecret }, CLIENT_INFO, now);
    expect(issued.expiresIn).toBeLessThanOrEqual(3600);
    expect(await authenticateToken(db(), issued.accessToken, now)).toMatchObject({ principalId: client.id });
    expect(await authenticateToken(db(), issued.accessToken, new Date(now.getTime() + 3601 * 1000))).toBeNull();
    await expect(issueToken(db(), { clientId: client.clientId, clientSecret: "x".repeat(43) }, CLIENT_INFO, now)).rejects.toBeInstanceOf(TokenError);
  });

  it("ends tokens and the old secret at rotation; refuses a disabled client's token on its next request", async () => {
    const owner = await contextFor(db(), OWNER);
    const { client, clientSecret } = await createApiClient(owner, { nodeId: await nodeId(db(), "apac"), roleId: await builtinRoleId(db(), "viewer"), name: "APAC sync" });
    const first = await issueToken(db(), { clientId: client.clientId, clientSecret }, CLIENT_INFO, new Date());
    const rotated = await rotateApiClientSecret(owner, { apiClientId: client.id });
    expect(rotated.clientSecret).not.toBe(clientSecret);
    expect(await authenticateToken(db(), first.accessToken, new Date())).toBeNull();
    await expect(issueToken(db(), { clientId: client.clientId, clientSecret }, CLIENT_INFO, new Date())).rejects.toBeInstanceOf(TokenError);
    const second = await issueToken(db(), { clientId: client.clientId, clientSecret: rotated.clientSecret }, CLIENT_INFO, new Date());
    expect(await authenticateToken(db(), second.accessToken, new Date())).not.toBeNull();
    expect(await disableApiClient(owner, { apiClientId: client.id })).toMatchObject({ status: "disabled" });
    expect(await authenticateToken(db(), second.accessToken, new Date())).toBeNull();
    await expect(issueToken(db(), { clientId: client.clientId, clientSecret: rotated.clientSecret }, CLIENT_INFO, new Date())).rejects.toBeInstanceOf(TokenError);
  });

  it("refuses rotating or disabling a client to someone without apiclient.manage there", async () => {
    const { client } = await createApiClient(await contextFor(db(), OWNER), { nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "viewer"), name: "Kept" });
    const manager = await contextFor(db(), EMEA_ADMIN);
    await expectRefusal(() => rotateApiClientSecret(manager, { apiClientId: client.id }), { code: "forbidden" });
    await expectRefusal(() => disableApiClient(manager, { apiClientId: client.id }), { code: "forbidden" });
    const outsider = await contextFor(db(), RESELLER_OWNER);
    await expectRefusal(() => disableApiClient(outsider, { apiClientId: client.id }), { code: "not_found" });
  });

  it("rate-limits guessing a client's secret", async () => {
    const { client } = await createApiClient(await contextFor(db(), OWNER), { nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "viewer"), name: "Guessed" });
    const now = new Date();
    for (let attempt = 0; attempt < TOKEN_PER_CLIENT.limit; attempt++) {
      await expect(issueToken(db(), { clientId: client.clientId, clientSecret: "y".repeat(43) }, CLIENT_INFO, now)).rejects.toBeInstanceOf(TokenError);
    }
    await expect(issueToken(db(), { clientId: client.clientId, clientSecret: "y".repeat(43) }, CLIENT_INFO, now)).rejects.toMatchObject({ code: "rate_limited" });
  });
});

describe("listApiClients and the operator", () => {
  it("lists the clients homed in the subtree, never their secrets", async () => {
    const owner = await contextFor(db(), OWNER);
    const listed = await listApiClients(owner, { nodeId: await nodeId(db(), "emea") });
    expect(listed.map((client) => client.name)).toEqual(expect.arrayContaining(["EMEA onboarding", "Reporting"]));
    expect(listed.map((client) => client.name)).not.toContain("APAC sync");
    expect(JSON.stringify(listed)).not.toMatch(/secret_?hash/i);
    await expectRefusal(() => listApiClients(owner, { nodeId: crypto.randomUUID() }), { code: "not_found" });
  });

  it("lets the operator create a client by slug and role key, audited without an actor", async () => {
    const { client, clientSecret } = await createApiClientAsOperator(db(), { node: { slug: "northwind" }, roleKey: "owner", name: "Bootstrap automation" });
    expect(clientSecret).toHaveLength(43);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, client.id));
    expect(event).toMatchObject({ action: "apiclient.create", actorId: null, actingAs: "operator" });
    await expect(createApiClientAsOperator(db(), { node: { slug: "northwind" }, roleKey: "nope", name: "x" })).rejects.toBeInstanceOf(DomainError);
  });
});

import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { auditEvents, authSessions, externalIdentities, identityProviders, localCredentials, nodeCapabilities, principals, roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { assignRole } from "@/lib/access/service";
import { builtinRoleId, contextFor, nodeId } from "@/lib/access/test-support";
import type { ClientInfo } from "@/lib/auth/sessions";
import { addMapping, configureProvider } from "./service";
import { completeIdpSignIn, recordIdpFailure, type IdpIdentity } from "./sign-in";
import { createOtherAccount, idpWriteCounts } from "./test-support";

let connection: DatabaseConnection;
const db = () => connection.db;
let accountId: string;
let otherAccountId: string;

const OWNER = "ava.thompson@northwind.example";
const OTHER_USER = "olivia.owner@contoso.example";
const ISSUER = "https://login.northwind.example/realms/staff";
const CLIENT: ClientInfo = { address: "198.51.100.4", userAgent: "vitest" };
const NOW = new Date("2030-03-04T10:00:00Z");

beforeAll(async () => {
  connection = await createTestDatabase();
  ({ accountId } = await seedDemo(connection.db, { password: "test-password-123" }));
  ({ accountId: otherAccountId } = await createOtherAccount(connection.db, { slug: "contoso", ownerEmail: OTHER_USER, capabilities: ["sso"] }));
  const owner = await contextFor(connection.db, OWNER);
  await configureProvider(owner, { issuer: ISSUER, clientId: "arbor", clientSecret: "secret", rolesClaim: "roles", enabled: true });
  const rule = async (claimValue: string, slug: string, role: "viewer" | "manager") =>
    addMapping(owner, { claimValue, nodeId: await nodeId(connection.db, slug), roleId: await builtinRoleId(connection.db, role) });
  await rule("emea-viewer", "emea", "viewer");
  await rule("emea-manager", "emea", "manager");
  await rule("apac-viewer", "apac", "viewer");
  await rule("americas-viewer", "americas", "viewer");
});
afterAll(async () => connection?.close());

let nextSubject = 1;
function identity(overrides: Partial<IdpIdentity> = {}): IdpIdentity {
  const subject = `user-${nextSubject++}`;
  return { accountId, issuer: ISSUER, subject, email: `${subject}@staff.northwind.example`, name: `Staff ${subject}`, claimValues: [], ...overrides };
}

async function signIn(who: IdpIdentity, claimValues = who.claimValues) {
  const result = await completeIdpSignIn(db(), { ...who, claimValues }, CLIENT, NOW);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

/** (node slug, role, source) of every assignment the principal holds. */
async function assignmentsOf(principalId: string) {
  const rows = await db().query.roleAssignments.findMany({ where: eq(roleAssignments.principalId, principalId) });
  const out: string[] = [];
  for (const row of rows) {
    const node = await db().query.nodes.findFirst({ where: (nodes, { eq: equals }) => equals(nodes.id, row.nodeId) });
    const role = await db().query.roles.findFirst({ where: (roles, { eq: equals }) => equals(roles.id, row.roleId) });
    out.push(`${node!.slug}:${role!.key}:${row.source}`);
  }
  return out.sort();
}

async function eventsOf(principalId: string) {
  return db().select().from(auditEvents).where(eq(auditEvents.targetId, principalId)).orderBy(desc(auditEvents.id));
}

/** Runs a refused sign-in and checks that it wrote nothing but one `sign-in.idp.denied` event. */
async function expectRefused(who: IdpIdentity, reason: string) {
  const before = await idpWriteCounts(db());
  const result = await completeIdpSignIn(db(), who, CLIENT, NOW);
  expect(result).toEqual({ ok: false, reason });
  expect(await idpWriteCounts(db())).toEqual({ ...before, denials: before.denials + 1 });
  const [event] = await db().select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  expect(event).toMatchObject({ action: "sign-in.idp.denied", accountId: who.accountId, address: CLIENT.address });
  expect(event!.summary).toMatchObject({ after: { reason, issuer: who.issuer, subject: who.subject } });
}

describe("first sign-in", () => {
  it("provisions an active user at the account with no password, and opens a complete session", async () => {
    const who = identity({ claimValues: ["emea-viewer", "not-mapped"] });
    const result = await signIn(who);
    expect(result.provisioned).toBe(true);
    const principal = await db().query.principals.findFirst({ where: eq(principals.id, result.principalId) });
    expect(principal).toMatchObject({ accountId, homeNodeId: accountId, kind: "user", status: "active", email: who.email, name: who.name, lastSignInAt: NOW });
    expect(await db().select().from(localCredentials).where(eq(localCredentials.principalId, result.principalId))).toEqual([]);
    const [link] = await db().select().from(externalIdentities).where(eq(externalIdentities.principalId, result.principalId));
    expect(link).toMatchObject({ issuer: ISSUER, subject: who.subject, accountId });
    const [session] = await db().select().from(authSessions).where(eq(authSessions.id, result.sessionId));
    expect(session).toMatchObject({ principalId: result.principalId, stage: "complete", address: CLIENT.address });
    expect(await assignmentsOf(result.principalId)).toEqual(["emea:viewer:idp"]);
  });

  it("records the sign-in and the assignments it gave", async () => {
    const result = await signIn(identity({ claimValues: ["apac-viewer"] }));
    const [changed, signedIn] = await eventsOf(result.principalId);
    expect(signedIn).toMatchObject({ action: "sign-in.idp", actorId: result.principalId, accountId });
    expect(signedIn!.summary).toMatchObject({ after: { issuer: ISSUER, provisioned: true } });
    expect(changed).toMatchObject({ action: "idp.assignments-changed", actorId: result.principalId });
    expect(changed!.summary).toMatchObject({ after: { added: [{ node: "APAC", role: "Viewer" }], removed: [] } });
  });

  it("gives the role with the most permissions where two rules meet on one node", async () => {
    const result = await signIn(identity({ claimValues: ["emea-viewer", "emea-manager"] }));
    expect(await assignmentsOf(result.principalId)).toEqual(["emea:manager:idp"]);
  });
});

describe("every later sign-in", () => {
  it("finds the user by (issuer, subject), whatever the email says now", async () => {
    const who = identity();
    const first = await signIn(who);
    const again = await signIn({ ...who, email: "renamed@staff.northwind.example", name: "Renamed" });
    expect(again).toMatchObject({ principalId: first.principalId, provisioned: false });
    expect(again.sessionId).not.toBe(first.sessionId);
    const principal = await db().query.principals.findFirst({ where: eq(principals.id, first.principalId) });
    expect(principal).toMatchObject({ email: "renamed@staff.northwind.example", name: "Renamed" });
  });

  it("provisions a different user for the same subject at another issuer", async () => {
    const who = identity();
    const first = await signIn(who);
    const other = await signIn({ ...who, issuer: "https://other-idp.example", email: "twin@staff.northwind.example" });
    expect(other.principalId).not.toBe(first.principalId);
  });

  it("applies the mapping again: a removed claim removes the assignment, a changed one changes it", async () => {
    const who = identity({ claimValues: ["emea-viewer", "apac-viewer"] });
    const { principalId } = await signIn(who);
    expect(await assignmentsOf(principalId)).toEqual(["apac:viewer:idp", "emea:viewer:idp"]);

    await signIn(who, ["emea-manager"]);
    expect(await assignmentsOf(principalId)).toEqual(["emea:manager:idp"]);
    const [changed] = await eventsOf(principalId);
    expect(changed).toMatchObject({ action: "idp.assignments-changed" });
    expect(changed!.summary).toMatchObject({
      after: { added: [{ node: "EMEA", role: "Manager" }], removed: expect.arrayContaining([{ nodeId: expect.any(String), node: "APAC", role: "Viewer" }]) },
    });

    await signIn(who, []);
    expect(await assignmentsOf(principalId)).toEqual([]);
    const [signedIn] = await eventsOf(principalId);
    await signIn(who, []);
    const [unchanged] = await eventsOf(principalId);
    expect(unchanged!.action).toBe("sign-in.idp");
    expect(unchanged!.id).toBeGreaterThan(signedIn!.id);
  });

  it("leaves direct assignments alone, also on a node a rule names", async () => {
    const who = identity({ claimValues: ["americas-viewer"] });
    const { principalId } = await signIn(who, []);
    await assignRole(await contextFor(db(), OWNER), { principalId, nodeId: await nodeId(db(), "americas"), roleId: await builtinRoleId(db(), "manager") });
    await signIn(who, ["americas-viewer", "emea-viewer"]);
    expect(await assignmentsOf(principalId)).toEqual(["americas:manager:direct", "emea:viewer:idp"]);
    await signIn(who, []);
    expect(await assignmentsOf(principalId)).toEqual(["americas:manager:direct"]);
  });
});

describe("refusals", () => {
  it("refuses an email that belongs to a user of another account", async () => {
    await expectRefused(identity({ email: OTHER_USER.toUpperCase() }), "email-in-use");
  });

  it("refuses an email a local user of the account has: no taking over by email", async () => {
    await expectRefused(identity({ email: OWNER }), "email-in-use");
  });

  it("refuses a first sign-in without an email", async () => {
    await expectRefused(identity({ email: null }), "missing-email");
  });

  it("refuses a disabled user, and does not enable them", async () => {
    const who = identity({ claimValues: ["emea-viewer"] });
    const { principalId } = await signIn(who);
    await db().update(principals).set({ status: "disabled" }).where(eq(principals.id, principalId));
    await expectRefused(who, "disabled");
    expect((await db().query.principals.findFirst({ where: eq(principals.id, principalId) }))!.status).toBe("disabled");
  });

  it("refuses an identity already linked to a user of another account", async () => {
    const who = identity();
    await signIn(who);
    await db().insert(identityProviders).values({ accountId: otherAccountId, issuer: ISSUER, clientId: "c", clientSecretCiphertext: "x" });
    await expectRefused({ ...who, accountId: otherAccountId }, "other-account");
  });

  it("refuses every sign-in while the provider is disabled or the account lost sso", async () => {
    const who = identity({ claimValues: ["emea-viewer"] });
    await signIn(who);
    await db().update(identityProviders).set({ enabled: false }).where(eq(identityProviders.accountId, accountId));
    await expectRefused(who, "unavailable");
    await db().update(identityProviders).set({ enabled: true }).where(eq(identityProviders.accountId, accountId));
    await db().delete(nodeCapabilities).where(and(eq(nodeCapabilities.nodeId, accountId), eq(nodeCapabilities.capability, "sso")));
    await expectRefused(identity(), "unavailable");
    await db().insert(nodeCapabilities).values({ accountId, nodeId: accountId, capability: "sso" });
    await signIn(who);
  });

  it("answers unavailable, writing nothing, for an account with no provider", async () => {
    const before = await idpWriteCounts(db());
    expect(await completeIdpSignIn(db(), identity({ accountId: crypto.randomUUID() }), CLIENT, NOW)).toEqual({ ok: false, reason: "unavailable" });
    expect(await idpWriteCounts(db())).toEqual(before);
  });

  it("records a sign-in that failed at the IdP, for an account that has one", async () => {
    const before = await idpWriteCounts(db());
    await recordIdpFailure(db(), accountId, "OAuthCallbackError", CLIENT);
    await recordIdpFailure(db(), crypto.randomUUID(), "OAuthCallbackError", CLIENT);
    expect(await idpWriteCounts(db())).toEqual({ ...before, changes: before.changes + 1 });
    const [event] = await db().select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ action: "sign-in.idp.failed", accountId, actorId: null, address: CLIENT.address });
    expect(event!.summary).toEqual({ after: { issuer: ISSUER, error: "OAuthCallbackError" } });
  });
});

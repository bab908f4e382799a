import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { auditEvents, identityProviders } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId } from "@/lib/access/test-support";
import { open } from "@/lib/auth/secret-box";
import { PERMISSIONS } from "@/lib/authz";
import { DomainError } from "@/lib/errors";
import { addMapping, configureProvider, getProviderSettings, mayManageProvider, removeMapping } from "./service";
import { createOtherAccount, createProfileHolder, idpWriteCounts } from "./test-support";

let connection: DatabaseConnection;
const db = () => connection.db;

const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const OTHER_OWNER = "olivia.owner@contoso.example";
/** All permissions, but not the built-in Owner role. */
const DEPUTY = "dana.deputy@northwind.example";
/** Just enough to manage the IdP and assign roles, nothing else. */
const SSO_ADMIN = "sam.sso@northwind.example";

const SETTINGS = { issuer: "https://login.northwind.example/realms/staff", clientId: "arbor-portal", rolesClaim: "roles", enabled: true };

beforeAll(async () => {
  connection = await createTestDatabase();
  const { accountId } = await seedDemo(connection.db, { password: "test-password-123" });
  await createOtherAccount(connection.db, { slug: "contoso", ownerEmail: OTHER_OWNER, capabilities: ["flex"] });
  await createProfileHolder(connection.db, accountId, { email: DEPUTY, key: "deputy", permissions: PERMISSIONS });
  await createProfileHolder(connection.db, accountId, { email: SSO_ADMIN, key: "sso-admin", permissions: ["tenant.read", "member.read", "role.assign", "idp.manage"] });
});
afterAll(async () => connection?.close());

/** Runs a refused call; checks its error and that it wrote nothing but (when `denial`) one denial event. */
async function expectRefusal(call: () => Promise<unknown>, expected: { code: string; rule?: number }, denial = true) {
  const before = await idpWriteCounts(db());
  const error = await call().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code: expected.code, ...(expected.rule ? { details: { rule: expected.rule } } : {}) });
  expect(await idpWriteCounts(db())).toEqual({ ...before, denials: before.denials + (denial ? 1 : 0) });
  return error as DomainError;
}

async function lastEvent(action: string) {
  const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.id)).limit(1);
  return event;
}

describe("configureProvider", () => {
  it("refuses a mapping rule before the provider is configured", async () => {
    const ctx = await contextFor(db(), OWNER);
    const input = { claimValue: "emea-viewer", nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "viewer") };
    await expectRefusal(() => addMapping(ctx, input), { code: "conflict" }, false);
  });

  it("requires the client secret the first time", async () => {
    const ctx = await contextFor(db(), OWNER);
    const error = await expectRefusal(() => configureProvider(ctx, { ...SETTINGS, clientSecret: "" }), { code: "invalid" }, false);
    expect(error.details.fieldErrors).toEqual({ clientSecret: ["Enter the client secret."] });
  });

  it("refuses an issuer that is not https, with the field's message", async () => {
    const ctx = await contextFor(db(), OWNER);
    const error = await expectRefusal(() => configureProvider(ctx, { ...SETTINGS, issuer: "http://login.northwind.example", clientSecret: "s3cret" }), { code: "invalid" }, false);
    expect(error.details.fieldErrors?.issuer?.[0]).toMatch(/https:\/\//);
  });

  it("saves the provider for an Owner, seals the secret and never returns it", async () => {
    const ctx = await contextFor(db(), OWNER);
    await configureProvider(ctx, { ...SETTINGS, clientSecret: "first-secret" });
    const [row] = await db().select().from(identityProviders).where(eq(identityProviders.accountId, ctx.authz.principal.accountId));
    expect(row!.clientSecretCiphertext).not.toContain("first-secret");
    expect(open(row!.clientSecretCiphertext)).toBe("first-secret");
    const settings = await getProviderSettings(ctx);
    expect(settings.provider).toMatchObject({ ...SETTINGS, version: 1 });
    expect(JSON.stringify(settings)).not.toMatch(/secret"|first-secret|ciphertext/i);
    const event = await lastEvent("idp.configure");
    expect(event).toMatchObject({ actorId: ctx.authz.principal.id, nodeId: ctx.authz.principal.accountId, address: "203.0.113.7" });
    expect(event!.summary).toEqual({ after: { ...SETTINGS, secretChanged: true } });
  });

  it("keeps the stored secret when the form leaves it empty, and counts versions", async () => {
    const ctx = await contextFor(db(), OWNER);
    await configureProvider(ctx, { ...SETTINGS, rolesClaim: "groups", clientSecret: "", expectedVersion: 1 });
    const [row] = await db().select().from(identityProviders).where(eq(identityProviders.accountId, ctx.authz.principal.accountId));
    expect(row).toMatchObject({ rolesClaim: "groups", version: 2 });
    expect(open(row!.clientSecretCiphertext)).toBe("first-secret");
    expect((await lastEvent("idp.configure"))!.summary).toMatchObject({ before: { rolesClaim: "roles" }, after: { rolesClaim: "groups", secretChanged: false } });
    await configureProvider(ctx, { ...SETTINGS, expectedVersion: 2 });
  });

  it("refuses a save over someone else's newer change", async () => {
    const ctx = await contextFor(db(), OWNER);
    await expectRefusal(() => configureProvider(ctx, { ...SETTINGS, enabled: false, expectedVersion: 1 }), { code: "conflict" }, false);
  });

  it("refuses an account Manager, who lacks idp.manage", async () => {
    const ctx = await contextFor(db(), ACCOUNT_MANAGER);
    const error = await expectRefusal(() => configureProvider(ctx, { ...SETTINGS, clientSecret: "stolen" }), { code: "forbidden" });
    expect(error.message).toMatch(/idp\.manage/);
    await expectRefusal(() => getProviderSettings(ctx), { code: "forbidden" });
    expect((await lastEvent("idp.configure.denied"))!.actorId).toBe(ctx.authz.principal.id);
  });

  it("answers not-found to an OU admin, who cannot even read the account", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    await expectRefusal(() => configureProvider(ctx, { ...SETTINGS, clientSecret: "x" }), { code: "not_found" });
  });

  it("refuses an Owner of an account without the sso capability", async () => {
    const ctx = await contextFor(db(), OTHER_OWNER);
    const error = await expectRefusal(() => configureProvider(ctx, { ...SETTINGS, clientSecret: "x" }), { code: "forbidden" });
    expect(error.message).toMatch(/sso capability/);
  });
});

describe("mayManageProvider", () => {
  it("is true only for who holds idp.manage at an account with sso", async () => {
    expect(await mayManageProvider(await contextFor(db(), OWNER))).toBe(true);
    expect(await mayManageProvider(await contextFor(db(), ACCOUNT_MANAGER))).toBe(false);
    expect(await mayManageProvider(await contextFor(db(), EMEA_ADMIN))).toBe(false);
    expect(await mayManageProvider(await contextFor(db(), OTHER_OWNER))).toBe(false);
  });
});

describe("mapping rules", () => {
  it("adds a rule for an Owner and records it", async () => {
    const ctx = await contextFor(db(), OWNER);
    const emea = await nodeId(db(), "emea");
    const before = await idpWriteCounts(db());
    const created = await addMapping(ctx, { claimValue: " emea-viewer ", nodeId: emea, roleId: await builtinRoleId(db(), "viewer") });
    expect((await idpWriteCounts(db())).mappings).toBe(before.mappings + 1);
    const settings = await getProviderSettings(ctx);
    expect(settings.mappings).toEqual([{ id: created.id, claimValue: "emea-viewer", node: { id: emea, name: "EMEA", slug: "emea" }, role: { id: expect.any(String), name: "Viewer" } }]);
    expect((await lastEvent("idp.mapping.add"))!.summary).toEqual({ after: { claimValue: "emea-viewer", node: "EMEA", role: "Viewer" } });
  });

  it("offers the nodes where the actor assigns roles, labelled by their path, and the account's roles", async () => {
    const { choices } = await getProviderSettings(await contextFor(db(), OWNER));
    expect(choices.nodes[0]).toEqual({ id: await nodeId(db(), "northwind"), label: "Northwind MSSP (the whole account)" });
    expect(choices.nodes).toContainEqual({ id: await nodeId(db(), "emea"), label: "Regions / EMEA" });
    expect(choices.nodes).toContainEqual({ id: await nodeId(db(), "adler-logistik"), label: "Regions / EMEA / Enterprise / Adler Logistik" });
    expect(choices.roles.map((role) => role.name)).toEqual(["Manager", "Owner", "Viewer", "deputy", "Helpdesk Operator", "sso-admin"]);
  });

  it("refuses the same claim value on the same node twice", async () => {
    const ctx = await contextFor(db(), OWNER);
    const input = { claimValue: "emea-viewer", nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "manager") };
    await expectRefusal(() => addMapping(ctx, input), { code: "conflict" }, false);
  });

  it("refuses a rule granting Owner by someone who is not an Owner (rule 2)", async () => {
    const ctx = await contextFor(db(), DEPUTY);
    const input = { claimValue: "admins", nodeId: await nodeId(db(), "regions"), roleId: await builtinRoleId(db(), "owner") };
    await expectRefusal(() => addMapping(ctx, input), { code: "forbidden", rule: 2 });
  });

  it("refuses a rule granting a role with role.assign at the account by a non-Owner (rule 3)", async () => {
    const ctx = await contextFor(db(), DEPUTY);
    const input = { claimValue: "staff", nodeId: ctx.authz.principal.accountId, roleId: await builtinRoleId(db(), "manager") };
    await expectRefusal(() => addMapping(ctx, input), { code: "forbidden", rule: 3 });
  });

  it("refuses a rule handing out more than the actor holds there (rule 1)", async () => {
    const ctx = await contextFor(db(), SSO_ADMIN);
    const input = { claimValue: "emea-viewer", nodeId: await nodeId(db(), "apac"), roleId: await builtinRoleId(db(), "viewer") };
    await expectRefusal(() => addMapping(ctx, input), { code: "forbidden", rule: 1 });
  });

  it("refuses an account Manager, and a node or role of another account", async () => {
    const manager = await contextFor(db(), ACCOUNT_MANAGER);
    const viewer = await builtinRoleId(db(), "viewer");
    const emea = await nodeId(db(), "emea");
    await expectRefusal(() => addMapping(manager, { claimValue: "x", nodeId: emea, roleId: viewer }), { code: "forbidden" });
    const owner = await contextFor(db(), OWNER);
    const contoso = await nodeId(db(), "contoso");
    await expectRefusal(() => addMapping(owner, { claimValue: "x", nodeId: contoso, roleId: viewer }), { code: "not_found" }, false);
    await expectRefusal(() => addMapping(owner, { claimValue: "x", nodeId: emea, roleId: crypto.randomUUID() }), { code: "not_found" }, false);
  });

  it("lets a non-Owner remove a rule only if they could have added it", async () => {
    const owner = await contextFor(db(), OWNER);
    const rule = await addMapping(owner, { claimValue: "admins", nodeId: await nodeId(db(), "regions"), roleId: await builtinRoleId(db(), "owner") });
    const deputy = await contextFor(db(), DEPUTY);
    await expectRefusal(() => removeMapping(deputy, { mappingId: rule.id }), { code: "forbidden", rule: 2 });
    const before = await idpWriteCounts(db());
    await removeMapping(owner, { mappingId: rule.id });
    expect(await idpWriteCounts(db())).toMatchObject({ mappings: before.mappings - 1, changes: before.changes + 1 });
    expect((await lastEvent("idp.mapping.remove"))!.summary).toEqual({ before: { claimValue: "admins", node: "Regions", role: "Owner" } });
    await expectRefusal(() => removeMapping(owner, { mappingId: rule.id }), { code: "not_found" }, false);
  });

  it("refuses the Owner of another account a rule of this one", async () => {
    const [rule] = (await getProviderSettings(await contextFor(db(), OWNER))).mappings;
    const other = await contextFor(db(), OTHER_OWNER);
    await expectRefusal(() => removeMapping(other, { mappingId: rule!.id }), { code: "forbidden" });
  });
});

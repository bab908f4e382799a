import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { auditEvents, principals } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { can } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import { assignRole, changeAssignment, revokeAssignment } from "./service";
import { assignmentId, builtinRoleId, contextFor, nodeId, principalId, writeCounts } from "./test-support";

let connection: DatabaseConnection;
const db = () => connection.db;

const OWNER = "ava.thompson@northwind.example";
const SECOND_OWNER = "liam.carter@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const AMERICAS_ADMIN = "lucas.oliveira@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const CUSTOMER_MANAGER = "rafael.costa@adler-logistik.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

/** Runs a refused call and checks it wrote nothing but (when `denial`) one denial event. */
async function expectRefusal(call: () => Promise<unknown>, expected: { code: string; rule?: number }, denial = true) {
  const before = await writeCounts(db());
  const error = await call().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code: expected.code, ...(expected.rule ? { details: { rule: expected.rule } } : {}) });
  const after = await writeCounts(db());
  expect({ assignments: after.assignments, changes: after.changes, fingerprint: after.fingerprint }).toEqual({
    assignments: before.assignments,
    changes: before.changes,
    fingerprint: before.fingerprint,
  });
  expect(after.denials).toBe(before.denials + (denial ? 1 : 0));
}

describe("assignRole", () => {
  it("refuses a second role for the same principal on the same node: change it instead", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const input = { principalId: await principalId(db(), CUSTOMER_VIEWER), nodeId: await nodeId(db(), "adler-logistik"), roleId: await builtinRoleId(db(), "manager") };
    await expectRefusal(() => assignRole(ctx, input), { code: "conflict" }, false);
  });

  it("grants a role and records who did it", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const target = await principalId(db(), "priya.nair@northwind.example");
    const before = await writeCounts(db());
    const created = await assignRole(ctx, { principalId: target, nodeId: await nodeId(db(), "emea-smb"), roleId: await builtinRoleId(db(), "viewer") });
    expect(created).toMatchObject({ principalId: target, source: "direct", createdBy: ctx.authz.principal.id });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, target)).orderBy(auditEvents.id);
    expect(event).toMatchObject({ action: "role.assign", actorId: ctx.authz.principal.id, nodeId: created.nodeId, address: "203.0.113.7" });
    expect((await writeCounts(db())).assignments).toBe(before.assignments + 1);
  });

  it("answers not-found for a node outside the actor's subtree, like a node that does not exist", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const input = { principalId: await principalId(db(), CUSTOMER_VIEWER), roleId: await builtinRoleId(db(), "viewer") };
    const otherRegion = await nodeId(db(), "pioneer-rail");
    await expectRefusal(() => assignRole(ctx, { ...input, nodeId: otherRegion }), { code: "not_found" });
    await expectRefusal(() => assignRole(ctx, { ...input, nodeId: crypto.randomUUID() }), { code: "not_found" });
  });

  it("refuses a customer viewer who assigns a role", async () => {
    const ctx = await contextFor(db(), CUSTOMER_VIEWER);
    const input = { principalId: await principalId(db(), CUSTOMER_MANAGER), nodeId: await nodeId(db(), "adler-logistik"), roleId: await builtinRoleId(db(), "viewer") };
    await expectRefusal(() => assignRole(ctx, input), { code: "forbidden" });
  });

  it("refuses an account Manager who grants Manager at the account (rule 3)", async () => {
    const ctx = await contextFor(db(), ACCOUNT_MANAGER);
    const input = { principalId: await principalId(db(), "grace.kim@northwind.example"), nodeId: await nodeId(db(), "northwind"), roleId: await builtinRoleId(db(), "manager") };
    await expectRefusal(() => assignRole(ctx, input), { code: "forbidden", rule: 3 });
  });

  it("refuses a Manager who grants Owner (rules 1 and 2)", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const input = { principalId: await principalId(db(), "priya.nair@northwind.example"), nodeId: await nodeId(db(), "elbe-chemie"), roleId: await builtinRoleId(db(), "owner") };
    await expectRefusal(() => assignRole(ctx, input), { code: "forbidden" });
  });

  it("refuses a role above a customer user's home organization (rule 7)", async () => {
    const ctx = await contextFor(db(), OWNER);
    const input = { principalId: await principalId(db(), CUSTOMER_VIEWER), nodeId: await nodeId(db(), "emea"), roleId: await builtinRoleId(db(), "viewer") };
    await expectRefusal(() => assignRole(ctx, input), { code: "forbidden", rule: 7 });
  });

  it("refuses an actor who grants themselves a role (rule 5)", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const input = { principalId: ctx.authz.principal.id, nodeId: await nodeId(db(), "adler-logistik"), roleId: await builtinRoleId(db(), "viewer") };
    await expectRefusal(() => assignRole(ctx, input), { code: "forbidden", rule: 5 });
  });

  it("rejects bad input with field errors and writes nothing", async () => {
    const ctx = await contextFor(db(), OWNER);
    await expectRefusal(() => assignRole(ctx, { principalId: "nope", nodeId: 7, roleId: null }), { code: "invalid" }, false);
    const error = await assignRole(ctx, {
      principalId: await principalId(db(), CUSTOMER_VIEWER),
      nodeId: await nodeId(db(), "adler-logistik"),
      roleId: await builtinRoleId(db(), "viewer"),
      expiresAt: "2001-01-01",
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "invalid", details: { fieldErrors: { expiresAt: ["The expiry must be in the future."] } } });
  });
});

describe("changeAssignment and revokeAssignment", () => {
  it("refuses an OU admin who touches an account Owner's assignment in their subtree (rule 4)", async () => {
    await assignRole(await contextFor(db(), SECOND_OWNER), {
      principalId: await principalId(db(), OWNER),
      nodeId: await nodeId(db(), "fjord-maritime"),
      roleId: await builtinRoleId(db(), "viewer"),
    });
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const id = await assignmentId(db(), OWNER, "fjord-maritime");
    await expectRefusal(() => revokeAssignment(ctx, { assignmentId: id }), { code: "forbidden", rule: 4 });
    const manager = await builtinRoleId(db(), "manager");
    await expectRefusal(() => changeAssignment(ctx, { assignmentId: id, roleId: manager }), { code: "forbidden", rule: 4 });
  });

  it("answers an assignment out of reach exactly like one that does not exist", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const americas = await assignmentId(db(), AMERICAS_ADMIN, "americas");
    const missing = "00000000-0000-4000-8000-000000000077";
    const viewer = await builtinRoleId(db(), "viewer");
    const messages: string[] = [];
    for (const call of [
      () => changeAssignment(ctx, { assignmentId: americas, roleId: viewer }),
      () => changeAssignment(ctx, { assignmentId: missing, roleId: viewer }),
      () => revokeAssignment(ctx, { assignmentId: americas }),
      () => revokeAssignment(ctx, { assignmentId: missing }),
    ]) {
      const error = await call().then(() => null, (caught: unknown) => caught);
      expect(error).toMatchObject({ code: "not_found" });
      messages.push((error as DomainError).message);
    }
    expect(new Set(messages)).toEqual(new Set(["No such assignment, or you do not have access to it."]));
  });

  it("lets an OU admin promote a customer viewer, and the new role counts on the next request", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const id = await assignmentId(db(), CUSTOMER_VIEWER, "adler-logistik");
    await changeAssignment(ctx, { assignmentId: id, roleId: await builtinRoleId(db(), "manager") });
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    const node = (await loadTreeNode(db(), viewer.authz.principal.accountId, { id: await nodeId(db(), "adler-logistik") }))!;
    expect(can(viewer.authz, "member.invite", node)).toBe(true);
  });

  it("refuses an actor who changes their own role (rule 5) but lets them leave", async () => {
    const ctx = await contextFor(db(), AMERICAS_ADMIN);
    const own = await assignmentId(db(), AMERICAS_ADMIN, "americas");
    const viewer = await builtinRoleId(db(), "viewer");
    await expectRefusal(() => changeAssignment(ctx, { assignmentId: own, roleId: viewer }), { code: "forbidden", rule: 5 });
    await revokeAssignment(ctx, { assignmentId: own });
    const after = await contextFor(db(), AMERICAS_ADMIN);
    expect(after.authz.grants).toHaveLength(0);
  });

  it("revokes at once: the next request of the target has no access (rule 8)", async () => {
    const ctx = await contextFor(db(), OWNER);
    const target = "ingrid.larsen@elbe-chemie.example";
    const node = (await loadTreeNode(db(), ctx.authz.principal.accountId, { id: await nodeId(db(), "elbe-chemie") }))!;
    expect(can((await contextFor(db(), target)).authz, "tenant.read", node)).toBe(true);
    await revokeAssignment(ctx, { assignmentId: await assignmentId(db(), target, "elbe-chemie") });
    expect(can((await contextFor(db(), target)).authz, "tenant.read", node)).toBe(false);
  });

  it("denies everything to a disabled principal from the next request on (rule 8)", async () => {
    const target = "kofi.mensah@fjord-maritime.example";
    const node = (await loadTreeNode(db(), (await contextFor(db(), OWNER)).authz.principal.accountId, { id: await nodeId(db(), "fjord-maritime") }))!;
    expect(can((await contextFor(db(), target)).authz, "tenant.read", node)).toBe(true);
    await db().update(principals).set({ status: "disabled" }).where(eq(principals.id, await principalId(db(), target)));
    expect(can((await contextFor(db(), target)).authz, "tenant.read", node)).toBe(false);
  });

  it("keeps the last permanent Owner of the account (rule 6)", async () => {
    const owner = await contextFor(db(), OWNER);
    await revokeAssignment(owner, { assignmentId: await assignmentId(db(), SECOND_OWNER, "northwind") });
    const own = await assignmentId(db(), OWNER, "northwind");
    await expectRefusal(() => revokeAssignment(owner, { assignmentId: own }), { code: "conflict", rule: 6 });
  });

  it("keeps the last Owner of a reseller organization (rule 6)", async () => {
    const resellerOwner = await contextFor(db(), "nora.fabri@fabrikam-partners.example");
    const own = await assignmentId(db(), "nora.fabri@fabrikam-partners.example", "fabrikam-partners");
    await expectRefusal(() => revokeAssignment(resellerOwner, { assignmentId: own }), { code: "conflict", rule: 6 });
  });
});

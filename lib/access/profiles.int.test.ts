import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodes, roleAssignments, roles, type Role } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, nodeId, principalId } from "@/lib/access/test-support";
import type { Permission } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { ServiceContext } from "@/lib/service-context";
import { createProfile, deleteProfile, updateProfile } from "./profiles";

const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const ACCOUNT_VIEWER = "grace.kim@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let otherAccountProfileId: string;
let counter = 0;

function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix} ${counter}`;
}

async function as(email: string): Promise<ServiceContext> {
  const authz = await loadAuthContext(db, await principalId(db, email));
  if (!authz) throw new Error(`no context for ${email}`);
  return { db, authz };
}

async function profileRow(id: string): Promise<Role | undefined> {
  const [row] = await db.select().from(roles).where(eq(roles.id, id));
  return row;
}

async function helpdeskId(): Promise<string> {
  const [row] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.accountId, accountId), eq(roles.key, "helpdesk-operator")));
  return row!.id;
}

async function tables() {
  return {
    roles: await db.select().from(roles).orderBy(asc(roles.id)),
    assignments: await db.select().from(roleAssignments).orderBy(asc(roleAssignments.id)),
  };
}

const { expectRefused, expectAudited } = writeChecks(() => db, tables);

async function freshProfile(permissions: Permission[] = ["tenant.read", "member.read"]): Promise<Role> {
  return createProfile(await as(OWNER), { name: uniqueName("Fresh Profile"), permissions });
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;

  // Another account with a profile of its own, which Northwind must not reach.
  const otherAccountId = crypto.randomUUID();
  await db.insert(nodes).values({ id: otherAccountId, accountId: otherAccountId, kind: "account", name: "Contoso", slug: "contoso", path: `${otherAccountId}/`, depth: 0 });
  const [other] = await db
    .insert(roles)
    .values({ accountId: otherAccountId, key: "auditor", name: "Auditor", permissions: ["tenant.read", "audit.read"] })
    .returning({ id: roles.id });
  otherAccountProfileId = other!.id;
});

afterAll(async () => {
  await connection?.close();
});

describe("createProfile", () => {
  it("creates a profile on the account with the given permissions, deduplicated and sorted, and an audit event", async () => {
    const owner = await as(OWNER);
    const { result, event } = await expectAudited(() =>
      createProfile(owner, { name: "  Billing Clerk ", description: "Reads invoices.", permissions: ["tenant.read", "billing.read", "tenant.read"] }),
    );
    const stored = (await profileRow(result.id))!;
    expect(stored).toMatchObject({
      accountId,
      key: "billing-clerk",
      name: "Billing Clerk",
      description: "Reads invoices.",
      permissions: ["billing.read", "tenant.read"],
      builtin: false,
      version: 1,
    });
    expect(event).toMatchObject({
      accountId,
      action: "profile.create",
      actorId: owner.authz.principal.id,
      nodeId: accountId,
      targetType: "role",
      targetId: result.id,
    });
    expect(event.summary).toEqual({ after: { name: "Billing Clerk", description: "Reads invoices.", permissions: ["billing.read", "tenant.read"] } });
  });

  it("lets an account Manager create a profile of permissions they hold", async () => {
    const sofia = await as(ACCOUNT_MANAGER);
    const { result, event } = await expectAudited(() => createProfile(sofia, { name: uniqueName("Tier One"), permissions: ["tenant.read", "member.read", "member.invite"] }));
    expect(result.description).toBe("");
    expect(event).toMatchObject({ action: "profile.create", actorId: sofia.authz.principal.id });
  });

  it("refuses a Manager a profile containing billing.read, which they do not hold, writing only the denial", async () => {
    const sofia = await as(ACCOUNT_MANAGER);
    const { error, events } = await expectRefused(
      () => createProfile(sofia, { name: uniqueName("Sneaky Billing"), permissions: ["tenant.read", "billing.read"] }),
      "forbidden",
      "profile.create.denied",
    );
    expect(error.details.rule).toBe(1);
    expect(error.message).toContain("billing.read");
    expect(events[0]).toMatchObject({ actorId: sofia.authz.principal.id, nodeId: accountId });
  });

  it.each(["Owner", "viewer", " MANAGER "])("refuses the reserved name %j as invalid", async (name) => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(() => createProfile(owner, { name, permissions: ["tenant.read"] }), "invalid");
    expect(error.details.fieldErrors?.name).toBeDefined();
  });

  it("refuses a name already taken on the account, whatever its case", async () => {
    const owner = await as(OWNER);
    const exact = await expectRefused(() => createProfile(owner, { name: "Helpdesk Operator", permissions: ["tenant.read"] }), "conflict");
    expect(exact.error.details.fieldErrors?.name).toBeDefined();
    await expectRefused(() => createProfile(owner, { name: "helpdesk operator", permissions: ["tenant.read"] }), "conflict");
  });

  it("accepts a name that another account uses", async () => {
    const owner = await as(OWNER);
    const created = await createProfile(owner, { name: "Auditor", permissions: ["tenant.read", "audit.read"] });
    expect(created.accountId).toBe(accountId);
  });

  it.each([
    ["an empty name", { name: "  ", permissions: ["tenant.read"] }, "name"],
    ["a name without letters or digits", { name: "!!!", permissions: ["tenant.read"] }, "name"],
    ["no permissions", { name: "Empty", permissions: [] }, "permissions"],
    ["a permission outside the catalog", { name: "Wizard", permissions: ["tenant.fly"] }, "permissions"],
    ["a description over 500 characters", { name: "Wordy", description: "x".repeat(501), permissions: ["tenant.read"] }, "description"],
  ])("refuses %s as invalid with field errors", async (_label, input, field) => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(() => createProfile(owner, input), "invalid");
    expect(error.details.fieldErrors?.[field]).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it("refuses a viewer of the account, recording the denial", async () => {
    const grace = await as(ACCOUNT_VIEWER);
    await expectRefused(() => createProfile(grace, { name: uniqueName("Viewer Made"), permissions: ["tenant.read"] }), "forbidden", "profile.create.denied");
  });

  it("answers not_found to principals who cannot read the account: the EMEA admin, a customer viewer, a reseller owner", async () => {
    for (const email of [EMEA_ADMIN, CUSTOMER_VIEWER, RESELLER_OWNER]) {
      const ctx = await as(email);
      await expectRefused(() => createProfile(ctx, { name: uniqueName("Out Of Scope"), permissions: ["tenant.read"] }), "not_found", "profile.create.denied");
    }
  });
});

describe("updateProfile", () => {
  it("changes the name, description and permissions, bumping the version, with before and after in the audit event", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile(["tenant.read"]);
    const { result, event } = await expectAudited(() =>
      updateProfile(owner, { roleId: profile.id, name: "Night Shift", description: "After hours.", permissions: ["tenant.read", "audit.read"], expectedVersion: 1 }),
    );
    expect(result).toMatchObject({ id: profile.id, key: "night-shift", name: "Night Shift", description: "After hours.", permissions: ["audit.read", "tenant.read"], version: 2 });
    expect((await profileRow(profile.id))!).toMatchObject({ name: "Night Shift", version: 2 });
    expect(event).toMatchObject({ action: "profile.update", actorId: owner.authz.principal.id, nodeId: accountId, targetType: "role", targetId: profile.id });
    expect(event.summary).toEqual({
      before: { name: profile.name, description: "", permissions: ["tenant.read"] },
      after: { name: "Night Shift", description: "After hours.", permissions: ["audit.read", "tenant.read"] },
    });
  });

  it("changes only what is given", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile(["tenant.read", "member.read"]);
    const updated = await updateProfile(owner, { roleId: profile.id, description: "Just the words." });
    expect(updated).toMatchObject({ name: profile.name, key: profile.key, permissions: ["member.read", "tenant.read"], description: "Just the words.", version: 2 });
  });

  it("refuses a stale expectedVersion with precondition_failed, writing nothing", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile();
    await updateProfile(owner, { roleId: profile.id, description: "First edit." });
    await expectRefused(() => updateProfile(owner, { roleId: profile.id, description: "Second edit.", expectedVersion: 1 }), "precondition_failed");
    expect((await profileRow(profile.id))!.description).toBe("First edit.");
  });

  it("refuses a Manager who adds billing.read, which they do not hold", async () => {
    const profile = await freshProfile(["tenant.read"]);
    const sofia = await as(ACCOUNT_MANAGER);
    const { error } = await expectRefused(() => updateProfile(sofia, { roleId: profile.id, permissions: ["tenant.read", "billing.read"] }), "forbidden", "profile.update.denied");
    expect(error.details.rule).toBe(1);
  });

  it("refuses a Manager who edits a profile that holds billing.read, even to take it away", async () => {
    const profile = await freshProfile(["tenant.read", "billing.read"]);
    const sofia = await as(ACCOUNT_MANAGER);
    await expectRefused(() => updateProfile(sofia, { roleId: profile.id, permissions: ["tenant.read"] }), "forbidden", "profile.update.denied");
    await expectRefused(() => updateProfile(sofia, { roleId: profile.id, name: uniqueName("Renamed") }), "forbidden", "profile.update.denied");
  });

  it("lets a Manager edit a profile within what they hold", async () => {
    const profile = await freshProfile(["tenant.read"]);
    const sofia = await as(ACCOUNT_MANAGER);
    const { event } = await expectAudited(() => updateProfile(sofia, { roleId: profile.id, permissions: ["tenant.read", "tenant.update"] }));
    expect(event).toMatchObject({ action: "profile.update", actorId: sofia.authz.principal.id });
  });

  it("refuses a reserved name as invalid", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile();
    const { error } = await expectRefused(() => updateProfile(owner, { roleId: profile.id, name: "Owner" }), "invalid");
    expect(error.details.fieldErrors?.name).toBeDefined();
  });

  it("refuses a name another profile of the account has, as a conflict", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile();
    const { error } = await expectRefused(() => updateProfile(owner, { roleId: profile.id, name: "Helpdesk Operator" }), "conflict");
    expect(error.details.fieldErrors?.name).toBeDefined();
  });

  it("answers not_found for a built-in role, another account's profile and an unknown id", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => updateProfile(owner, { roleId: await builtinRoleId(db, "owner"), description: "Mine now." }), "not_found");
    await expectRefused(() => updateProfile(owner, { roleId: otherAccountProfileId, description: "Mine now." }), "not_found");
    await expectRefused(() => updateProfile(owner, { roleId: crypto.randomUUID(), description: "Mine now." }), "not_found");
  });

  it("refuses a viewer, recording the denial", async () => {
    const grace = await as(ACCOUNT_VIEWER);
    await expectRefused(async () => updateProfile(grace, { roleId: await helpdeskId(), description: "Changed." }), "forbidden", "profile.update.denied");
  });

  it("refuses bad input as invalid", async () => {
    const owner = await as(OWNER);
    const badId = await expectRefused(() => updateProfile(owner, { roleId: "helpdesk", description: "x" }), "invalid");
    expect(badId.error.details.fieldErrors?.roleId).toBeDefined();
    const empty = await expectRefused(async () => updateProfile(owner, { roleId: await helpdeskId(), permissions: [] }), "invalid");
    expect(empty.error.details.fieldErrors?.permissions).toBeDefined();
  });
});

describe("deleteProfile", () => {
  it("refuses to delete a profile while it is assigned", async () => {
    const owner = await as(OWNER);
    const helpdesk = await helpdeskId();
    await expectRefused(() => deleteProfile(owner, { roleId: helpdesk }), "conflict");
    expect(await profileRow(helpdesk)).toBeDefined();
  });

  it("deletes an unused profile, with an audit event holding what it was", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile(["tenant.read", "audit.read"]);
    const { event } = await expectAudited(() => deleteProfile(owner, { roleId: profile.id }));
    expect(await profileRow(profile.id)).toBeUndefined();
    expect(event).toMatchObject({ action: "profile.delete", actorId: owner.authz.principal.id, nodeId: accountId, targetType: "role", targetId: profile.id });
    expect(event.summary).toEqual({ before: { name: profile.name, description: "", permissions: ["audit.read", "tenant.read"] } });
  });

  it("deletes a profile once its last assignment is gone", async () => {
    const owner = await as(OWNER);
    const profile = await freshProfile();
    const [assignment] = await db
      .insert(roleAssignments)
      .values({ accountId, principalId: await principalId(db, ACCOUNT_VIEWER), nodeId: await nodeId(db, "apac"), roleId: profile.id })
      .returning({ id: roleAssignments.id });
    await expectRefused(() => deleteProfile(owner, { roleId: profile.id }), "conflict");
    await db.delete(roleAssignments).where(eq(roleAssignments.id, assignment!.id));
    await deleteProfile(owner, { roleId: profile.id });
    expect(await profileRow(profile.id)).toBeUndefined();
  });

  it("refuses a viewer, recording the denial", async () => {
    const profile = await freshProfile();
    const grace = await as(ACCOUNT_VIEWER);
    await expectRefused(() => deleteProfile(grace, { roleId: profile.id }), "forbidden", "profile.delete.denied");
  });

  it("answers not_found to the EMEA admin, who cannot read the account", async () => {
    const profile = await freshProfile();
    const emma = await as(EMEA_ADMIN);
    await expectRefused(() => deleteProfile(emma, { roleId: profile.id }), "not_found", "profile.delete.denied");
  });

  it("answers not_found for a built-in role, another account's profile and an unknown id", async () => {
    const owner = await as(OWNER);
    await expectRefused(async () => deleteProfile(owner, { roleId: await builtinRoleId(db, "viewer") }), "not_found");
    await expectRefused(() => deleteProfile(owner, { roleId: otherAccountProfileId }), "not_found");
    await expectRefused(() => deleteProfile(owner, { roleId: crypto.randomUUID() }), "not_found");
  });

  it("refuses a non-uuid id as invalid", async () => {
    const owner = await as(OWNER);
    const { error } = await expectRefused(() => deleteProfile(owner, { roleId: "helpdesk-operator" }), "invalid");
    expect(error.details.fieldErrors?.roleId).toBeDefined();
  });
});

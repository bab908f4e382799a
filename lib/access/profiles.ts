import { and, eq, sql } from "drizzle-orm";
import { idpRoleMappings, roleAssignments, roles, type Role } from "@/db/schema";
import { authorize, recordAudit, recordDenial } from "@/lib/audit/record";
import { effectivePermissions, isPermission, type Permission } from "@/lib/authz";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { slugify } from "@/lib/tenants/slug";
import { parseInput } from "@/lib/validation";
import { createProfileInput, deleteProfileInput, updateProfileInput } from "./schemas";

const RESERVED_KEYS = new Set(["owner", "manager", "viewer"]);

async function accountNode(ctx: ServiceContext, action: string): Promise<TreeNode> {
  const account = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: ctx.authz.principal.accountId }, ctx.authz.now);
  await authorize(ctx, action, "profile.manage", account);
  return account!;
}

/** Editing a profile changes what its holders may do: the editor must hold every permission it touches. */
async function requireHeld(ctx: ServiceContext, action: string, account: TreeNode, permissions: Iterable<Permission>): Promise<void> {
  const held = effectivePermissions(ctx.authz, account);
  const missing = [...permissions].filter((permission) => !held.has(permission));
  if (missing.length === 0) return;
  const reason = `You cannot define permissions you do not hold: ${missing.join(", ")}.`;
  await recordDenial(ctx, { action, nodeId: account.id, reason });
  throw new DomainError("forbidden", reason, { rule: 1 });
}

function keyFor(name: string): string {
  const key = slugify(name);
  if (!key) throw new DomainError("invalid", "The name needs at least one letter or digit.", { fieldErrors: { name: ["Use letters or digits."] } });
  if (RESERVED_KEYS.has(key)) {
    throw new DomainError("invalid", "That name belongs to a built-in role.", { fieldErrors: { name: ["Reserved for a built-in role."] } });
  }
  return key;
}

/** Defines a custom permission profile on the principal's account. */
export async function createProfile(ctx: ServiceContext, raw: unknown): Promise<Role> {
  const input = parseInput(createProfileInput, raw);
  const account = await accountNode(ctx, "profile.create");
  await requireHeld(ctx, "profile.create", account, input.permissions);
  const key = keyFor(input.name);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(roles)
      .values({ accountId: account.id, key, name: input.name, description: input.description, permissions: input.permissions })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new DomainError("conflict", "A role with this name already exists.", { fieldErrors: { name: ["Already taken."] } });
    await recordAudit(tx, ctx, { action: "profile.create", nodeId: account.id, targetType: "role", targetId: created.id, after: summary(created) });
    return created;
  });
}

async function loadProfile(ctx: ServiceContext, roleId: string): Promise<Role> {
  const [role] = await ctx.db
    .select()
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.accountId, ctx.authz.principal.accountId)));
  if (!role) throw notFound("permission profile");
  return role;
}

/** Changes a custom profile's name, description or permissions; built-in roles are read-only. */
export async function updateProfile(ctx: ServiceContext, raw: unknown): Promise<Role> {
  const input = parseInput(updateProfileInput, raw);
  const account = await accountNode(ctx, "profile.update");
  const current = await loadProfile(ctx, input.roleId);
  const before = current.permissions.filter(isPermission);
  await requireHeld(ctx, "profile.update", account, new Set([...before, ...(input.permissions ?? [])]));
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new DomainError("precondition_failed", "The profile was changed by someone else; reload it and try again.");
  }
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(roles)
      .set({
        ...(input.name !== undefined ? { name: input.name, key: keyFor(input.name) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.permissions !== undefined ? { permissions: input.permissions } : {}),
        updatedAt: new Date(),
        version: sql`${roles.version} + 1`,
      })
      .where(and(eq(roles.id, current.id), eq(roles.version, current.version)))
      .returning();
    if (!updated) throw new DomainError("precondition_failed", "The profile was changed by someone else; reload it and try again.");
    await recordAudit(tx, ctx, { action: "profile.update", nodeId: account.id, targetType: "role", targetId: current.id, before: summary(current), after: summary(updated) });
    return updated;
  }).catch((error: unknown) => {
    if (error instanceof Error && /roles_account_(key|name)_key/.test(String((error as { cause?: unknown }).cause ?? error.message))) {
      throw new DomainError("conflict", "A role with this name already exists.", { fieldErrors: { name: ["Already taken."] } });
    }
    throw error;
  });
}

/** Deletes a custom profile that no assignment uses. */
export async function deleteProfile(ctx: ServiceContext, raw: unknown): Promise<void> {
  const input = parseInput(deleteProfileInput, raw);
  const account = await accountNode(ctx, "profile.delete");
  const current = await loadProfile(ctx, input.roleId);
  await ctx.db.transaction(async (tx) => {
    const [used] = await tx.select({ value: sql<number>`count(*)::int` }).from(roleAssignments).where(eq(roleAssignments.roleId, current.id));
    if (used!.value > 0) {
      throw new DomainError("conflict", `This profile is still assigned ${used!.value} time(s); change those assignments first.`);
    }
    const [mapped] = await tx.select({ value: sql<number>`count(*)::int` }).from(idpRoleMappings).where(eq(idpRoleMappings.roleId, current.id));
    if (mapped!.value > 0) {
      throw new DomainError("conflict", "Single sign-on rules still give this profile; remove those rules first.");
    }
    await tx.delete(roles).where(eq(roles.id, current.id));
    await recordAudit(tx, ctx, { action: "profile.delete", nodeId: account.id, targetType: "role", targetId: current.id, before: summary(current) });
  });
}

function summary(role: Role) {
  return { name: role.name, description: role.description, permissions: role.permissions };
}

import { and, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { nodes, principals, roleAssignments, roles, type RoleAssignment } from "@/db/schema";
import { authorize, recordAudit, recordDenial } from "@/lib/audit/record";
import { checkAssignmentChange, checkOwnerContinuity, isPermission, type AuthContext, type Permission, type RoleRef } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { assignRoleInput, changeAssignmentInput, revokeAssignmentInput } from "./schemas";

type RoleRow = { id: string; key: string; name: string; permissions: string[] };

function roleRef(role: RoleRow): RoleRef {
  return { key: role.key, permissions: new Set(role.permissions.filter(isPermission)) as ReadonlySet<Permission> };
}

async function loadRole(ctx: ServiceContext, roleId: string): Promise<RoleRow> {
  const [role] = await ctx.db
    .select({ id: roles.id, key: roles.key, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.id, roleId), or(isNull(roles.accountId), eq(roles.accountId, ctx.authz.principal.accountId))));
  if (!role) throw notFound("role");
  return role;
}

async function loadTarget(ctx: ServiceContext, principalId: string): Promise<{ target: AuthContext; homePath: string }> {
  const target = await loadAuthContext(ctx.db, principalId, ctx.authz.now);
  if (!target || target.principal.accountId !== ctx.authz.principal.accountId) throw notFound("principal");
  const [home] = await ctx.db.select({ path: nodes.path }).from(nodes).where(eq(nodes.id, target.principal.homeNodeId));
  return { target, homePath: home!.path };
}

async function loadAssignment(ctx: ServiceContext, assignmentId: string): Promise<RoleAssignment> {
  const [assignment] = await ctx.db
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.accountId, ctx.authz.principal.accountId), eq(roleAssignments.id, assignmentId)));
  if (!assignment) throw notFound("assignment");
  return assignment;
}

async function enforceRules(
  ctx: ServiceContext,
  action: string,
  change: Omit<Parameters<typeof checkAssignmentChange>[0], "actor" | "node"> & { node: TreeNode },
): Promise<void> {
  const verdict = checkAssignmentChange({ ...change, actor: ctx.authz, node: { ...change.node, isAccount: change.node.kind === "account" } });
  if (verdict.ok) return;
  await recordDenial(ctx, { action, nodeId: change.node.id, reason: verdict.message, targetType: "principal", targetId: change.target.principal.id });
  throw new DomainError("forbidden", verdict.message, { rule: verdict.rule });
}

/** Gives a principal a role on a node (SPEC §4 grant rules 1–3, 5 and 7). */
export async function assignRole(ctx: ServiceContext, raw: unknown): Promise<RoleAssignment> {
  const input = parseInput(assignRoleInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "role.assign", "role.assign", node);
  const [{ target, homePath }, role] = await Promise.all([loadTarget(ctx, input.principalId), loadRole(ctx, input.roleId)]);
  await enforceRules(ctx, "role.assign", { kind: "create", target, node: node!, targetHomePath: homePath, role: roleRef(role) });
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(roleAssignments)
      .values({
        accountId: node!.accountId,
        principalId: target.principal.id,
        nodeId: node!.id,
        roleId: role.id,
        expiresAt: input.expiresAt ?? null,
        source: "direct",
        createdBy: ctx.authz.principal.id,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new DomainError("conflict", "This principal already has a role on this node; change that assignment instead.");
    await recordAudit(tx, ctx, {
      action: "role.assign",
      nodeId: node!.id,
      targetType: "principal",
      targetId: target.principal.id,
      after: { assignmentId: created.id, role: role.name, expiresAt: created.expiresAt },
    });
    return created;
  });
}

/** Changes the role (and expiry) of an assignment. */
export async function changeAssignment(ctx: ServiceContext, raw: unknown): Promise<RoleAssignment> {
  const input = parseInput(changeAssignmentInput, raw);
  const assignment = await loadAssignment(ctx, input.assignmentId);
  const node = await loadTreeNode(ctx.db, assignment.accountId, { id: assignment.nodeId }, ctx.authz.now);
  await authorize(ctx, "role.change", "role.assign", node, "assignment");
  const [{ target, homePath }, previous, role] = await Promise.all([
    loadTarget(ctx, assignment.principalId),
    loadRole(ctx, assignment.roleId),
    loadRole(ctx, input.roleId),
  ]);
  await enforceRules(ctx, "role.change", { kind: "change", target, node: node!, targetHomePath: homePath, role: roleRef(role), previousRole: roleRef(previous) });
  const expiresAt = input.expiresAt ?? null;
  const stillPermanentOwner = role.key === "owner" && expiresAt === null;
  return transactWithRules(ctx, "role.change", node!.id, async (tx) => {
    if (previous.key === "owner" && !stillPermanentOwner) await ensureOwnerContinuity(tx, node!, assignment.id);
    const [updated] = await tx
      .update(roleAssignments)
      .set({ roleId: role.id, expiresAt, updatedAt: new Date() })
      .where(eq(roleAssignments.id, assignment.id))
      .returning();
    if (!updated) throw notFound("assignment");
    await recordAudit(tx, ctx, {
      action: "role.change",
      nodeId: node!.id,
      targetType: "principal",
      targetId: target.principal.id,
      before: { assignmentId: assignment.id, role: previous.name, expiresAt: assignment.expiresAt },
      after: { assignmentId: assignment.id, role: role.name, expiresAt },
    });
    return updated;
  });
}

/** Removes an assignment; anyone may remove their own (leave), unless they are the last Owner. */
export async function revokeAssignment(ctx: ServiceContext, raw: unknown): Promise<void> {
  const input = parseInput(revokeAssignmentInput, raw);
  const assignment = await loadAssignment(ctx, input.assignmentId);
  const node = await loadTreeNode(ctx.db, assignment.accountId, { id: assignment.nodeId }, ctx.authz.now);
  const leaving = assignment.principalId === ctx.authz.principal.id;
  if (!leaving) await authorize(ctx, "role.revoke", "role.assign", node, "assignment");
  const [{ target, homePath }, previous] = await Promise.all([loadTarget(ctx, assignment.principalId), loadRole(ctx, assignment.roleId)]);
  await enforceRules(ctx, "role.revoke", { kind: "remove", target, node: node!, targetHomePath: homePath, previousRole: roleRef(previous) });
  await transactWithRules(ctx, leaving ? "role.leave" : "role.revoke", node!.id, async (tx) => {
    if (previous.key === "owner") await ensureOwnerContinuity(tx, node!, assignment.id);
    const removed = await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignment.id)).returning({ id: roleAssignments.id });
    if (removed.length === 0) throw notFound("assignment");
    await recordAudit(tx, ctx, {
      action: leaving ? "role.leave" : "role.revoke",
      nodeId: node!.id,
      targetType: "principal",
      targetId: target.principal.id,
      before: { assignmentId: assignment.id, role: previous.name, expiresAt: assignment.expiresAt },
    });
  });
}

/**
 * Rule 6 under a lock on the node: every change that may remove an Owner of an account or a reseller
 * organization takes the node's row lock first, so two concurrent demotions cannot both see "one left".
 */
async function ensureOwnerContinuity(tx: Transaction, node: TreeNode, changingAssignmentId: string): Promise<void> {
  const needsOwner = node.kind === "account" || (node.kind === "organization" && node.capabilities.has("reseller"));
  if (!needsOwner) return;
  await tx.select({ id: nodes.id }).from(nodes).where(eq(nodes.id, node.id)).for("update");
  const remaining = await countPermanentOwners(tx, node, changingAssignmentId);
  const verdict = checkOwnerContinuity(remaining);
  if (!verdict.ok) throw new DomainError("conflict", verdict.message, { rule: verdict.rule });
}

/** Runs a write transaction; a grant-rule refusal inside it is recorded once the transaction has rolled back. */
async function transactWithRules<T>(ctx: ServiceContext, action: string, nodeId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(work);
  } catch (error) {
    if (error instanceof DomainError && error.details.rule !== undefined) {
      await recordDenial(ctx, { action, nodeId, reason: error.message });
    }
    throw error;
  }
}

/** Active human principals holding Owner directly on the node with no expiry, other than `excluding`. */
export async function countPermanentOwners(db: Database | Transaction, node: { id: string; accountId: string }, excluding?: string): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`count(*)::int` })
    .from(roleAssignments)
    .innerJoin(principals, eq(principals.id, roleAssignments.principalId))
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(
      and(
        eq(roleAssignments.accountId, node.accountId),
        eq(roleAssignments.nodeId, node.id),
        isNull(roleAssignments.expiresAt),
        eq(roles.builtin, true),
        eq(roles.key, "owner"),
        eq(principals.status, "active"),
        eq(principals.kind, "user"),
        excluding ? ne(roleAssignments.id, excluding) : undefined,
      ),
    );
  return row?.value ?? 0;
}

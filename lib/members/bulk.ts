import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { nodes, principals, roleAssignments, roles } from "@/db/schema";
import { authorize, recordAudit, recordDenial } from "@/lib/audit/record";
import { endAllSessions } from "@/lib/auth/sessions";
import { can, checkMayManage, checkOwnerContinuity } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { revokeAssignment } from "@/lib/access/service";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";

export const bulkMembersInput = z.object({
  nodeId: z.uuid("Not a valid id."),
  principalIds: z
    .array(z.uuid("Not a valid id."))
    .min(1, "Select at least one member.")
    .max(500, "Select at most 500 members at a time.")
    .transform((ids) => [...new Set(ids)]),
});

/** Per selected principal, why it was refused; the whole batch is then left unwritten. */
type Refusals = Record<string, string[]>;

class BatchRefused extends Error {
  constructor(readonly refusals: Refusals) {
    super("batch refused");
  }
}

/**
 * Disables the selected principals, all or nothing: each needs member.manage on its home node and must
 * not outrank the actor there (rule 4); nobody disables themselves or the last active, direct, human
 * Owner of an account or reseller (rule 6). Sessions end at once. Refusals come back per principal.
 */
export async function disableMembers(ctx: ServiceContext, raw: unknown): Promise<{ disabled: number }> {
  const input = parseInput(bulkMembersInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "member.disable", "member.manage", node);
  const refusals: Refusals = {};
  const homes = new Map<string, TreeNode>();
  for (const principalId of input.principalIds) {
    const target = await loadAuthContext(ctx.db, principalId, ctx.authz.now);
    const home = target ? await loadTreeNode(ctx.db, target.principal.accountId, { id: target.principal.homeNodeId }, ctx.authz.now) : null;
    if (!target || !home || home.accountId !== ctx.authz.principal.accountId) refusals[principalId] = ["No such member, or you do not have access to them."];
    else if (principalId === ctx.authz.principal.id) refusals[principalId] = ["You cannot disable yourself."];
    else if (!can(ctx.authz, "member.manage", home)) refusals[principalId] = [`You may not manage members of ${home.name}, where ${target.principal.name} belongs.`];
    else {
      const verdict = checkMayManage(ctx.authz, target, home);
      if (!verdict.ok) refusals[principalId] = [verdict.message];
      else homes.set(principalId, home);
    }
  }
  return runBatch(ctx, "member.disable", node!, refusals, async (tx) => {
    const ids = [...homes.keys()];
    await ensureOwnersRemain(tx, ids, refusals);
    const disabled = await tx
      .update(principals)
      .set({ status: "disabled", updatedAt: new Date() })
      .where(and(inArray(principals.id, ids), sql`${principals.status} <> 'disabled'`))
      .returning({ id: principals.id, name: principals.name });
    for (const principal of disabled) {
      await endAllSessions(tx, principal.id);
      await recordAudit(tx, ctx, {
        action: "member.disable",
        nodeId: homes.get(principal.id)!.id,
        targetType: "principal",
        targetId: principal.id,
        after: { status: "disabled" },
      });
    }
    return { disabled: disabled.length };
  });
}

/**
 * Removes the selected principals' assignments on this very node, all or nothing, each through
 * revokeAssignment and so under every grant rule. Inherited access is removed where it is granted.
 */
export async function removeAccess(ctx: ServiceContext, raw: unknown): Promise<{ removed: number }> {
  const input = parseInput(bulkMembersInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "member.remove-access", "role.assign", node);
  const direct = await ctx.db
    .select({ id: roleAssignments.id, principalId: roleAssignments.principalId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.accountId, node!.accountId), eq(roleAssignments.nodeId, node!.id), inArray(roleAssignments.principalId, input.principalIds)));
  const refusals: Refusals = {};
  for (const principalId of input.principalIds) {
    if (!direct.some((assignment) => assignment.principalId === principalId)) {
      refusals[principalId] = [`Has no role on ${node!.name} itself: remove it where it is granted.`];
    }
  }
  return runBatch(ctx, "member.remove-access", node!, refusals, async (tx) => {
    // Each revocation runs in a savepoint of this transaction: a later refusal undoes the earlier ones.
    const inner: ServiceContext = { ...ctx, db: tx as unknown as Database };
    for (const assignment of direct) {
      try {
        await revokeAssignment(inner, { assignmentId: assignment.id });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusals[assignment.principalId] = [error.message];
      }
    }
    if (Object.keys(refusals).length > 0) throw new BatchRefused(refusals);
    return { removed: direct.length };
  });
}

/**
 * Refuses before writing when a principal is already refused; otherwise writes in one transaction,
 * and a refusal found inside it rolls everything back. Each refusal is audited after the rollback.
 */
async function runBatch<T>(ctx: ServiceContext, action: string, node: TreeNode, refusals: Refusals, work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    if (Object.keys(refusals).length > 0) throw new BatchRefused(refusals);
    return await ctx.db.transaction(work);
  } catch (error) {
    if (!(error instanceof BatchRefused)) throw error;
    for (const [principalId, reasons] of Object.entries(error.refusals)) {
      await recordDenial(ctx, { action, nodeId: node.id, reason: reasons.join(" "), targetType: "principal", targetId: principalId });
    }
    const count = Object.keys(error.refusals).length;
    throw new DomainError("forbidden", `Nothing was changed: ${count} of the selected ${count === 1 ? "member is" : "members are"} refused.`, {
      fieldErrors: error.refusals,
    });
  }
}

/** Rule 6 for a batch: every account or reseller where a target is a permanent direct Owner keeps another one. */
async function ensureOwnersRemain(tx: Transaction, ids: string[], refusals: Refusals): Promise<void> {
  if (ids.length === 0) return;
  const owned = await tx
    .select({ principalId: roleAssignments.principalId, nodeId: roleAssignments.nodeId, accountId: roleAssignments.accountId, kind: nodes.kind })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .innerJoin(nodes, eq(nodes.id, roleAssignments.nodeId))
    .where(and(inArray(roleAssignments.principalId, ids), isNull(roleAssignments.expiresAt), eq(roles.builtin, true), eq(roles.key, "owner")));
  for (const nodeId of new Set(owned.map((row) => row.nodeId))) {
    const first = owned.find((row) => row.nodeId === nodeId)!;
    const node = await loadTreeNode(tx as unknown as Database, first.accountId, { id: nodeId });
    if (!node || !(node.kind === "account" || (node.kind === "organization" && node.capabilities.has("reseller")))) continue;
    // The node's row lock orders this against concurrent demotions of its owners (as the service does).
    await tx.select({ id: nodes.id }).from(nodes).where(eq(nodes.id, nodeId)).for("update");
    const [remaining] = await tx
      .select({ value: sql<number>`count(*)::int` })
      .from(roleAssignments)
      .innerJoin(principals, eq(principals.id, roleAssignments.principalId))
      .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
      .where(
        and(
          eq(roleAssignments.accountId, node.accountId),
          eq(roleAssignments.nodeId, nodeId),
          isNull(roleAssignments.expiresAt),
          eq(roles.builtin, true),
          eq(roles.key, "owner"),
          eq(principals.status, "active"),
          eq(principals.kind, "user"),
          notInArray(principals.id, ids),
        ),
      );
    const verdict = checkOwnerContinuity(remaining?.value ?? 0);
    if (verdict.ok) continue;
    for (const row of owned.filter((entry) => entry.nodeId === nodeId)) refusals[row.principalId] = [`${verdict.message} (${node.name})`];
  }
  if (Object.keys(refusals).length > 0) throw new BatchRefused(refusals);
}

import { and, eq, sql } from "drizzle-orm";
import { nodeCapabilities, nodes } from "@/db/schema";
import { recordAudit, recordDenial } from "@/lib/audit/record";
import { can, type Capability } from "@/lib/authz";
import { checkPermission } from "@/lib/authz/guard";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { removeCapabilityInput, setCapabilityInput } from "@/lib/access/schemas";

/**
 * A parent gives its children capabilities (SPEC §6): changing a node's capabilities needs
 * capability.assign on its parent, and `reseller` needs it on the account.
 */
async function checkGiver(
  ctx: ServiceContext,
  action: string,
  nodeId: string,
  capability: Capability,
): Promise<{ node: TreeNode; parent: TreeNode; giver: TreeNode }> {
  const accountId = ctx.authz.principal.accountId;
  const node = await loadTreeNode(ctx.db, accountId, { id: nodeId }, ctx.authz.now);
  const hidden = checkPermission(ctx.authz, "tenant.read", node);
  if (hidden) {
    await recordDenial(ctx, { action, nodeId: node?.id ?? null, reason: hidden.message });
    throw hidden;
  }
  if (!node!.parentId) {
    const reason = "An account's capabilities are set by the platform operator.";
    await recordDenial(ctx, { action, nodeId: node!.id, permission: "capability.assign", reason });
    throw new DomainError("forbidden", reason);
  }
  const parent = (await loadTreeNode(ctx.db, accountId, { id: node!.parentId }, ctx.authz.now))!;
  const giver = capability === "reseller" ? (await loadTreeNode(ctx.db, accountId, { id: accountId }, ctx.authz.now))! : parent;
  if (!can(ctx.authz, "capability.assign", giver)) {
    const reason = `Capabilities of ${node!.name} are given by ${giver.name}: you need capability.assign there.`;
    await recordDenial(ctx, { action, nodeId: node!.id, permission: "capability.assign", reason });
    throw new DomainError("forbidden", reason);
  }
  return { node: node!, parent, giver };
}

/** Gives a node a capability its parent has, optionally until a date. */
export async function setCapability(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(setCapabilityInput, raw);
  const { node, parent, giver } = await checkGiver(ctx, "capability.set", input.nodeId, input.capability);
  if (!giver.capabilities.has(input.capability)) {
    throw new DomainError("invalid", `${giver.name} does not have ${input.capability}, so it cannot give it.`);
  }
  if (input.capability === "reseller" && (node.kind !== "organization" || parent.kind === "organization")) {
    throw new DomainError("invalid", "Only an organization directly under the account or one of its groups can be a reseller.");
  }
  const expiresAt = input.expiresAt ?? null;
  return ctx.db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ expiresAt: nodeCapabilities.expiresAt })
      .from(nodeCapabilities)
      .where(and(eq(nodeCapabilities.nodeId, node.id), eq(nodeCapabilities.capability, input.capability)));
    await tx
      .insert(nodeCapabilities)
      .values({ accountId: node.accountId, nodeId: node.id, capability: input.capability, expiresAt })
      .onConflictDoUpdate({ target: [nodeCapabilities.nodeId, nodeCapabilities.capability], set: { expiresAt } });
    await recordAudit(tx, ctx, {
      action: "capability.set",
      nodeId: node.id,
      targetType: "capability",
      targetId: input.capability,
      before: previous ? { expiresAt: previous.expiresAt } : null,
      after: { expiresAt },
    });
    return { nodeId: node.id, capability: input.capability, expiresAt };
  });
}

/** Takes a capability away from a node; everything below loses it too. */
export async function removeCapability(ctx: ServiceContext, raw: unknown): Promise<void> {
  const input = parseInput(removeCapabilityInput, raw);
  const { node } = await checkGiver(ctx, "capability.remove", input.nodeId, input.capability);
  await ctx.db.transaction(async (tx) => {
    if (input.capability === "reseller") {
      const [customers] = await tx
        .select({ value: sql<number>`count(*)::int` })
        .from(nodes)
        .where(and(eq(nodes.accountId, node.accountId), eq(nodes.parentId, node.id)));
      if (customers!.value > 0) throw new DomainError("conflict", "This reseller still has customer organizations; move them first.");
    }
    const removed = await tx
      .delete(nodeCapabilities)
      .where(and(eq(nodeCapabilities.nodeId, node.id), eq(nodeCapabilities.capability, input.capability)))
      .returning({ expiresAt: nodeCapabilities.expiresAt });
    if (removed.length === 0) throw new DomainError("not_found", `${node.name} does not have ${input.capability} set.`);
    await recordAudit(tx, ctx, { action: "capability.remove", nodeId: node.id, targetType: "capability", targetId: input.capability, before: { expiresAt: removed[0]!.expiresAt } });
  });
}

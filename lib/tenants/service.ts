import { and, eq, gte, inArray, like, lt, max, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { nodeCapabilities, nodes, principals, roleAssignments } from "@/db/schema";
import { authorize, recordAudit } from "@/lib/audit/record";
import { childPath, pathIds, subtreeRange } from "@/lib/authz";
import { loadEffectiveCapabilities, loadTreeNode, whoHasAccess, type AccessEntry, type TreeNode } from "@/lib/authz/queries";
import { moveRollups } from "@/lib/consumption/rollups";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { slugify } from "./slug";
import { createNodeInput, moveNodeInput, nodeIdInput, renameNodeInput, tagNodeInput, updateNodeInput } from "./schemas";

/** Deepest level below the account (SPEC §2: at most 10 levels). */
export const MAX_DEPTH = 9;

async function nodeOf(ctx: ServiceContext, id: string): Promise<TreeNode | null> {
  return loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id }, ctx.authz.now);
}

/** Refuses a node of `kind` (whose subtree reaches `subtreeHeight` levels below it) under `parent`. */
function checkPlacement(kind: TreeNode["kind"], parent: TreeNode, subtreeHeight: number, isReseller: boolean, archivedOnPath: boolean): void {
  if (archivedOnPath) throw new DomainError("invalid", "Nothing can be added under an archived node; restore it first.");
  if (parent.kind === "organization") {
    if (!parent.capabilities.has("reseller")) {
      throw new DomainError("invalid", "An organization holds no other nodes unless it is a reseller.");
    }
    if (kind !== "organization" || subtreeHeight > 0 || isReseller) {
      throw new DomainError("invalid", "A reseller holds only customer organizations, which cannot be resellers themselves.");
    }
  }
  if (parent.depth + 1 + subtreeHeight > MAX_DEPTH) {
    throw new DomainError("invalid", `The tree is at most ${MAX_DEPTH + 1} levels deep.`);
  }
}

function checkVersion(node: { version: number }, expected: number | undefined): void {
  if (expected !== undefined && node.version !== expected) {
    throw new DomainError("precondition_failed", "The node was changed by someone else; reload it and try again.");
  }
}

/** Whether the node or any node above it is archived: archiving is a soft delete of the whole subtree. */
async function archivedOnPath(tx: Transaction, node: { accountId: string; path: string }): Promise<boolean> {
  const [row] = await tx
    .select({ id: nodes.id })
    .from(nodes)
    .where(and(eq(nodes.accountId, node.accountId), inArray(nodes.id, pathIds(node.path)), eq(nodes.status, "archived")))
    .limit(1);
  return row !== undefined;
}

/** Locks and re-reads a node inside a transaction, so concurrent changes to it take turns. */
async function lockNode(tx: Transaction, accountId: string, id: string) {
  const [row] = await tx
    .select()
    .from(nodes)
    .where(and(eq(nodes.accountId, accountId), eq(nodes.id, id)))
    .for("update");
  if (!row) throw notFound();
  return row;
}

/** Creates a group or organization under a node the principal may create under. */
export async function createNode(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(createNodeInput, raw);
  const parent = await nodeOf(ctx, input.parentId);
  await authorize(ctx, "node.create", "tenant.create", parent);
  const slug = input.slug ?? (await freeSlug(ctx, slugify(input.name) || "node"));
  const id = crypto.randomUUID();
  return ctx.db.transaction(async (tx) => {
    const locked = await lockNode(tx, parent!.accountId, parent!.id);
    checkPlacement(input.kind, { ...parent!, ...locked }, 0, false, await archivedOnPath(tx, locked));
    const [created] = await tx
      .insert(nodes)
      .values({
        id,
        accountId: locked.accountId,
        parentId: locked.id,
        kind: input.kind,
        name: input.name,
        slug,
        path: childPath(locked.path, id),
        depth: locked.depth + 1,
        tags: input.tags,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      throw new DomainError("conflict", `The short name "${slug}" is taken in this account.`, { fieldErrors: { slug: ["Already taken."] } });
    }
    await recordAudit(tx, ctx, { action: "node.create", nodeId: created.id, targetType: "node", targetId: created.id, after: pick(created) });
    return created;
  });
}

const MAX_SLUG = 63;

/** The name's slug, or the first free "slug-2", "slug-3"… shortened to stay within the limit. */
async function freeSlug(ctx: ServiceContext, base: string): Promise<string> {
  const candidate = (n: number) => {
    if (n === 1) return base;
    const suffix = `-${n}`;
    return `${base.slice(0, MAX_SLUG - suffix.length).replace(/-+$/, "")}${suffix}`;
  };
  const stem = base.slice(0, MAX_SLUG - 6).replace(/-+$/, "");
  const taken = await ctx.db
    .select({ slug: nodes.slug })
    .from(nodes)
    .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), like(nodes.slug, `${stem}%`)));
  const used = new Set(taken.map((row) => row.slug));
  for (let n = 1; ; n++) if (!used.has(candidate(n))) return candidate(n);
}

/** Renames a node. */
export async function renameNode(ctx: ServiceContext, raw: unknown) {
  const { nodeId, expectedVersion, name } = parseInput(renameNodeInput, raw);
  return updateNode(ctx, nodeId, expectedVersion, { name });
}

/** Replaces a node's tags. */
export async function tagNode(ctx: ServiceContext, raw: unknown) {
  const { nodeId, expectedVersion, tags } = parseInput(tagNodeInput, raw);
  return updateNode(ctx, nodeId, expectedVersion, { tags });
}

/**
 * Renames a node, replaces its tags, or both at once: one check, one new version and one transaction
 * with an audit event per change, so that an invalid or refused part writes nothing at all.
 */
export async function updateNodeDetails(ctx: ServiceContext, raw: unknown) {
  const { nodeId, expectedVersion, name, tags } = parseInput(updateNodeInput, raw);
  return updateNode(ctx, nodeId, expectedVersion, { ...(name !== undefined ? { name } : {}), ...(tags !== undefined ? { tags } : {}) });
}

type NodeChange = { name?: string; tags?: string[]; status?: "active" | "archived" };

/** The audit action of each kind of change; a change of several records one event for each. */
function changeActions(change: NodeChange): string[] {
  const actions: string[] = [];
  if (change.name !== undefined) actions.push("node.rename");
  if (change.tags !== undefined) actions.push("node.tag");
  if (change.status) actions.push(change.status === "archived" ? "node.archive" : "node.restore");
  return actions;
}

async function updateNode(ctx: ServiceContext, nodeId: string, expectedVersion: number | undefined, change: NodeChange) {
  const actions = changeActions(change);
  const node = await nodeOf(ctx, nodeId);
  const permission = change.status ? "tenant.delete" : "tenant.update";
  await authorize(ctx, actions.length === 1 ? actions[0]! : "node.update", permission, node);
  return ctx.db.transaction(async (tx) => {
    const current = await lockNode(tx, node!.accountId, node!.id);
    checkVersion(current, expectedVersion);
    if (change.status && current.status === change.status) {
      throw new DomainError("invalid", change.status === "archived" ? "The node is already archived." : "The node is not archived.");
    }
    const [updated] = await tx
      .update(nodes)
      .set({ ...change, updatedAt: new Date(), version: current.version + 1 })
      .where(eq(nodes.id, current.id))
      .returning();
    for (const action of actions) {
      await recordAudit(tx, ctx, { action, nodeId: current.id, targetType: "node", targetId: current.id, before: pick(current), after: pick(updated!) });
    }
    return updated!;
  });
}

/** Archives a node: a soft delete that `restoreNode` undoes. */
export async function archiveNode(ctx: ServiceContext, raw: unknown) {
  const { nodeId } = parseInput(nodeIdInput, raw);
  const node = await nodeOf(ctx, nodeId);
  await authorize(ctx, "node.archive", "tenant.delete", node);
  if (node!.kind === "account") throw new DomainError("invalid", "An account cannot be archived from the portal.");
  return updateNode(ctx, nodeId, undefined, { status: "archived" });
}

/** Restores an archived node. */
export async function restoreNode(ctx: ServiceContext, raw: unknown) {
  const { nodeId } = parseInput(nodeIdInput, raw);
  return updateNode(ctx, nodeId, undefined, { status: "active" });
}

/** Deletes an archived node for good; only one with nothing in it (no children, members or assignments). */
export async function deleteNode(ctx: ServiceContext, raw: unknown) {
  const { nodeId } = parseInput(nodeIdInput, raw);
  const node = await nodeOf(ctx, nodeId);
  await authorize(ctx, "node.delete", "tenant.delete", node);
  await ctx.db.transaction(async (tx) => {
    const current = await lockNode(tx, node!.accountId, node!.id);
    if (current.kind === "account") throw new DomainError("invalid", "An account cannot be deleted from the portal.");
    if (current.status !== "archived") throw new DomainError("invalid", "Archive the node before deleting it.");
    const [children] = await tx.select({ n: sql<number>`count(*)::int` }).from(nodes).where(and(eq(nodes.accountId, current.accountId), eq(nodes.parentId, current.id)));
    const [members] = await tx.select({ n: sql<number>`count(*)::int` }).from(principals).where(and(eq(principals.accountId, current.accountId), eq(principals.homeNodeId, current.id)));
    const [grants] = await tx.select({ n: sql<number>`count(*)::int` }).from(roleAssignments).where(and(eq(roleAssignments.accountId, current.accountId), eq(roleAssignments.nodeId, current.id)));
    if (children!.n + members!.n + grants!.n > 0) {
      throw new DomainError("conflict", "Only an empty node can be deleted: it still has sub-nodes, members or role assignments.");
    }
    await tx.delete(nodeCapabilities).where(eq(nodeCapabilities.nodeId, current.id));
    await tx.delete(nodes).where(eq(nodes.id, current.id));
    await recordAudit(tx, ctx, { action: "node.delete", nodeId: current.parentId, targetType: "node", targetId: current.id, before: pick(current) });
  });
}

export interface MovePreview {
  node: { id: string; name: string };
  from: { id: string; name: string };
  to: { id: string; name: string };
  gains: AccessEntry[];
  losses: AccessEntry[];
}

/** Who gains and who loses access to the node (and so its subtree) if it moves under `newParentId`. */
export async function previewMove(ctx: ServiceContext, raw: unknown): Promise<MovePreview> {
  const input = parseInput(moveNodeInput, raw);
  const { node, destination, from } = await checkMove(ctx, input.nodeId, input.newParentId);
  return computePreview(ctx, node, destination, from);
}

async function computePreview(ctx: ServiceContext, node: TreeNode, destination: TreeNode, from: TreeNode): Promise<MovePreview> {
  const movedPath = childPath(destination.path, node.id);
  const capabilities = await loadEffectiveCapabilities(ctx.db, node.accountId, pathIds(movedPath), ctx.authz.now);
  const moved: TreeNode = { ...node, path: movedPath, capabilities: new Set(capabilities.map((entry) => entry.capability)) };
  const [before, after] = await Promise.all([whoHasAccess(ctx.db, node, ctx.authz.now), whoHasAccess(ctx.db, moved, ctx.authz.now)]);
  const beforeIds = new Set(before.map((entry) => entry.principal.id));
  const afterIds = new Set(after.map((entry) => entry.principal.id));
  return {
    node: { id: node.id, name: node.name },
    from: { id: from.id, name: from.name },
    to: { id: destination.id, name: destination.name },
    gains: after.filter((entry) => !beforeIds.has(entry.principal.id)),
    losses: before.filter((entry) => !afterIds.has(entry.principal.id)),
  };
}

async function checkMove(ctx: ServiceContext, nodeId: string, newParentId: string) {
  const node = await nodeOf(ctx, nodeId);
  await authorize(ctx, "node.move", "tenant.move", node);
  const destination = await nodeOf(ctx, newParentId);
  await authorize(ctx, "node.move", "tenant.create", destination);
  if (node!.kind === "account" || !node!.parentId) throw new DomainError("invalid", "An account is the root of its tree and cannot move.");
  if (destination!.path.startsWith(node!.path)) throw new DomainError("invalid", "A node cannot move into itself or below itself.");
  if (destination!.id === node!.parentId) throw new DomainError("invalid", "The node is already there.");
  const from = (await nodeOf(ctx, node!.parentId))!;
  return { node: node!, destination: destination!, from };
}

/** Moves a node and its whole subtree under another node of the same account, and reports the access change. */
export async function moveNode(ctx: ServiceContext, raw: unknown): Promise<MovePreview> {
  const input = parseInput(moveNodeInput, raw);
  const checked = await checkMove(ctx, input.nodeId, input.newParentId);
  const preview = await computePreview(ctx, checked.node, checked.destination, checked.from);
  await ctx.db.transaction(async (tx) => {
    const accountId = checked.node.accountId;
    const destination = await lockNode(tx, accountId, checked.destination.id);
    const current = await lockNode(tx, accountId, checked.node.id);
    checkVersion(current, input.expectedVersion);
    if (destination.path.startsWith(current.path)) throw new DomainError("invalid", "A node cannot move into itself or below itself.");
    const { lower, upper } = subtreeRange(current.path);
    const inSubtree = and(eq(nodes.accountId, accountId), gte(nodes.path, lower), lt(nodes.path, upper));
    const [deepest] = await tx.select({ depth: max(nodes.depth) }).from(nodes).where(inSubtree);
    const ownReseller = await tx
      .select({ capability: nodeCapabilities.capability })
      .from(nodeCapabilities)
      .where(and(eq(nodeCapabilities.nodeId, current.id), eq(nodeCapabilities.capability, "reseller")));
    checkPlacement(
      current.kind,
      { ...checked.destination, ...destination },
      (deepest?.depth ?? current.depth) - current.depth,
      ownReseller.length > 0,
      await archivedOnPath(tx, destination),
    );
    if (ownReseller.length > 0 && destination.kind === "organization") {
      throw new DomainError("invalid", "A reseller sits directly under a group or the account.");
    }
    const newPath = childPath(destination.path, current.id);
    const depthDelta = destination.depth + 1 - current.depth;
    await tx
      .update(nodes)
      .set({
        path: sql`${newPath} || substr(${nodes.path}, ${current.path.length + 1})`,
        depth: sql`${nodes.depth} + ${depthDelta}`,
        // Every moved node's path and depth change, so each gets a new version (and ETag), not only the top.
        version: sql`${nodes.version} + 1`,
        updatedAt: new Date(),
      })
      .where(inSubtree);
    await tx.update(nodes).set({ parentId: destination.id }).where(eq(nodes.id, current.id));
    await moveRollups(tx, { accountId, nodeId: current.id, oldPath: current.path, newPath });
    await recordAudit(tx, ctx, {
      action: "node.move",
      nodeId: current.id,
      targetType: "node",
      targetId: current.id,
      before: { parentId: current.parentId },
      after: {
        parentId: destination.id,
        gains: preview.gains.map((entry) => entry.principal.id),
        losses: preview.losses.map((entry) => entry.principal.id),
      },
    });
  });
  return preview;
}

function pick(node: { name: string; slug: string; kind: string; parentId: string | null; tags: string[]; status: string; version: number }) {
  return { name: node.name, slug: node.slug, kind: node.kind, parentId: node.parentId, tags: node.tags, status: node.status, version: node.version };
}

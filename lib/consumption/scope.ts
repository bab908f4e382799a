import "server-only";
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes } from "@/db/schema";
import { authorize, recordDenial } from "@/lib/audit/record";
import { can, subtreeRange, type Permission } from "@/lib/authz";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { pgArray } from "./pg-array";

// Who may see an organization's consumption data: the principals with the permission on that
// organization or an ancestor, and only where `flex` is in force along the way.

/** A node of the caller's account with its effective capabilities, or null. */
export function loadNode(ctx: ServiceContext, id: string | null | undefined): Promise<TreeNode | null> {
  if (!id) return Promise.resolve(null);
  return loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id }, ctx.authz.now);
}

/**
 * The check for a thing owned by an organization (a configuration, an entitlement), found by its id:
 * one the caller may not read is "not found", exactly like one that does not exist; one it may read
 * but not change is "forbidden". Both denials are audited. Returns the owning organization.
 */
export async function authorizeOwned(ctx: ServiceContext, action: string, permission: Permission, ownerId: string | null | undefined, what: string): Promise<TreeNode> {
  const owner = await loadNode(ctx, ownerId);
  if (!owner || !can(ctx.authz, "consumption.read", owner)) {
    const error = notFound(what);
    await recordDenial(ctx, { action, nodeId: owner?.id ?? null, permission, reason: error.message, targetType: what });
    throw error;
  }
  await authorize(ctx, action, permission, owner);
  return owner;
}

/**
 * SQL over `nodes`: the part of `node`'s subtree whose consumption data a principal holding the
 * permission on `node` may read — all of it but the branches below it where `flex` is not in force
 * (the permission needs `flex` on the organization itself, SPEC §6). `node` has `flex`: it was authorized.
 */
export async function readableSubtree(db: Database, node: TreeNode, now: Date): Promise<SQL> {
  const { lower, upper } = subtreeRange(node.path);
  const inSubtree = and(eq(nodes.accountId, node.accountId), gte(nodes.path, lower), lt(nodes.path, upper))!;
  const cutOff = await db
    .select({ path: nodes.path })
    .from(nodes)
    .where(
      and(
        inSubtree,
        sql`not exists (select 1 from node_capabilities c where c.account_id = ${nodes.accountId} and c.node_id = ${nodes.id}
          and c.capability = 'flex' and (c.expires_at is null or c.expires_at > ${now}))`,
      ),
    );
  if (cutOff.length === 0) return inSubtree;
  const paths = pgArray(cutOff.map((row) => row.path));
  return and(inSubtree, sql`not exists (select 1 from unnest(${paths}::text[]) as cut(path) where starts_with(${nodes.path}, cut.path))`)!;
}

import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes, type Node } from "@/db/schema";
import { can, pathIds, type AuthContext } from "@/lib/authz";
import { nodeColumns } from "@/lib/authz/queries";
import { nodesGrantingCondition } from "@/lib/authz/sql";

export type TenantNode = Pick<Node, "id" | "accountId" | "parentId" | "kind" | "name" | "slug" | "path" | "depth" | "tags" | "status">;

/** The node with this slug in the principal's account, or null when it does not exist or may not be read. */
export async function findReadableNode(db: Database, ctx: AuthContext, slug: string): Promise<TenantNode | null> {
  const [node] = await db
    .select(nodeColumns)
    .from(nodes)
    .where(and(eq(nodes.accountId, ctx.principal.accountId), eq(nodes.slug, slug)));
  return node && can(ctx, "tenant.read", node) ? node : null;
}

/** Every node the principal may read, in path order (parents before children). */
export async function listReadableNodes(db: Database, ctx: AuthContext): Promise<TenantNode[]> {
  return db.select(nodeColumns).from(nodes).where(nodesGrantingCondition(ctx, "tenant.read")).orderBy(asc(nodes.path));
}

/** The node's ancestors the principal may read, from the top down: the breadcrumbs. */
export async function listReadableAncestors(db: Database, ctx: AuthContext, node: TenantNode): Promise<TenantNode[]> {
  const ancestorIds = pathIds(node.path).slice(0, -1);
  if (ancestorIds.length === 0) return [];
  const rows = await db
    .select(nodeColumns)
    .from(nodes)
    .where(and(eq(nodes.accountId, node.accountId), inArray(nodes.id, ancestorIds)))
    .orderBy(asc(nodes.depth));
  return rows.filter((ancestor) => can(ctx, "tenant.read", ancestor));
}

/** How many direct children a node has, by kind. */
export async function countChildren(db: Database, node: TenantNode): Promise<{ groups: number; organizations: number }> {
  const rows = await db
    .select({ kind: nodes.kind, value: count() })
    .from(nodes)
    .where(and(eq(nodes.accountId, node.accountId), eq(nodes.parentId, node.id)))
    .groupBy(nodes.kind);
  const of = (kind: string) => rows.find((row) => row.kind === kind)?.value ?? 0;
  return { groups: of("group"), organizations: of("organization") };
}

import { and, asc, count, eq, gt, inArray, lt } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes, type Node } from "@/db/schema";
import { can, pathIds, subtreeRange, type AuthContext } from "@/lib/authz";
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

/** How many organizations lie below a node, at any depth. */
export async function countOrganizationsBelow(db: Database, node: TenantNode): Promise<number> {
  const { lower, upper } = subtreeRange(node.path);
  const [row] = await db
    .select({ value: count() })
    .from(nodes)
    .where(
      and(eq(nodes.accountId, node.accountId), gt(nodes.path, lower), lt(nodes.path, upper), eq(nodes.kind, "organization")),
    );
  return row?.value ?? 0;
}

export interface TreeBranch {
  node: TenantNode;
  children: TreeBranch[];
}

/** Arranges readable nodes into branches: roots are the readable nodes whose parent is not readable. */
export function arrangeTree(readable: readonly TenantNode[]): TreeBranch[] {
  const branches = new Map(readable.map((node) => [node.id, { node, children: [] as TreeBranch[] }]));
  const roots: TreeBranch[] = [];
  for (const branch of branches.values()) {
    const parent = branch.node.parentId ? branches.get(branch.node.parentId) : undefined;
    (parent ? parent.children : roots).push(branch);
  }
  const byName = (a: TreeBranch, b: TreeBranch) =>
    kindOrder(a.node) - kindOrder(b.node) || a.node.name.localeCompare(b.node.name);
  for (const branch of branches.values()) branch.children.sort(byName);
  return roots.sort(byName);
}

function kindOrder(node: TenantNode): number {
  return node.kind === "organization" ? 1 : 0;
}

import { and, asc, count, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { nodeKind, nodes, type NodeKind, type NodeStatus } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { can, grantsWith, pathIds, type AuthContext } from "@/lib/authz";
import { loadTreeNode, nodeColumns } from "@/lib/authz/queries";
import { nodesGrantingCondition } from "@/lib/authz/sql";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { MAX_DEPTH } from "./service";
import type { TenantNode } from "./read";

// The tenant tree page's reads: roots, then children a page at a time, each with its counts and what
// the principal may do to it. Readability is inherited, so every child of a readable node is readable.

export interface TreeItem {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  kind: NodeKind;
  status: NodeStatus;
  tags: string[];
  /** Direct children (archived ones only when they are shown). */
  subNodes: number;
  /** Principals, other than disabled ones, holding an unexpired role directly on the node. */
  members: number;
  /** What the principal may do here; each is checked again by the server action. */
  may: { create: NodeKind[]; update: boolean; move: boolean; archive: boolean };
}

export interface TreeOptions {
  includeArchived?: boolean;
}

export const CHILDREN_PAGE_SIZE = 100;

/** The nodes the principal may read whose parent it may not read: the tops of its visible tree. */
export async function listTreeRoots(ctx: ServiceContext, options: TreeOptions = {}): Promise<TreeItem[]> {
  const paths = [...new Set(grantsWith(ctx.authz, "tenant.read").map((grant) => grant.nodePath))].sort();
  const outermost = paths.filter((path, index) => !paths.slice(0, index).some((above) => path.startsWith(above)));
  const ids = outermost.map((path) => pathIds(path).at(-1)!);
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select(nodeColumns)
    .from(nodes)
    .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), inArray(nodes.id, ids)))
    .orderBy(asc(nodes.kind), asc(sortName), asc(nodes.id));
  return withCounts(ctx, rows, options);
}

const childrenQuery = z.object({
  cursor: z.string().max(2_000).nullish(),
  limit: z.coerce.number().int().min(1).max(500).default(CHILDREN_PAGE_SIZE),
});

/**
 * The children of a node the principal may read, groups first then by name, a keyset page at a time so
 * that a group of ten thousand organizations is never read at once.
 */
export async function listTreeChildren(
  ctx: ServiceContext,
  parentId: string,
  query: z.input<typeof childrenQuery> = {},
  options: TreeOptions = {},
): Promise<{ items: TreeItem[]; nextCursor: string | null }> {
  const { cursor, limit } = parseInput(childrenQuery, query);
  const parent = z.uuid().safeParse(parentId).success ? await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: parentId }, ctx.authz.now) : null;
  await authorize(ctx, "node.children", "tenant.read", parent);
  const after = cursor ? decodeCursor(cursor, cursorShape) : null;
  const conditions: (SQL | undefined)[] = [eq(nodes.accountId, parent!.accountId), eq(nodes.parentId, parent!.id)];
  if (!options.includeArchived) conditions.push(ne(nodes.status, "archived"));
  if (after) conditions.push(sql`(${nodes.kind}, ${sortName}, ${nodes.id}) > (${after.kind}::node_kind, ${after.name}, ${after.id}::uuid)`);
  const rows = await ctx.db
    .select({ ...nodeColumns, sortKey: sortName })
    .from(nodes)
    .where(and(...conditions))
    .orderBy(asc(nodes.kind), asc(sortName), asc(nodes.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await withCounts(ctx, page.map(({ sortKey: _, ...node }) => node), options),
    nextCursor: rows.length > limit && last ? encodeCursor({ kind: last.kind, name: last.sortKey, id: last.id }) : null,
  };
}

/** How many organizations, not archived, the principal may read in all. */
export async function countReadableOrganizations(ctx: ServiceContext): Promise<number> {
  const [row] = await ctx.db
    .select({ value: count() })
    .from(nodes)
    .where(and(nodesGrantingCondition(ctx.authz, "tenant.read"), eq(nodes.kind, "organization"), ne(nodes.status, "archived")));
  return row?.value ?? 0;
}

// Groups before organizations (the enum's order), then by name: the order of every list of children.
// An index on (account_id, parent_id, kind, lower(name), id) would serve it without a sort.
const sortName = sql<string>`lower(${nodes.name})`;

/** Counts and permissions for a page of nodes: one query for the whole page, however long. */
async function withCounts(ctx: ServiceContext, rows: TenantNode[], options: TreeOptions): Promise<TreeItem[]> {
  if (rows.length === 0) return [];
  // Correlated to the outer "nodes" by name: drizzle leaves column references unqualified here.
  const archived = options.includeArchived ? sql`` : sql` and c.status <> 'archived'`;
  const counts = await ctx.db
    .select({
      id: nodes.id,
      subNodes: sql<number>`(select count(*)::int from nodes c where c.account_id = nodes.account_id and c.parent_id = nodes.id${archived})`,
      members: sql<number>`(select count(distinct ra.principal_id)::int from role_assignments ra
        join principals p on p.id = ra.principal_id and p.status <> 'disabled'
        where ra.account_id = nodes.account_id and ra.node_id = nodes.id and (ra.expires_at is null or ra.expires_at > ${ctx.authz.now}))`,
      reseller: sql<boolean>`exists(select 1 from node_capabilities nc
        where nc.account_id = nodes.account_id and nc.node_id = nodes.id and nc.capability = 'reseller'
          and (nc.expires_at is null or nc.expires_at > ${ctx.authz.now}))`,
    })
    .from(nodes)
    .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), inArray(nodes.id, rows.map((row) => row.id))));
  const byId = new Map(counts.map((row) => [row.id, row]));
  return rows.map((node) => {
    const counted = byId.get(node.id);
    return {
      id: node.id,
      parentId: node.parentId,
      slug: node.slug,
      name: node.name,
      kind: node.kind,
      status: node.status,
      tags: node.tags,
      subNodes: counted?.subNodes ?? 0,
      members: counted?.members ?? 0,
      may: allowedActions(ctx.authz, node, counted?.reseller === true),
    };
  });
}

/** The changes the tree offers on a node: those the principal holds the permission for and the tree's rules allow. */
function allowedActions(ctx: AuthContext, node: TenantNode, reseller: boolean): TreeItem["may"] {
  const active = node.status === "active";
  const placeable: NodeKind[] = node.kind === "organization" ? (reseller ? ["organization"] : []) : ["group", "organization"];
  const belowTheTop = node.kind !== "account";
  return {
    create: active && node.depth < MAX_DEPTH && can(ctx, "tenant.create", node) ? placeable : [],
    update: can(ctx, "tenant.update", node),
    move: belowTheTop && can(ctx, "tenant.move", node),
    archive: belowTheTop && can(ctx, "tenant.delete", node),
  };
}

const cursorShape = z.object({ kind: z.enum(nodeKind.enumValues), name: z.string(), id: z.uuid() });

import { and, asc, eq, gt, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { nodeCapabilities, nodes, principals, roleAssignments, roles, type NodeKind } from "@/db/schema";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { effectiveCapabilities, type EffectiveCapability } from "./capabilities";
import { isPermission, REQUIRED_CAPABILITY, type Capability, type Permission } from "./catalog";
import { grantsWith, type AuthContext, type NodeRef } from "./decide";
import { pathIds, subtreeRange } from "./paths";

// Thin database functions around the pure decision core. Every query filters by account_id.

export interface TreeNode extends NodeRef {
  parentId: string | null;
  kind: NodeKind;
  name: string;
  slug: string;
  depth: number;
  tags: string[];
  status: "active" | "suspended" | "archived";
  capabilities: ReadonlySet<Capability>;
  capabilityExpiry: readonly EffectiveCapability[];
}

/** The columns of a node that reads return (everything but timestamps and version). */
export const nodeColumns = {
  id: nodes.id,
  accountId: nodes.accountId,
  parentId: nodes.parentId,
  kind: nodes.kind,
  name: nodes.name,
  slug: nodes.slug,
  path: nodes.path,
  depth: nodes.depth,
  tags: nodes.tags,
  status: nodes.status,
};

/** A node of the account with its effective capabilities (two indexed queries); null when there is none. */
export async function loadTreeNode(
  db: Database,
  accountId: string,
  by: { id: string } | { slug: string },
  now = new Date(),
): Promise<TreeNode | null> {
  const match = "id" in by ? eq(nodes.id, by.id) : eq(nodes.slug, by.slug);
  const [node] = await db.select(nodeColumns).from(nodes).where(and(eq(nodes.accountId, accountId), match));
  if (!node) return null;
  const effective = await loadEffectiveCapabilities(db, accountId, pathIds(node.path), now);
  return { ...node, capabilities: new Set(effective.map((entry) => entry.capability)), capabilityExpiry: effective };
}

/** Effective capabilities at the end of a path of node ids (top-down), which need not exist yet as a path. */
export async function loadEffectiveCapabilities(db: Database, accountId: string, ids: string[], now = new Date()): Promise<EffectiveCapability[]> {
  const settings = await db
    .select({ nodeId: nodeCapabilities.nodeId, capability: nodeCapabilities.capability, expiresAt: nodeCapabilities.expiresAt })
    .from(nodeCapabilities)
    .where(and(eq(nodeCapabilities.accountId, accountId), inArray(nodeCapabilities.nodeId, ids)));
  return effectiveCapabilities(
    ids.map((id) => settings.filter((setting) => setting.nodeId === id)),
    now,
  );
}

/** What a capability-bound permission adds to a listing: the node must effectively have `capability` at `now`. */
interface CapabilityFilter {
  capability: Capability;
  now: Date;
  accountId: string;
}

/** SQL: the capability is set and unexpired on every node of `ids` (a uuid[]), of which there are `count`. */
function capabilityOnEvery(filter: CapabilityFilter, ids: SQL, count: SQL): SQL {
  return sql`(select count(*) from ${nodeCapabilities} nc
    where nc.account_id = ${filter.accountId} and nc.capability = ${filter.capability}
      and (nc.expires_at is null or nc.expires_at > ${filter.now})
      and nc.node_id = any(${ids})) = ${count}`;
}

/**
 * SQL: a node of the subtree whose root has path `root` and depth `rootDepth` effectively has the
 * capability (set and unexpired on every node of its path). The root's own path is the same for the
 * whole subtree, so it is checked once, and each node checks only the ids below the root.
 */
function capabilityInSubtree(filter: CapabilityFilter, root: SQL, rootDepth: SQL): SQL[] {
  return [
    capabilityOnEvery(filter, sql`string_to_array(rtrim(${root}, '/'), '/')::uuid[]`, sql`${rootDepth} + 1`),
    capabilityOnEvery(filter, sql`string_to_array(rtrim(substr(${nodes.path}, length(${root}) + 1), '/'), '/')::uuid[]`, sql`${nodes.depth} - ${rootDepth}`),
  ];
}

export interface ListAccessibleOptions {
  /** Only this node and what is below it. */
  under?: string;
  kind?: NodeKind;
  /** Part of the name (case-insensitive), or an exact `key:value` tag. */
  search?: string;
  cursor?: string | null;
  limit?: number;
}

export interface NodePage {
  items: Omit<TreeNode, "capabilities" | "capabilityExpiry">[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Every node where the principal holds `permission`, in path order, a page at a time. Complete: the
 * pages together hold exactly the nodes `can` allows. Each granting assignment is one index range scan.
 */
export async function listAccessibleNodes(
  db: Database,
  ctx: AuthContext,
  permission: Permission,
  options: ListAccessibleOptions = {},
): Promise<NodePage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const after = options.cursor ? decodeCursor(options.cursor, pathCursor).p : null;
  let ranges = disjointRanges(grantsWith(ctx, permission).map((grant) => grant.nodePath));
  if (options.under) {
    const [under] = await db
      .select({ path: nodes.path })
      .from(nodes)
      .where(and(eq(nodes.accountId, ctx.principal.accountId), eq(nodes.id, options.under)));
    ranges = under ? intersect(ranges, subtreeRange(under.path)) : [];
  }

  const filters: SQL[] = [];
  if (options.kind) filters.push(eq(nodes.kind, options.kind));
  const search = options.search?.trim();
  if (search) {
    const byName = ilike(nodes.name, `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    filters.push(search.includes(":") ? (or(byName, sql`${nodes.tags} @> array[${search}]::text[]`) as SQL) : byName);
  }
  const capability = REQUIRED_CAPABILITY[permission];
  const needs = capability ? { capability, now: ctx.now, accountId: ctx.principal.accountId } : null;

  const active = ranges.filter((range) => after === null || range.upper > after);
  const items = await scanRanges(db, ctx.principal.accountId, active, after, filters, needs, limit + 1);
  const hasMore = items.length > limit;
  const page = items.slice(0, limit);
  return { items: page, nextCursor: hasMore ? encodeCursor({ p: page[page.length - 1]!.path }) : null };
}

/** A subtree's paths, [lower, upper): `lower` is the path of the subtree's root node. */
export type Range = { lower: string; upper: string };

/**
 * The first `count` nodes, in path order, within disjoint path ranges sorted by path, after a cursor.
 * Sorted and disjoint, the ranges hold their nodes in path order range after range, so a statement
 * reads them in turn and stops once it has `count` nodes. A statement takes the first 32 ranges, the
 * next twice as many, and so on while the page is short: a principal with thousands of grants does not
 * send them all for a page that the first few fill.
 */
async function scanRanges(db: Database, accountId: string, ranges: Range[], after: string | null, filters: SQL[], needs: CapabilityFilter | null, count: number) {
  const found: NodePage["items"] = [];
  for (let from = 0, batch = FIRST_BATCH; from < ranges.length && found.length < count; from += batch, batch *= 2) {
    found.push(...(await scanBatch(db, accountId, ranges.slice(from, from + batch), after, filters, needs, count - found.length)));
  }
  return found;
}

const FIRST_BATCH = 32;

/** The first `count` nodes of the ranges, in path order: one statement, each range an index range scan. */
async function scanBatch(
  db: Database,
  accountId: string,
  ranges: Range[],
  after: string | null,
  filters: SQL[],
  needs: CapabilityFilter | null,
  count: number,
): Promise<NodePage["items"]> {
  const inAccount = [eq(nodes.accountId, accountId), ...(after === null ? [] : [gt(nodes.path, after)]), ...filters];
  if (ranges.length === 1) {
    const range = ranges[0]!;
    const capability = needs ? capabilityInSubtree(needs, sql`${range.lower}::text`, sql`${depthOf(range.lower)}::int`) : [];
    return db
      .select(nodeColumns)
      .from(nodes)
      .where(and(gte(nodes.path, range.lower), lt(nodes.path, range.upper), ...inAccount, ...capability))
      .orderBy(asc(nodes.path))
      .limit(count);
  }
  // Both drivers answer execute() with { rows }.
  const result = (await db.execute(rangesStatement(ranges, inAccount, count, needs))) as unknown as { rows: NodePage["items"] };
  return result.rows;
}

/**
 * The first `count` nodes of several ranges, in path order, meeting `conditions`. Ordered by range
 * number, then path within the range (the same order as by path): the ranges come presorted, so
 * PostgreSQL sorts one range at a time (incremental sort) and scans no range it does not need.
 * With `needs`, a range whose root lacks the capability is not scanned at all. Exported for the test
 * of its plan.
 */
export function rangesStatement(ranges: Range[], conditions: SQL[], count: number, needs: CapabilityFilter | null = null): SQL {
  const capability = needs ? capabilityInSubtree(needs, sql`r.lower`, sql`r.depth`) : [];
  return sql`
    select n.* from (
      select * from unnest(
        ${sql.param(ranges.map((range) => range.lower))}::text[],
        ${sql.param(ranges.map((range) => range.upper))}::text[],
        ${sql.param(ranges.map((range) => depthOf(range.lower)))}::int[]
      ) with ordinality as r(lower, upper, depth, i)
      order by i
    ) r
    cross join lateral (
      select ${nodes.id} as "id", ${nodes.accountId} as "accountId", ${nodes.parentId} as "parentId", ${nodes.kind} as "kind",
             ${nodes.name} as "name", ${nodes.slug} as "slug", ${nodes.path} as "path", ${nodes.depth} as "depth",
             ${nodes.tags} as "tags", ${nodes.status} as "status"
      from ${nodes} where ${and(sql`${nodes.path} >= r.lower`, sql`${nodes.path} < r.upper`, ...conditions, ...capability)}
      order by ${nodes.path} limit ${count}
    ) n
    order by r.i, n."path" limit ${count}`;
}

/** The depth of the node at `path` (the account is 0). */
function depthOf(path: string): number {
  return pathIds(path).length - 1;
}

/** Subtree ranges are nested or disjoint: keep the outermost, sorted. */
function disjointRanges(paths: string[]): Range[] {
  const sorted = [...new Set(paths)].sort();
  const kept: Range[] = [];
  for (const path of sorted) {
    const last = kept[kept.length - 1];
    if (last && path >= last.lower && path < last.upper) continue;
    kept.push(subtreeRange(path));
  }
  return kept;
}

function intersect(ranges: Range[], within: Range): Range[] {
  return ranges
    .map((range) => ({ lower: range.lower > within.lower ? range.lower : within.lower, upper: range.upper < within.upper ? range.upper : within.upper }))
    .filter((range) => range.lower < range.upper);
}

/** A path cursor: the last node's path, so the next page starts after it. */
const pathCursor = z.object({ p: z.string().regex(/^([0-9a-f-]{36}\/)+$/) });

export interface AccessEntry {
  principal: { id: string; kind: "user" | "api_client"; name: string; email: string | null; status: "invited" | "active" | "disabled" };
  permissions: Permission[];
  via: {
    assignmentId: string;
    nodeId: string;
    nodeName: string;
    roleId: string;
    roleName: string;
    source: "direct" | "invitation" | "idp";
    expiresAt: Date | null;
    inherited: boolean;
  }[];
}

/**
 * Every principal with any effective permission on `node`, with the assignments it comes from (on the
 * node itself or inherited from above). Expired assignments, disabled principals and permissions whose
 * capability the node lacks count for nothing.
 */
export async function whoHasAccess(db: Database, node: TreeNode, now = new Date()): Promise<AccessEntry[]> {
  const rows = await db
    .select({
      principalId: principals.id,
      kind: principals.kind,
      name: principals.name,
      email: principals.email,
      status: principals.status,
      assignmentId: roleAssignments.id,
      nodeId: roleAssignments.nodeId,
      nodeName: nodes.name,
      roleId: roles.id,
      roleName: roles.name,
      permissions: roles.permissions,
      source: roleAssignments.source,
      expiresAt: roleAssignments.expiresAt,
    })
    .from(roleAssignments)
    .innerJoin(principals, eq(principals.id, roleAssignments.principalId))
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .innerJoin(nodes, eq(nodes.id, roleAssignments.nodeId))
    .where(
      and(
        eq(roleAssignments.accountId, node.accountId),
        inArray(roleAssignments.nodeId, pathIds(node.path)),
        eq(principals.status, "active"),
        sql`(${roleAssignments.expiresAt} is null or ${roleAssignments.expiresAt} > ${now})`,
      ),
    );

  const byPrincipal = new Map<string, AccessEntry & { held: Set<Permission> }>();
  for (const row of rows) {
    const granted = row.permissions.filter(isPermission).filter((permission) => {
      const capability = REQUIRED_CAPABILITY[permission];
      return capability === undefined || node.capabilities.has(capability);
    });
    if (granted.length === 0) continue;
    let entry = byPrincipal.get(row.principalId);
    if (!entry) {
      entry = {
        principal: { id: row.principalId, kind: row.kind, name: row.name, email: row.email, status: row.status },
        permissions: [],
        via: [],
        held: new Set(),
      };
      byPrincipal.set(row.principalId, entry);
    }
    for (const permission of granted) entry.held.add(permission);
    entry.via.push({
      assignmentId: row.assignmentId,
      nodeId: row.nodeId,
      nodeName: row.nodeName,
      roleId: row.roleId,
      roleName: row.roleName,
      source: row.source,
      expiresAt: row.expiresAt,
      inherited: row.nodeId !== node.id,
    });
  }
  return [...byPrincipal.values()]
    .map(({ held, ...entry }) => ({ ...entry, permissions: [...held].sort() }))
    .sort((a, b) => a.principal.name.localeCompare(b.principal.name) || a.principal.id.localeCompare(b.principal.id));
}

import { and, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { nodes, principals, roleAssignments, roles, totpCredentials } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { pathIds, subtreeRange } from "@/lib/authz";
import { DEFAULT_PAGE_SIZE, loadTreeNode, MAX_PAGE_SIZE, type TreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { decodePosition, encodePosition, MEMBER_SORTS, memberOrdering, positionColumns, segmentsAfter } from "./member-order";

export const MEMBER_PAGE_SIZES = [25, 50, 100] as const;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => value || undefined);

/** What the members list offers to filter and sort by: the portal's table and the API alike. */
export const memberFilters = z.object({
  nodeId: z.uuid("Not a valid id."),
  sort: z.enum(MEMBER_SORTS, { error: "Sort by name, email, status or last sign-in." }).default("name"),
  dir: z.enum(["asc", "desc"], { error: "Sort ascending or descending." }).default("asc"),
  q: optionalText(200),
  roleId: z.union([z.uuid("Not a valid role."), z.literal("")]).optional().transform((value) => value || undefined),
  status: z.union([z.enum(["invited", "active", "disabled"], { error: "Not a status." }), z.literal("")]).optional().transform((value) => value || undefined),
  source: z.union([z.enum(["direct", "invitation", "idp"], { error: "Not a source." }), z.literal("")]).optional().transform((value) => value || undefined),
  kind: z.union([z.enum(["user", "api_client"], { error: "Not a kind of principal." }), z.literal("")]).optional().transform((value) => value || undefined),
});

/** Numbered pages with a total, for the portal's table. */
export const memberListInput = memberFilters.extend({
  page: z.coerce.number({ error: "Not a page number." }).int().min(1, "Pages start at 1.").max(1_000_000).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((size) => (MEMBER_PAGE_SIZES as readonly number[]).includes(size), "Show 25, 50 or 100 a page.")
    .default(50),
});

/** Keyset pages after a cursor, for walking a long list (the API): no page is slower than the first. */
export const memberCursorInput = memberFilters.extend({
  cursor: z.string().min(1).max(2_000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export type MemberListInput = z.input<typeof memberListInput>;
type Filters = z.output<typeof memberFilters>;

export interface MemberAssignment {
  assignmentId: string;
  nodeId: string;
  nodeName: string;
  roleId: string;
  roleKey: string;
  roleName: string;
  source: "direct" | "invitation" | "idp";
  expiresAt: Date | null;
}

export interface MemberRow {
  id: string;
  name: string;
  email: string | null;
  kind: "user" | "api_client";
  status: "invited" | "active" | "disabled";
  twoStepEnrolled: boolean;
  lastSignInAt: Date | null;
  /** Assignments in force on this node or above it, nearest first: the role here. */
  here: (MemberAssignment & { inherited: boolean })[];
  /** The assignment on this very node, even an expired one: what "change" and "remove access" act on. */
  direct: (MemberAssignment & { expired: boolean }) | null;
  /** How many assignments the principal holds below this node. */
  below: number;
}

export interface MemberPage {
  node: TreeNode;
  rows: MemberRow[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * The members of a node: every principal holding an assignment on the node, on one of its ancestors
 * (inherited), or on a node below it; at the account, every principal of the account. Sorted, filtered and paged in SQL; needs member.read on the node.
 * The role and source filters match any of those assignments.
 */
export async function listMembers(ctx: ServiceContext, raw: unknown): Promise<MemberPage> {
  const input = parseInput(memberListInput, raw);
  const { node, where } = await memberScope(ctx, input);
  const [rows, [count]] = await Promise.all([
    selectMembers(ctx, where, input).limit(input.pageSize).offset((input.page - 1) * input.pageSize),
    ctx.db.select({ value: sql<number>`count(*)::int` }).from(principals).where(where),
  ]);
  return { node, rows: await withAssignments(ctx, node, rows), total: count?.value ?? 0, page: input.page, pageSize: input.pageSize };
}

export interface MemberCursorPage {
  node: TreeNode;
  rows: MemberRow[];
  nextCursor: string | null;
}

/** The same members, filters and order as `listMembers`, a keyset page after `cursor` at a time. */
export async function listMembersAfter(ctx: ServiceContext, raw: unknown): Promise<MemberCursorPage> {
  const input = parseInput(memberCursorInput, raw);
  const after = input.cursor ? decodePosition(input.cursor, input.sort, input.dir) : null;
  const { node, where } = await memberScope(ctx, input);
  const rows: Awaited<ReturnType<typeof selectMembers>> = [];
  for (const segment of segmentsAfter(input.sort, input.dir, after)) {
    if (rows.length > input.limit) break;
    rows.push(...(await selectMembers(ctx, and(where, segment), input).limit(input.limit + 1 - rows.length)));
  }
  const page = rows.slice(0, input.limit);
  return {
    node,
    rows: await withAssignments(ctx, node, page),
    nextCursor: rows.length > input.limit ? encodePosition(input.sort, input.dir, page.at(-1)!) : null,
  };
}

/** The node (member.read checked) and the condition on principals that both lists share. */
async function memberScope(ctx: ServiceContext, input: Filters): Promise<{ node: TreeNode; where: SQL | undefined }> {
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "member.list", "member.read", node);
  return { node: node!, where: and(eq(principals.accountId, node!.accountId), scopeCondition(node!, input), ...textAndStatus(input)) };
}

function selectMembers(ctx: ServiceContext, where: SQL | undefined, input: Filters) {
  return ctx.db
    .select({
      ...positionColumns,
      kind: principals.kind,
      lastSignInAt: principals.lastSignInAt,
      twoStepEnrolled: sql<boolean>`${totpCredentials.confirmedAt} is not null`,
    })
    .from(principals)
    .leftJoin(totpCredentials, eq(totpCredentials.principalId, principals.id))
    .where(where)
    .orderBy(...memberOrdering(input.sort, input.dir))
    .$dynamic();
}

async function withAssignments(ctx: ServiceContext, node: TreeNode, rows: Awaited<ReturnType<typeof selectMembers>>): Promise<MemberRow[]> {
  const details = await assignmentsOf(ctx, node, rows.map((row) => row.id));
  return rows.map(({ lastSignInKey: _, ...row }) => ({ ...row, ...(details.get(row.id) ?? { here: [], direct: null, below: 0 }) }));
}

/**
 * Who is in scope. At the account it is every principal of the account (all of them belong to it, with a
 * role or not), read straight from the principals' indexes; elsewhere, and whenever a role or source is
 * asked for, the principals with a matching assignment on the node's path or in its subtree.
 */
function scopeCondition(node: TreeNode, input: Filters): SQL | undefined {
  if (node.kind === "account" && !input.roleId && !input.source) return undefined;
  return inArray(principals.id, scopedPrincipalIds(node, input));
}

/** Ids of the principals with an assignment on the node's path or in its subtree (matching role and source). */
function scopedPrincipalIds(node: TreeNode, input: Filters) {
  const conditions: (SQL | undefined)[] = [eq(roleAssignments.accountId, node.accountId)];
  // At the account every node of the tree is in scope: no need to look the nodes up.
  if (node.kind !== "account") {
    const { lower, upper } = subtreeRange(node.path);
    const inScope = sql`select ${nodes.id} from ${nodes} where ${nodes.accountId} = ${node.accountId}
      and (${inArray(nodes.id, pathIds(node.path))} or (${nodes.path} >= ${lower} and ${nodes.path} < ${upper}))`;
    conditions.push(sql`${roleAssignments.nodeId} in (${inScope})`);
  }
  if (input.roleId) conditions.push(eq(roleAssignments.roleId, input.roleId));
  if (input.source) conditions.push(eq(roleAssignments.source, input.source));
  return sql`(select ${roleAssignments.principalId} from ${roleAssignments} where ${and(...conditions)})`;
}

function textAndStatus(input: Filters): SQL[] {
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(principals.status, input.status));
  if (input.kind) filters.push(eq(principals.kind, input.kind));
  if (input.q) {
    const pattern = `%${input.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    filters.push(or(ilike(principals.name, pattern), ilike(principals.email, pattern)) as SQL);
  }
  return filters;
}

/** The page's assignments on the node's path and below it, grouped per principal (one indexed query). */
async function assignmentsOf(ctx: ServiceContext, node: TreeNode, ids: string[]) {
  const grouped = new Map<string, Pick<MemberRow, "here" | "direct" | "below">>();
  if (ids.length === 0) return grouped;
  const { lower, upper } = subtreeRange(node.path);
  const rows = await ctx.db
    .select({
      principalId: roleAssignments.principalId,
      assignmentId: roleAssignments.id,
      nodeId: roleAssignments.nodeId,
      nodeName: nodes.name,
      roleId: roles.id,
      roleKey: roles.key,
      roleName: roles.name,
      source: roleAssignments.source,
      expiresAt: roleAssignments.expiresAt,
      below: sql<boolean>`${nodes.path} > ${lower} and ${nodes.path} < ${upper}`,
    })
    .from(roleAssignments)
    .innerJoin(nodes, and(eq(nodes.accountId, roleAssignments.accountId), eq(nodes.id, roleAssignments.nodeId)))
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(and(eq(roleAssignments.accountId, node.accountId), inArray(roleAssignments.principalId, ids)))
    .orderBy(desc(nodes.depth));
  const onPath = new Set(pathIds(node.path));
  for (const { principalId, below, ...assignment } of rows) {
    let entry = grouped.get(principalId);
    if (!entry) grouped.set(principalId, (entry = { here: [], direct: null, below: 0 }));
    const expired = assignment.expiresAt !== null && assignment.expiresAt <= ctx.authz.now;
    if (below) entry.below += 1;
    if (assignment.nodeId === node.id) entry.direct = { ...assignment, expired };
    if (onPath.has(assignment.nodeId) && !expired) entry.here.push({ ...assignment, inherited: assignment.nodeId !== node.id });
  }
  return grouped;
}

import { and, asc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { roleAssignments, type RoleAssignment } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { DEFAULT_PAGE_SIZE, loadTreeNode, MAX_PAGE_SIZE } from "@/lib/authz/queries";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";

const id = z.uuid("Not a valid id.");

export const nodeAssignmentsInput = z.object({
  nodeId: id,
  cursor: z.string().min(1).max(2_000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const idCursor = z.object({ id });

/**
 * The role assignments held directly on a node (expired ones too: they are still there to change or
 * remove), in id order, a keyset page at a time; needs member.read on the node.
 */
export async function listNodeAssignments(ctx: ServiceContext, raw: unknown): Promise<{ items: RoleAssignment[]; nextCursor: string | null }> {
  const input = parseInput(nodeAssignmentsInput, raw);
  const after = input.cursor ? decodeCursor(input.cursor, idCursor).id : null;
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "role.list", "member.read", node);
  const rows = await ctx.db
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.accountId, node!.accountId), eq(roleAssignments.nodeId, node!.id), after ? gt(roleAssignments.id, after) : undefined))
    .orderBy(asc(roleAssignments.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** One assignment, to whoever may read members on its node; refused like its node otherwise. */
export async function readAssignment(ctx: ServiceContext, assignmentId: string): Promise<RoleAssignment> {
  const accountId = ctx.authz.principal.accountId;
  const [assignment] = id.safeParse(assignmentId).success
    ? await ctx.db
        .select()
        .from(roleAssignments)
        .where(and(eq(roleAssignments.accountId, accountId), eq(roleAssignments.id, assignmentId)))
    : [];
  const node = assignment ? await loadTreeNode(ctx.db, accountId, { id: assignment.nodeId }, ctx.authz.now) : null;
  await authorize(ctx, "role.read", "member.read", node, "assignment");
  return assignment!;
}

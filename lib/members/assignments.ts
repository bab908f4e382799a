import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { nodes } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { can, checkAssignmentChange, explain, pathIds, PERMISSIONS, type AuthContext, type Explanation } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode } from "@/lib/authz/queries";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";

export interface VisibleAssignment {
  id: string;
  nodeId: string;
  /** Names from the account down to the assignment's node. */
  nodePath: string[];
  nodeSlug: string;
  roleId: string;
  roleName: string;
  source: "direct" | "invitation" | "idp";
  expiresAt: Date | null;
  expired: boolean;
  /** Whether the actor may change or revoke it under the grant rules. */
  mayChange: boolean;
}

/** Names of the nodes on the given paths, by id (one indexed query). */
async function nodeNames(ctx: ServiceContext, paths: string[]): Promise<Map<string, { name: string; slug: string }>> {
  const ids = [...new Set(paths.flatMap(pathIds))];
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: nodes.id, name: nodes.name, slug: nodes.slug })
    .from(nodes)
    .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), inArray(nodes.id, ids)));
  return new Map(rows.map((row) => [row.id, { name: row.name, slug: row.slug }]));
}

/**
 * Every assignment of a principal on a node where the actor holds member.read, outermost first, with
 * whether the actor may change it. A principal of another account is not found.
 */
export async function visibleAssignments(ctx: ServiceContext, principalId: string): Promise<{ target: AuthContext; assignments: VisibleAssignment[] }> {
  const target = await loadAuthContext(ctx.db, principalId, ctx.authz.now);
  if (!target || target.principal.accountId !== ctx.authz.principal.accountId) throw notFound("member");
  const accountId = target.principal.accountId;
  const visible = target.grants.filter((grant) => can(ctx.authz, "member.read", { id: grant.nodeId, accountId, path: grant.nodePath }));
  const names = await nodeNames(ctx, visible.map((grant) => grant.nodePath));
  const [home] = await ctx.db.select({ path: nodes.path }).from(nodes).where(eq(nodes.id, target.principal.homeNodeId));
  const assignments = visible
    .sort((a, b) => a.nodePath.length - b.nodePath.length || a.nodePath.localeCompare(b.nodePath))
    .map((grant) => {
      const node = { id: grant.nodeId, accountId, path: grant.nodePath, isAccount: grant.nodePath.split("/").length === 2 };
      const verdict =
        principalId !== ctx.authz.principal.id &&
        checkAssignmentChange({ kind: "remove", actor: ctx.authz, target, node, targetHomePath: home?.path ?? grant.nodePath, previousRole: { key: grant.roleKey, permissions: grant.permissions } }).ok;
      return {
        id: grant.assignmentId,
        nodeId: grant.nodeId,
        nodePath: pathIds(grant.nodePath).map((id) => names.get(id)?.name ?? "…"),
        nodeSlug: names.get(grant.nodeId)?.slug ?? "",
        roleId: grant.roleId,
        roleName: grant.roleName,
        source: grant.source,
        expiresAt: grant.expiresAt,
        expired: grant.expiresAt !== null && grant.expiresAt <= ctx.authz.now,
        mayChange: verdict,
      };
    });
  return { target, assignments };
}

export const explainInput = z.object({
  principalId: z.uuid("Not a valid id."),
  permission: z.enum(PERMISSIONS, { error: "Choose a permission of the catalog." }),
  nodeId: z.uuid("Choose a node."),
});

export type AccessExplanation = Explanation & { nodeName: string; grantNodeName?: string };

/** Why a principal holds a permission on a node, or why not; needs member.read on that node. */
export async function explainAccess(ctx: ServiceContext, raw: unknown): Promise<AccessExplanation> {
  const input = parseInput(explainInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "member.explain", "member.read", node);
  const target = await loadAuthContext(ctx.db, input.principalId, ctx.authz.now);
  if (!target || target.principal.accountId !== ctx.authz.principal.accountId) throw notFound("member");
  const answer = explain(target, input.permission, node!);
  if (!answer.allowed) return { ...answer, nodeName: node!.name };
  const names = await nodeNames(ctx, [answer.grant.nodePath]);
  return { ...answer, nodeName: node!.name, grantNodeName: names.get(answer.grant.nodeId)?.name };
}

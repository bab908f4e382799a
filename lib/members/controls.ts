import { and, eq, inArray } from "drizzle-orm";
import { nodes, principals, roles } from "@/db/schema";
import { can, checkAssignmentChange, isPermission, isWithin, type Permission } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { TreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import type { MemberRow } from "./list";

/**
 * Which role controls the actor gets for each member of a page, under the same grant rules the
 * service applies: assigning a first role here, or changing and revoking the role held here.
 */
export async function roleControls(ctx: ServiceContext, node: TreeNode, rows: MemberRow[]): Promise<Map<string, { assign: boolean; change: boolean }>> {
  const controls = new Map(rows.map((row) => [row.id, { assign: false, change: false }]));
  if (!can(ctx.authz, "role.assign", node)) return controls;
  const held = rows.filter((row) => row.direct !== null && row.id !== ctx.authz.principal.id);
  const roleIds = [...new Set(held.map((row) => row.direct!.roleId))];
  const permissions = new Map(
    roleIds.length === 0
      ? []
      : (await ctx.db.select({ id: roles.id, permissions: roles.permissions }).from(roles).where(inArray(roles.id, roleIds))).map((role) => [
          role.id,
          new Set(role.permissions.filter(isPermission)) as ReadonlySet<Permission>,
        ]),
  );
  // The home rule (7): a principal holds roles only on its home node and below it.
  const homes = new Map(
    rows.length === 0
      ? []
      : (
          await ctx.db
            .select({ id: principals.id, path: nodes.path })
            .from(principals)
            .innerJoin(nodes, and(eq(nodes.accountId, principals.accountId), eq(nodes.id, principals.homeNodeId)))
            .where(and(eq(principals.accountId, node.accountId), inArray(principals.id, rows.map((row) => row.id))))
        ).map((home) => [home.id, home.path]),
  );
  for (const row of rows) {
    if (row.id === ctx.authz.principal.id) continue;
    if (row.direct === null) {
      const home = homes.get(row.id);
      controls.set(row.id, { assign: home !== undefined && isWithin(node.path, home), change: false });
      continue;
    }
    const target = await loadAuthContext(ctx.db, row.id, ctx.authz.now);
    if (!target) continue;
    const verdict = checkAssignmentChange({
      kind: "remove",
      actor: ctx.authz,
      target,
      node: { ...node, isAccount: node.kind === "account" },
      targetHomePath: node.path,
      previousRole: { key: row.direct.roleKey, permissions: permissions.get(row.direct.roleId) ?? new Set() },
    });
    controls.set(row.id, { assign: false, change: verdict.ok });
  }
  return controls;
}

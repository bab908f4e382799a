import { and, asc, count, eq, inArray } from "drizzle-orm";
import { idpRoleMappings, nodes, roleAssignments, roles } from "@/db/schema";
import { can, isPermission, type AuthContext, type NodeRef, type Permission } from "@/lib/authz";
import type { Database } from "@/db/client";

/** Roles and profiles are shown to whoever may read members on the node or manage profiles; the sidebar and the page agree. */
export function mayViewRoles(ctx: AuthContext, node: NodeRef): boolean {
  return can(ctx, "member.read", node) || can(ctx, "profile.manage", node);
}

export interface ProfileUse {
  nodeId: string;
  nodeName: string;
  nodeSlug: string;
  assignments: number;
}

export interface CustomProfile {
  id: string;
  name: string;
  description: string;
  permissions: Permission[];
  version: number;
  /** Every assignment of the profile in the account, seen or not. */
  assignments: number;
  /** Where it is assigned, on the nodes the principal may read. */
  usedOn: ProfileUse[];
  /** Single sign-on rules that give it. */
  ssoRules: number;
}

/** The account's custom permission profiles with where each is used, by name. */
export async function listCustomProfiles(db: Database, ctx: AuthContext): Promise<CustomProfile[]> {
  const accountId = ctx.principal.accountId;
  const rows = await db
    .select({ id: roles.id, name: roles.name, description: roles.description, permissions: roles.permissions, version: roles.version })
    .from(roles)
    .where(eq(roles.accountId, accountId))
    .orderBy(asc(roles.name));
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [uses, rules] = await Promise.all([
    db
      .select({ roleId: roleAssignments.roleId, nodeId: nodes.id, name: nodes.name, slug: nodes.slug, path: nodes.path, accountId: nodes.accountId, value: count() })
      .from(roleAssignments)
      .innerJoin(nodes, eq(nodes.id, roleAssignments.nodeId))
      .where(and(eq(roleAssignments.accountId, accountId), inArray(roleAssignments.roleId, ids)))
      .groupBy(roleAssignments.roleId, nodes.id)
      .orderBy(asc(nodes.path)),
    db
      .select({ roleId: idpRoleMappings.roleId, value: count() })
      .from(idpRoleMappings)
      .where(and(eq(idpRoleMappings.accountId, accountId), inArray(idpRoleMappings.roleId, ids)))
      .groupBy(idpRoleMappings.roleId),
  ]);
  return rows.map((row) => {
    const mine = uses.filter((use) => use.roleId === row.id);
    return {
      ...row,
      permissions: row.permissions.filter(isPermission),
      assignments: mine.reduce((sum, use) => sum + use.value, 0),
      usedOn: mine
        .filter((use) => can(ctx, "tenant.read", { id: use.nodeId, accountId: use.accountId, path: use.path }))
        .map((use) => ({ nodeId: use.nodeId, nodeName: use.name, nodeSlug: use.slug, assignments: use.value })),
      ssoRules: rules.find((rule) => rule.roleId === row.id)?.value ?? 0,
    };
  });
}

/** One custom profile of the principal's account, or null (built-in roles and other accounts' profiles are not). */
export async function findCustomProfile(db: Database, ctx: AuthContext, roleId: string): Promise<CustomProfile | null> {
  return (await listCustomProfiles(db, ctx)).find((profile) => profile.id === roleId) ?? null;
}

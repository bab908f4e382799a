import { and, asc, count, eq, inArray, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { idpRoleMappings, nodes, roleAssignments, roles } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { BUILTIN_ROLES, can, isPermission, type AuthContext, type NodeRef, type Permission } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import type { Database } from "@/db/client";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

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
  key: string;
  name: string;
  description: string;
  permissions: Permission[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
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
    .select({
      id: roles.id,
      key: roles.key,
      name: roles.name,
      description: roles.description,
      permissions: roles.permissions,
      version: roles.version,
      createdAt: roles.createdAt,
      updatedAt: roles.updatedAt,
    })
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

/**
 * The node someone looks at roles from (the one named, else their home node), once they may see roles
 * there; anyone else is refused like for a node they cannot see, or as forbidden, and the refusal is
 * recorded. Without member.read, the shared check refuses exactly those mayViewRoles leaves out.
 */
async function authorizeRolesView(ctx: ServiceContext, action: string, nodeId: string | undefined): Promise<void> {
  const id = nodeId ?? ctx.authz.principal.homeNodeId;
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id }, ctx.authz.now);
  if (node && can(ctx.authz, "tenant.read", node) && mayViewRoles(ctx.authz, node)) return;
  await authorize(ctx, action, "member.read", node);
}

/** The account's custom profiles as the roles page of the node looked from shows them. */
export async function readProfiles(ctx: ServiceContext, from: { nodeId?: string } = {}): Promise<CustomProfile[]> {
  await authorizeRolesView(ctx, "profile.list", from.nodeId);
  return listCustomProfiles(ctx.db, ctx.authz);
}

/** One custom profile as `readProfiles` shows it; a built-in role or another account's profile is not found. */
export async function readProfile(ctx: ServiceContext, roleId: string, from: { nodeId?: string } = {}): Promise<CustomProfile> {
  await authorizeRolesView(ctx, "profile.read", from.nodeId);
  const profile = await findCustomProfile(ctx.db, ctx.authz, roleId);
  if (!profile) throw notFound("permission profile");
  return profile;
}

/** A role one can assign: built-in (the same in every account) or a custom profile of the account. */
export interface AssignableRole {
  id: string;
  key: string;
  name: string;
  description: string;
  permissions: Permission[];
  builtin: boolean;
  version: number;
}

/**
 * The built-in roles (Owner, Manager, Viewer) then the account's custom profiles by name: every role an
 * assignment, invitation or API client may name, seen by whoever may see the roles page.
 */
export async function readRoles(ctx: ServiceContext, from: { nodeId?: string } = {}): Promise<AssignableRole[]> {
  await authorizeRolesView(ctx, "role-catalog.list", from.nodeId);
  return selectRoles(ctx);
}

/** One role as `readRoles` lists it; another account's profile is not found. */
export async function readRole(ctx: ServiceContext, roleId: string, from: { nodeId?: string } = {}): Promise<AssignableRole> {
  await authorizeRolesView(ctx, "role-catalog.read", from.nodeId);
  const [role] = z.uuid().safeParse(roleId).success ? await selectRoles(ctx, roleId) : [];
  if (!role) throw notFound("role");
  return role;
}

async function selectRoles(ctx: ServiceContext, roleId?: string): Promise<AssignableRole[]> {
  const rows = await ctx.db
    .select({ id: roles.id, key: roles.key, name: roles.name, description: roles.description, permissions: roles.permissions, builtin: roles.builtin, version: roles.version })
    .from(roles)
    .where(and(or(isNull(roles.accountId), eq(roles.accountId, ctx.authz.principal.accountId)), roleId ? eq(roles.id, roleId) : undefined))
    .orderBy(asc(roles.name));
  const rank = (role: { builtin: boolean; key: string }) => (role.builtin ? BUILTIN_ROLES.findIndex((builtin) => builtin.key === role.key) : BUILTIN_ROLES.length);
  return rows.sort((a, b) => rank(a) - rank(b)).map((row) => ({ ...row, permissions: row.permissions.filter(isPermission) }));
}

import { and, asc, desc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { principals, roles, totpCredentials } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { can, checkAssignmentChange, isPermission, type AuthContext, type Permission } from "@/lib/authz";
import { loadTreeNode, whoHasAccess, type TreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { visibleAssignments, type VisibleAssignment } from "./assignments";

/** The roles the actor could hand a newcomer on this node under the grant rules: what the invite form offers. */
export async function grantableRoles(db: Database, ctx: AuthContext, node: TreeNode): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .select({ id: roles.id, key: roles.key, name: roles.name, permissions: roles.permissions, builtin: roles.builtin })
    .from(roles)
    .where(or(isNull(roles.accountId), eq(roles.accountId, ctx.principal.accountId)))
    .orderBy(desc(roles.builtin), asc(roles.name));
  const newcomer: AuthContext = {
    principal: { id: "newcomer", accountId: node.accountId, homeNodeId: node.id, kind: "user", status: "invited", name: "", email: null },
    grants: [],
    now: ctx.now,
  };
  // Built-in roles first, least powerful first, so that the form starts on the safest choice.
  const order = ["viewer", "manager", "owner"];
  rows.sort((a, b) => Number(b.builtin) - Number(a.builtin) || order.indexOf(a.key) - order.indexOf(b.key) || a.name.localeCompare(b.name));
  return rows
    .filter(
      (role) =>
        checkAssignmentChange({
          kind: "create",
          actor: ctx,
          target: newcomer,
          node: { ...node, isAccount: node.kind === "account" },
          targetHomePath: node.path,
          role: { key: role.key, permissions: new Set(role.permissions.filter(isPermission)) as ReadonlySet<Permission> },
        }).ok,
    )
    .map(({ id, name }) => ({ id, name }));
}

export interface MemberProfile {
  id: string;
  name: string;
  email: string | null;
  kind: "user" | "api_client";
  status: "invited" | "active" | "disabled";
  homeNodeId: string;
  lastSignInAt: Date | null;
  twoStepEnrolled: boolean;
}

/** A principal of the account with what its security page shows. */
export async function findMember(db: Database, accountId: string, principalId: string): Promise<MemberProfile | null> {
  const [row] = await db
    .select({
      id: principals.id,
      name: principals.name,
      email: principals.email,
      kind: principals.kind,
      status: principals.status,
      homeNodeId: principals.homeNodeId,
      lastSignInAt: principals.lastSignInAt,
      confirmedAt: totpCredentials.confirmedAt,
    })
    .from(principals)
    .leftJoin(totpCredentials, eq(totpCredentials.principalId, principals.id))
    .where(and(eq(principals.accountId, accountId), eq(principals.id, principalId)));
  if (!row) return null;
  const { confirmedAt, ...member } = row;
  return { ...member, twoStepEnrolled: confirmedAt !== null };
}

export interface MemberDetail {
  member: MemberProfile;
  home: TreeNode;
  target: AuthContext;
  /** The member's assignments on nodes where the actor holds member.read. */
  assignments: VisibleAssignment[];
}

/**
 * A member as their page shows them: to whoever reads members where the member lives, where one of the
 * member's roles is, or (looking from `here`) where the member has access. Anyone else is refused like
 * for a node they cannot see, or as forbidden where they see the member's home; the refusal is recorded.
 */
export async function readMember(ctx: ServiceContext, principalId: string, here: TreeNode | null = null): Promise<MemberDetail> {
  const { db, authz } = ctx;
  const member = z.uuid().safeParse(principalId).success ? await findMember(db, authz.principal.accountId, principalId) : null;
  const home = member ? await loadTreeNode(db, authz.principal.accountId, { id: member.homeNodeId }, authz.now) : null;
  const seen = member && home ? await visibleAssignments(ctx, member.id) : null;
  const visible =
    seen !== null &&
    (can(authz, "member.read", home!) ||
      seen.assignments.length > 0 ||
      (here !== null && can(authz, "member.read", here) && (await whoHasAccess(db, here, authz.now)).some((entry) => entry.principal.id === member!.id)));
  // Whoever the rules above leave out lacks member.read on the home node too: this refuses them.
  if (!visible) await authorize(ctx, "member.view", "member.read", home);
  return { member: member!, home: home!, ...seen! };
}

/** Every role usable in the account (built-in first), for filters. */
export async function accountRoles(db: Database, accountId: string): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: roles.id, name: roles.name })
    .from(roles)
    .where(or(isNull(roles.accountId), eq(roles.accountId, accountId)))
    .orderBy(desc(roles.builtin), asc(roles.name));
}

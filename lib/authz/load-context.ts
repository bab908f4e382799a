import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes, principals, roleAssignments, roles } from "@/db/schema";
import { isPermission, type Permission } from "./catalog";
import type { AuthContext, Grant } from "./decide";

/** Loads a principal and its assignments in one indexed query; null when the principal does not exist. */
export async function loadAuthContext(db: Database, principalId: string, now = new Date()): Promise<AuthContext | null> {
  const rows = await db
    .select({
      principal: {
        id: principals.id,
        accountId: principals.accountId,
        homeNodeId: principals.homeNodeId,
        kind: principals.kind,
        status: principals.status,
        name: principals.name,
        email: principals.email,
      },
      assignmentId: roleAssignments.id,
      nodeId: roleAssignments.nodeId,
      nodePath: nodes.path,
      roleId: roles.id,
      roleKey: roles.key,
      roleName: roles.name,
      permissions: roles.permissions,
      expiresAt: roleAssignments.expiresAt,
      source: roleAssignments.source,
    })
    .from(principals)
    .leftJoin(roleAssignments, eq(roleAssignments.principalId, principals.id))
    .leftJoin(nodes, eq(nodes.id, roleAssignments.nodeId))
    .leftJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(eq(principals.id, principalId));

  const first = rows[0];
  if (!first) return null;
  const grants: Grant[] = [];
  for (const row of rows) {
    if (!row.assignmentId || !row.nodeId || !row.nodePath || !row.roleId || !row.roleKey || !row.roleName || !row.source) continue;
    grants.push({
      assignmentId: row.assignmentId,
      nodeId: row.nodeId,
      nodePath: row.nodePath,
      roleId: row.roleId,
      roleKey: row.roleKey,
      roleName: row.roleName,
      permissions: new Set((row.permissions ?? []).filter(isPermission)) as ReadonlySet<Permission>,
      expiresAt: row.expiresAt,
      source: row.source,
    });
  }
  return { principal: first.principal, grants, now };
}

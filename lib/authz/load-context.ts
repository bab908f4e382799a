import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes, principals, roleAssignments, roles } from "@/db/schema";
import { isPermission, type Permission } from "./catalog";
import { authContext, type AuthContext, type Grant } from "./decide";

/** The context query, unprepared: exported so that a test can check its plan reads indexes only. */
export function authContextSelect(db: Database) {
  return db
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
    // Joined within the principal's account: on a distributed database these stay on one shard.
    .leftJoin(roleAssignments, and(eq(roleAssignments.accountId, principals.accountId), eq(roleAssignments.principalId, principals.id)))
    .leftJoin(nodes, and(eq(nodes.accountId, roleAssignments.accountId), eq(nodes.id, roleAssignments.nodeId)))
    .leftJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(eq(principals.id, sql.placeholder("principalId")));
}

function contextQuery(db: Database) {
  return authContextSelect(db).prepare("arbor_load_auth_context");
}

// One prepared statement per database handle: planned once, not on every request.
const prepared = new WeakMap<Database, ReturnType<typeof contextQuery>>();

/** Loads a principal and its assignments in one indexed query; null when the principal does not exist. */
export async function loadAuthContext(db: Database, principalId: string, now = new Date()): Promise<AuthContext | null> {
  let query = prepared.get(db);
  if (!query) {
    query = contextQuery(db);
    prepared.set(db, query);
  }
  const rows = await query.execute({ principalId });
  const first = rows[0];
  if (!first) return null;
  // Each row repeats its role's permissions; build each role's set once.
  const permissionSets = new Map<string, ReadonlySet<Permission>>();
  const grants: Grant[] = [];
  for (const row of rows) {
    if (!row.assignmentId || !row.nodeId || !row.nodePath || !row.roleId || !row.roleKey || !row.roleName || !row.source) continue;
    let permissions = permissionSets.get(row.roleId);
    if (!permissions) {
      permissions = new Set((row.permissions ?? []).filter(isPermission));
      permissionSets.set(row.roleId, permissions);
    }
    grants.push({
      assignmentId: row.assignmentId,
      nodeId: row.nodeId,
      nodePath: row.nodePath,
      roleId: row.roleId,
      roleKey: row.roleKey,
      roleName: row.roleName,
      permissions,
      expiresAt: row.expiresAt,
      source: row.source,
    });
  }
  return authContext(first.principal, grants, now);
}

import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditEvents, nodes, principals, roleAssignments, roles } from "@/db/schema";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { ServiceContext } from "@/lib/service-context";

// Lookups by the demo's natural keys, for integration tests of the services.

export async function principalId(db: Database, email: string): Promise<string> {
  const [row] = await db.select({ id: principals.id }).from(principals).where(sql`lower(${principals.email}) = lower(${email})`);
  if (!row) throw new Error(`no principal ${email}`);
  return row.id;
}

export async function nodeId(db: Database, slug: string): Promise<string> {
  const [row] = await db.select({ id: nodes.id }).from(nodes).where(eq(nodes.slug, slug));
  if (!row) throw new Error(`no node ${slug}`);
  return row.id;
}

export async function builtinRoleId(db: Database, key: "owner" | "manager" | "viewer"): Promise<string> {
  const [row] = await db.select({ id: roles.id }).from(roles).where(and(isNull(roles.accountId), eq(roles.key, key)));
  return row!.id;
}

export async function assignmentId(db: Database, email: string, slug: string): Promise<string> {
  const [row] = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.principalId, await principalId(db, email)), eq(roleAssignments.nodeId, await nodeId(db, slug))));
  if (!row) throw new Error(`no assignment of ${email} on ${slug}`);
  return row.id;
}

/** A service context for a principal, loaded fresh as each request would. */
export async function contextFor(db: Database, email: string): Promise<ServiceContext> {
  const authz = await loadAuthContext(db, await principalId(db, email));
  return { db, authz: authz!, request: { address: "203.0.113.7", userAgent: "vitest" } };
}

/** Row counts of what assignment changes write, to prove a refusal wrote nothing but its denial. */
export async function writeCounts(db: Database) {
  const [assignments] = await db.select({ n: sql<number>`count(*)::int` }).from(roleAssignments);
  const [changes] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(sql`${auditEvents.action} not like '%.denied'`);
  const [denials] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(sql`${auditEvents.action} like '%.denied'`);
  const [fingerprint] = await db.select({ v: sql<string>`coalesce(md5(string_agg(${roleAssignments.id}::text || ${roleAssignments.roleId}::text || coalesce(${roleAssignments.expiresAt}::text, ''), ',' order by ${roleAssignments.id})), '')` }).from(roleAssignments);
  return { assignments: assignments!.n, changes: changes!.n, denials: denials!.n, fingerprint: fingerprint!.v };
}

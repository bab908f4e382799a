import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditEvents, authSessions, externalIdentities, identityProviders, idpRoleMappings, nodeCapabilities, nodes, principals, roleAssignments, roles } from "@/db/schema";
import type { Capability, Permission } from "@/lib/authz";
import { childPath } from "@/lib/authz/paths";
import { builtinRoleId } from "@/lib/access/test-support";

// Fixtures for the IdP tests, written straight to the database: what the services under test
// must not be needed to set up.

/** A second provider account, with an Owner and the given capabilities at its root. */
export async function createOtherAccount(db: Database, options: { slug: string; ownerEmail: string; capabilities: Capability[] }) {
  const id = crypto.randomUUID();
  await db.insert(nodes).values({ id, accountId: id, kind: "account", name: `Account ${options.slug}`, slug: options.slug, path: childPath(null, id), depth: 0 });
  if (options.capabilities.length > 0) {
    await db.insert(nodeCapabilities).values(options.capabilities.map((capability) => ({ accountId: id, nodeId: id, capability })));
  }
  const [owner] = await db
    .insert(principals)
    .values({ accountId: id, homeNodeId: id, kind: "user", email: options.ownerEmail, name: "Other Owner", status: "active" })
    .returning({ id: principals.id });
  await db.insert(roleAssignments).values({ accountId: id, principalId: owner!.id, nodeId: id, roleId: await builtinRoleId(db, "owner"), source: "direct" });
  return { accountId: id, ownerId: owner!.id };
}

/** A new account-level user holding a custom profile of `permissions` at the account. */
export async function createProfileHolder(db: Database, accountId: string, options: { email: string; key: string; permissions: readonly Permission[] }) {
  const [role] = await db
    .insert(roles)
    .values({ accountId, key: options.key, name: options.key, permissions: [...options.permissions] })
    .returning({ id: roles.id });
  const [holder] = await db
    .insert(principals)
    .values({ accountId, homeNodeId: accountId, kind: "user", email: options.email, name: options.key, status: "active" })
    .returning({ id: principals.id });
  await db.insert(roleAssignments).values({ accountId, principalId: holder!.id, nodeId: accountId, roleId: role!.id, source: "direct" });
  return holder!.id;
}

/** Row counts of everything IdP configuration and sign-in write, to prove a refusal wrote only its denial. */
export async function idpWriteCounts(db: Database) {
  const rows = async (table: typeof principals | typeof externalIdentities | typeof roleAssignments | typeof authSessions | typeof identityProviders | typeof idpRoleMappings) => {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
    return row!.n;
  };
  const [audit] = await db
    .select({
      changes: sql<number>`count(*) filter (where ${auditEvents.action} not like '%.denied')::int`,
      denials: sql<number>`count(*) filter (where ${auditEvents.action} like '%.denied')::int`,
    })
    .from(auditEvents);
  const [provider] = await db.select({ v: sql<string>`coalesce(string_agg(${identityProviders.version}::text || ${identityProviders.issuer}, ','), '')` }).from(identityProviders);
  return {
    principals: await rows(principals),
    identities: await rows(externalIdentities),
    assignments: await rows(roleAssignments),
    sessions: await rows(authSessions),
    providers: await rows(identityProviders),
    mappings: await rows(idpRoleMappings),
    providerState: provider!.v,
    changes: audit!.changes,
    denials: audit!.denials,
  };
}

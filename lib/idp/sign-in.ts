import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { externalIdentities, idpRoleMappings, nodes, principals, roleAssignments, roles, type IdentityProvider } from "@/db/schema";
import { insertAuditEvent } from "@/lib/audit/record";
import { openSession, type ClientInfo } from "@/lib/auth/sessions";
import { isWithin } from "@/lib/authz";
import { findProviderRow, isUsable } from "./providers";

/** What the IdP vouched for, from its validated ID token. */
export interface IdpIdentity {
  accountId: string;
  /** The ID token's `iss`: with `subject`, the key of the user in Arbor. */
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  /** The values of the provider's roles claim. */
  claimValues: string[];
}

export type IdpSignInRefusal = "unavailable" | "missing-email" | "email-in-use" | "other-account" | "disabled";

export type IdpSignInResult = { ok: true; principalId: string; sessionId: string; provisioned: boolean } | { ok: false; reason: IdpSignInRefusal };

type Principal = { id: string; accountId: string; homeNodeId: string; status: string; sessionVersion: number; email: string | null; name: string };
type AssignmentChange = { nodeId: string; node: string; role: string };

/**
 * Signs in a user the account's IdP vouched for: finds them by (issuer, subject) or provisions them
 * (active, home = the account, no local password), applies the IdP's role mapping again, and opens a
 * complete session: the IdP did the second factor. Refusals write only their `sign-in.idp.denied` event.
 */
export async function completeIdpSignIn(db: Database, identity: IdpIdentity, client: ClientInfo, now: Date): Promise<IdpSignInResult> {
  const provider = await findProviderRow(db, identity.accountId);
  if (!provider) return { ok: false, reason: "unavailable" };
  const refuse = async (reason: IdpSignInRefusal, actorId: string | null = null, detail: Record<string, unknown> = {}): Promise<IdpSignInResult> => {
    await audit(db, identity, client, { actorId, action: "sign-in.idp.denied", after: { issuer: identity.issuer, subject: identity.subject, reason, ...detail } });
    return { ok: false, reason };
  };
  if (!(await isUsable(db, provider, now))) return refuse("unavailable");

  for (let attempt = 1; ; attempt++) {
    const [linked] = await db
      .select({ principal: principalColumns })
      .from(externalIdentities)
      .innerJoin(principals, eq(principals.id, externalIdentities.principalId))
      .where(and(eq(externalIdentities.issuer, identity.issuer), eq(externalIdentities.subject, identity.subject)));
    const email = identity.email?.trim().toLowerCase() || null;
    if (linked) {
      if (linked.principal.accountId !== identity.accountId) return refuse("other-account");
      if (linked.principal.status !== "active") return refuse("disabled", linked.principal.id, { status: linked.principal.status });
    } else {
      if (!email || email.length > 320) return refuse("missing-email");
      // No linking by email: whoever runs the IdP could otherwise take over any local user, Owners included.
      const [holder] = await db.select({ accountId: principals.accountId }).from(principals).where(sql`lower(${principals.email}) = ${email}`);
      if (holder) return refuse("email-in-use", null, { email, sameAccount: holder.accountId === identity.accountId });
    }
    try {
      return await db.transaction((tx) => signIn(tx, provider, identity, linked?.principal ?? null, email, client, now));
    } catch (error) {
      // Two first sign-ins of one user at once: the loser finds the winner's rows on the next round.
      if (attempt < 2 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

const principalColumns = {
  id: principals.id,
  accountId: principals.accountId,
  homeNodeId: principals.homeNodeId,
  status: principals.status,
  sessionVersion: principals.sessionVersion,
  email: principals.email,
  name: principals.name,
};

async function signIn(
  tx: Transaction,
  provider: IdentityProvider,
  identity: IdpIdentity,
  linked: Principal | null,
  email: string | null,
  client: ClientInfo,
  now: Date,
): Promise<IdpSignInResult> {
  const name = displayName(identity, email);
  let principal: Principal;
  if (linked) {
    principal = linked;
    await refreshProfile(tx, principal, name, email, now);
    await tx
      .update(externalIdentities)
      .set({ lastSignInAt: now })
      .where(and(eq(externalIdentities.issuer, identity.issuer), eq(externalIdentities.subject, identity.subject)));
  } else {
    const [created] = await tx
      .insert(principals)
      .values({ accountId: identity.accountId, homeNodeId: identity.accountId, kind: "user", email: email!, name, status: "active", lastSignInAt: now })
      .returning(principalColumns);
    principal = created!;
    await tx.insert(externalIdentities).values({
      accountId: identity.accountId,
      providerId: provider.id,
      issuer: identity.issuer,
      subject: identity.subject,
      principalId: principal.id,
      lastSignInAt: now,
    });
  }
  const changes = await applyMapping(tx, principal, provider.id, identity.claimValues);
  const sessionId = await openSession(tx, principal, "complete", client, now);
  const actor = { actorId: principal.id };
  await audit(tx, identity, client, { ...actor, action: "sign-in.idp", after: { issuer: identity.issuer, subject: identity.subject, provisioned: !linked } });
  if (changes.added.length + changes.removed.length > 0) {
    await audit(tx, identity, client, { ...actor, action: "idp.assignments-changed", after: changes });
  }
  return { ok: true, principalId: principal.id, sessionId, provisioned: !linked };
}

function displayName(identity: IdpIdentity, email: string | null): string {
  const name = identity.name?.trim() || email?.split("@")[0] || identity.subject;
  return name.slice(0, 200);
}

/** Keeps name and email as the IdP has them; an email another principal holds is left as it was. */
async function refreshProfile(tx: Transaction, principal: Principal, name: string, email: string | null, now: Date): Promise<void> {
  let nextEmail = principal.email;
  if (email && email !== principal.email?.toLowerCase()) {
    const [taken] = await tx
      .select({ id: principals.id })
      .from(principals)
      .where(and(sql`lower(${principals.email}) = ${email}`, ne(principals.id, principal.id)));
    if (!taken) nextEmail = email;
  }
  await tx.update(principals).set({ name, email: nextEmail, lastSignInAt: now, updatedAt: now }).where(eq(principals.id, principal.id));
}

/**
 * Makes the principal's `idp` assignments exactly what the rules matching its claim values give:
 * removes the ones no longer given, adds the missing ones. Direct and invitation assignments are left
 * alone, also where a rule would give a role on the same node; rules outside the home node are skipped.
 */
async function applyMapping(tx: Transaction, principal: Principal, providerId: string, values: string[]) {
  const [home] = await tx.select({ path: nodes.path }).from(nodes).where(eq(nodes.id, principal.homeNodeId));
  const rules =
    values.length === 0
      ? []
      : await tx
          .select({ nodeId: nodes.id, nodePath: nodes.path, node: nodes.name, roleId: roles.id, role: roles.name, permissions: roles.permissions })
          .from(idpRoleMappings)
          .innerJoin(nodes, eq(nodes.id, idpRoleMappings.nodeId))
          .innerJoin(roles, eq(roles.id, idpRoleMappings.roleId))
          .where(and(eq(idpRoleMappings.providerId, providerId), inArray(idpRoleMappings.claimValue, values)));
  // One assignment per node: where several rules meet, the role with the most permissions wins.
  const desired = new Map<string, (typeof rules)[number]>();
  for (const rule of rules) {
    if (!home || !isWithin(rule.nodePath, home.path)) continue;
    const current = desired.get(rule.nodeId);
    const better = !current || rule.permissions.length > current.permissions.length || (rule.permissions.length === current.permissions.length && rule.roleId < current.roleId);
    if (better) desired.set(rule.nodeId, rule);
  }

  const held = await tx
    .select({ id: roleAssignments.id, nodeId: roleAssignments.nodeId, roleId: roleAssignments.roleId, source: roleAssignments.source, node: nodes.name, role: roles.name })
    .from(roleAssignments)
    .innerJoin(nodes, eq(nodes.id, roleAssignments.nodeId))
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(and(eq(roleAssignments.accountId, principal.accountId), eq(roleAssignments.principalId, principal.id)));

  const added: AssignmentChange[] = [];
  const removed: AssignmentChange[] = [];
  for (const assignment of held) {
    const wanted = desired.get(assignment.nodeId);
    desired.delete(assignment.nodeId);
    if (assignment.source !== "idp" || wanted?.roleId === assignment.roleId) continue;
    removed.push({ nodeId: assignment.nodeId, node: assignment.node, role: assignment.role });
    if (wanted) {
      await tx.update(roleAssignments).set({ roleId: wanted.roleId, updatedAt: new Date() }).where(eq(roleAssignments.id, assignment.id));
      added.push({ nodeId: wanted.nodeId, node: wanted.node, role: wanted.role });
    } else {
      await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignment.id));
    }
  }
  for (const rule of desired.values()) {
    await tx.insert(roleAssignments).values({ accountId: principal.accountId, principalId: principal.id, nodeId: rule.nodeId, roleId: rule.roleId, source: "idp" });
    added.push({ nodeId: rule.nodeId, node: rule.node, role: rule.role });
  }
  return { added, removed };
}

/**
 * Records a sign-in through the account's IdP that failed before Arbor got an identity: the user
 * cancelled at the IdP, or its answer did not pass Auth.js's checks. `error` is Auth.js's error type.
 */
export async function recordIdpFailure(db: Database, accountId: string, error: string, client: ClientInfo): Promise<void> {
  const provider = await findProviderRow(db, accountId);
  if (!provider) return;
  await insertAuditEvent(db, {
    accountId,
    actorId: null,
    actingAs: "user",
    nodeId: null,
    action: "sign-in.idp.failed",
    targetType: "identity-provider",
    targetId: provider.id,
    after: { issuer: provider.issuer, error: error.slice(0, 100) },
    address: client.address,
    userAgent: client.userAgent,
  });
}

function audit(
  db: Database | Transaction,
  identity: IdpIdentity,
  client: ClientInfo,
  event: { actorId: string | null; action: string; after: unknown },
): Promise<void> {
  return insertAuditEvent(db, {
    accountId: identity.accountId,
    actorId: event.actorId,
    actingAs: "user",
    nodeId: null,
    action: event.action,
    targetType: event.actorId ? "principal" : "external-identity",
    targetId: event.actorId ?? `${identity.issuer}#${identity.subject}`.slice(0, 500),
    after: event.after,
    address: client.address,
    userAgent: client.userAgent,
  });
}

function isUniqueViolation(error: unknown): boolean {
  for (let cause: unknown = error; cause && typeof cause === "object"; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

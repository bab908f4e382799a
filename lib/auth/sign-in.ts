import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authSessions, localCredentials, principals, recoveryCodes, totpCredentials } from "@/db/schema";
import { insertAuditEvent } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "./password";
import {
  countAttempt,
  forgiveAttempt,
  PASSWORD_PER_ADDRESS,
  PASSWORD_PER_EMAIL,
  SECOND_FACTOR_PER_ADDRESS,
  SECOND_FACTOR_PER_PRINCIPAL,
  type RateKey,
  type RatePolicy,
} from "./rate-limit";
import { open, seal } from "./secret-box";
import { endSession, isUuid, openSession, PENDING_LIFETIME_MS, type ClientInfo } from "./sessions";
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpUri, verifyTotp } from "./totp";

export type StepFailure = { ok: false; reason: "invalid" | "rate_limited" | "expired"; retryAfter?: number };

// Verified against when the email is unknown, so both answers take about as long.
let decoyHash: Promise<string> | undefined;

type Actor = { id: string; accountId: string };

function audit(db: Database, actor: Actor, action: string, client: ClientInfo, after?: unknown) {
  return insertAuditEvent(db, {
    accountId: actor.accountId,
    actorId: actor.id,
    actingAs: "user",
    nodeId: null,
    action,
    targetType: "principal",
    targetId: actor.id,
    after,
    address: client.address,
    userAgent: client.userAgent,
  });
}

/**
 * The first step: email and password. The same answer, in about the same time, for an unknown email,
 * a wrong password and an account that may not sign in. Success opens a password-only session.
 */
export async function passwordStep(
  db: Database,
  credentials: { email: string; password: string },
  client: ClientInfo,
  now: Date,
): Promise<{ ok: true; principalId: string; sessionId: string; next: "enroll" | "verify" } | StepFailure> {
  const email = credentials.email.trim().toLowerCase();
  const keys = rateKeys(`password:email:${email}`, PASSWORD_PER_EMAIL, "password", PASSWORD_PER_ADDRESS, client);
  const [user] = await db
    .select({
      id: principals.id,
      accountId: principals.accountId,
      status: principals.status,
      sessionVersion: principals.sessionVersion,
      passwordHash: localCredentials.passwordHash,
      totpConfirmedAt: totpCredentials.confirmedAt,
    })
    .from(principals)
    .leftJoin(localCredentials, eq(localCredentials.principalId, principals.id))
    .leftJoin(totpCredentials, eq(totpCredentials.principalId, principals.id))
    .where(and(sql`lower(${principals.email}) = ${email}`, eq(principals.kind, "user")));

  const attempt = await countAttempt(db, keys, now);
  if (attempt.retryAfter > 0) {
    if (user) await audit(db, user, "sign-in.rate-limited", client, { retryAfter: attempt.retryAfter });
    return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };
  }
  decoyHash ??= hashPassword("decoy password for unknown emails");
  const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash), credentials.password);
  if (!user || !user.passwordHash || !matches || user.status !== "active") {
    if (user) {
      const reason = user.status !== "active" ? `status ${user.status}` : "password";
      await audit(db, user, "sign-in.failed", client, { reason });
      if (attempt.lastTry) await audit(db, user, "sign-in.locked", client);
    }
    return { ok: false, reason: "invalid" };
  }
  await forgive(db, keys);
  const sessionId = await openSession(db, user, "password", client, now);
  await audit(db, user, "sign-in.password", client);
  return { ok: true, principalId: user.id, sessionId, next: user.totpConfirmedAt ? "verify" : "enroll" };
}

async function pendingSession(db: Database, sessionId: string, principalId: string, now: Date) {
  if (!isUuid(sessionId) || !isUuid(principalId)) return null;
  const [row] = await db
    .select({ session: authSessions, status: principals.status })
    .from(authSessions)
    .innerJoin(principals, eq(principals.id, authSessions.principalId))
    .where(and(eq(authSessions.id, sessionId), eq(authSessions.principalId, principalId)));
  if (!row || row.session.expiresAt <= now || row.status !== "active" || row.session.stage === "complete") return null;
  return row.session;
}

/**
 * The keys an attempt counts against: the account itself, and the client address when there is one
 * (without one, a shared "unknown" bucket would let anybody lock everybody out).
 */
function rateKeys(accountKey: string, accountPolicy: RatePolicy, kind: string, addressPolicy: RatePolicy, client: ClientInfo): RateKey[] {
  const keys: RateKey[] = [{ key: accountKey, policy: accountPolicy }];
  if (client.address) keys.push({ key: `${kind}:address:${client.address}`, policy: addressPolicy });
  return keys;
}

function forgive(db: Database, keys: RateKey[]): Promise<void> {
  return forgiveAttempt(db, [keys[0]!.key], keys.slice(1).map((entry) => entry.key));
}

function secondFactorKeys(principalId: string, client: ClientInfo): RateKey[] {
  return rateKeys(`second-factor:principal:${principalId}`, SECOND_FACTOR_PER_PRINCIPAL, "second-factor", SECOND_FACTOR_PER_ADDRESS, client);
}

/** The second step: a TOTP code, or one of the recovery codes. Success marks the session verified. */
export async function verifySecondFactor(
  db: Database,
  input: { sessionId: string; principalId: string; code: string },
  client: ClientInfo,
  now: Date,
): Promise<{ ok: true; usedRecoveryCode: boolean } | StepFailure> {
  const session = await pendingSession(db, input.sessionId, input.principalId, now);
  if (!session) return { ok: false, reason: "expired" };
  const actor = { id: session.principalId, accountId: session.accountId };
  const keys = secondFactorKeys(actor.id, client);
  const attempt = await countAttempt(db, keys, now);
  if (attempt.retryAfter > 0) {
    await audit(db, actor, "second-factor.rate-limited", client, { retryAfter: attempt.retryAfter });
    return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };
  }
  const [credential] = await db.select().from(totpCredentials).where(eq(totpCredentials.principalId, actor.id));
  let usedRecoveryCode = false;
  let accepted = false;
  if (credential?.confirmedAt) {
    const step = verifyTotp(open(credential.secretCiphertext), input.code, credential.lastUsedStep, now);
    if (step !== null) accepted = await claimStep(db, actor.id, step);
    if (!accepted) {
      usedRecoveryCode = await redeemRecoveryCode(db, actor.id, input.code, now);
      accepted = usedRecoveryCode;
    }
  }
  if (!accepted) {
    await audit(db, actor, "second-factor.failed", client);
    if (attempt.lastTry) await audit(db, actor, "second-factor.locked", client);
    return { ok: false, reason: "invalid" };
  }
  await forgive(db, keys);
  await db.update(authSessions).set({ stage: "second_factor", lastSeenAt: now }).where(eq(authSessions.id, session.id));
  await audit(db, actor, usedRecoveryCode ? "second-factor.recovery-code" : "second-factor.verified", client);
  return { ok: true, usedRecoveryCode };
}

/** Records the step of an accepted code; false if that step (or a later one) was already used. */
async function claimStep(db: Database, principalId: string, step: number): Promise<boolean> {
  const claimed = await db
    .update(totpCredentials)
    .set({ lastUsedStep: step })
    .where(and(eq(totpCredentials.principalId, principalId), sql`(${totpCredentials.lastUsedStep} is null or ${totpCredentials.lastUsedStep} < ${step})`))
    .returning({ principalId: totpCredentials.principalId });
  return claimed.length === 1;
}

async function redeemRecoveryCode(db: Database, principalId: string, code: string, now: Date): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.principalId, principalId), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

/** Starts (or resumes) TOTP enrolment for a signed-in-by-password user who has none confirmed. */
export async function beginEnrolment(
  db: Database,
  input: { sessionId: string; principalId: string },
  now: Date,
): Promise<{ ok: true; secret: string; uri: string } | { ok: false; reason: "expired" | "already-enrolled" }> {
  const session = await pendingSession(db, input.sessionId, input.principalId, now);
  if (!session) return { ok: false, reason: "expired" };
  const [existing] = await db.select().from(totpCredentials).where(eq(totpCredentials.principalId, session.principalId));
  if (existing?.confirmedAt) return { ok: false, reason: "already-enrolled" };
  const [principal] = await db.select({ email: principals.email }).from(principals).where(eq(principals.id, session.principalId));
  let secret: string;
  if (existing) {
    secret = open(existing.secretCiphertext);
  } else {
    secret = newTotpSecret();
    await db
      .insert(totpCredentials)
      .values({ principalId: session.principalId, accountId: session.accountId, secretCiphertext: seal(secret) })
      .onConflictDoNothing();
  }
  return { ok: true, secret, uri: totpUri(secret, principal?.email ?? "Arbor") };
}

/** Confirms enrolment with a first code; returns the ten recovery codes, shown once. */
export async function confirmEnrolment(
  db: Database,
  input: { sessionId: string; principalId: string; code: string },
  client: ClientInfo,
  now: Date,
): Promise<{ ok: true; recoveryCodes: string[] } | StepFailure> {
  const session = await pendingSession(db, input.sessionId, input.principalId, now);
  if (!session) return { ok: false, reason: "expired" };
  const actor = { id: session.principalId, accountId: session.accountId };
  const keys = secondFactorKeys(actor.id, client);
  const attempt = await countAttempt(db, keys, now);
  if (attempt.retryAfter > 0) return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };
  const [credential] = await db.select().from(totpCredentials).where(eq(totpCredentials.principalId, actor.id));
  const step = credential && !credential.confirmedAt ? verifyTotp(open(credential.secretCiphertext), input.code, null, now) : null;
  if (step === null) {
    await audit(db, actor, "second-factor.enrolment-failed", client);
    return { ok: false, reason: "invalid" };
  }
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx.update(totpCredentials).set({ confirmedAt: now, lastUsedStep: step }).where(eq(totpCredentials.principalId, actor.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.principalId, actor.id));
    await tx.insert(recoveryCodes).values(codes.map((code) => ({ accountId: actor.accountId, principalId: actor.id, codeHash: hashRecoveryCode(code) })));
    await tx.update(authSessions).set({ stage: "second_factor", lastSeenAt: now }).where(eq(authSessions.id, session.id));
    await insertAuditEvent(tx, {
      accountId: actor.accountId,
      actorId: actor.id,
      actingAs: "user",
      nodeId: null,
      action: "second-factor.enrolled",
      targetType: "principal",
      targetId: actor.id,
      address: client.address,
      userAgent: client.userAgent,
    });
  });
  await forgive(db, keys);
  return { ok: true, recoveryCodes: codes };
}

/**
 * Ends the verified two-step session and opens a new, complete one: a new session token after each
 * step. Returns the new session id, or null if the second step was not passed just now.
 */
export async function completeSignIn(db: Database, input: { sessionId: string; principalId: string }, client: ClientInfo, now: Date): Promise<string | null> {
  const session = await pendingSession(db, input.sessionId, input.principalId, now);
  if (!session || session.stage !== "second_factor" || now.getTime() - session.createdAt.getTime() > PENDING_LIFETIME_MS) return null;
  const [principal] = await db
    .select({ id: principals.id, accountId: principals.accountId, sessionVersion: principals.sessionVersion })
    .from(principals)
    .where(eq(principals.id, session.principalId));
  return db.transaction(async (tx) => {
    await endSession(tx, session.id);
    const sessionId = await openSession(tx, principal!, "complete", client, now);
    await tx.update(principals).set({ lastSignInAt: now }).where(eq(principals.id, principal!.id));
    await insertAuditEvent(tx, {
      accountId: principal!.accountId,
      actorId: principal!.id,
      actingAs: "user",
      nodeId: null,
      action: "sign-in",
      targetType: "principal",
      targetId: principal!.id,
      address: client.address,
      userAgent: client.userAgent,
    });
    return sessionId;
  });
}

/** Signs out: the session ends on the server, whatever happens to the cookie. */
export async function signOutSession(db: Database, input: { sessionId: string; principalId: string; accountId: string }, client: ClientInfo): Promise<void> {
  if (!isUuid(input.sessionId) || !isUuid(input.principalId)) return;
  await endSession(db, input.sessionId);
  await audit(db, { id: input.principalId, accountId: input.accountId }, "sign-out", client);
}

import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { authSessions, principals, type AuthSession } from "@/db/schema";

export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** A password-only session may do nothing but finish the second step, and not for long. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID: ids from cookies are checked before they reach a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export interface ClientInfo {
  address: string | null;
  userAgent: string | null;
}

/** Opens a session for a principal at the given stage; returns its id, which the signed cookie carries. */
export async function openSession(
  db: Database | Transaction,
  principal: { id: string; accountId: string; sessionVersion: number },
  stage: AuthSession["stage"],
  client: ClientInfo,
  now: Date,
): Promise<string> {
  const lifetime = stage === "complete" ? ABSOLUTE_LIFETIME_MS : PENDING_LIFETIME_MS;
  const [row] = await db
    .insert(authSessions)
    .values({
      accountId: principal.accountId,
      principalId: principal.id,
      stage,
      sessionVersion: principal.sessionVersion,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetime),
      address: client.address,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    })
    .returning({ id: authSessions.id });
  return row!.id;
}

export type LiveSession = AuthSession & { principalStatus: "invited" | "active" | "disabled" };

/**
 * The session if it is still good at `now`: not ended, not past 12 hours, not idle for 30 minutes,
 * its principal active and not signed out everywhere since. Refreshes its idle clock (at most once a minute).
 */
export async function findLiveSession(db: Database, sessionId: string, principalId: string, now: Date): Promise<LiveSession | null> {
  if (!isUuid(sessionId) || !isUuid(principalId)) return null;
  const [row] = await db
    .select({ session: authSessions, principalStatus: principals.status, currentVersion: principals.sessionVersion })
    .from(authSessions)
    .innerJoin(principals, eq(principals.id, authSessions.principalId))
    .where(and(eq(authSessions.id, sessionId), eq(authSessions.principalId, principalId)));
  if (!row) return null;
  const { session } = row;
  const idle = now.getTime() - session.lastSeenAt.getTime() > IDLE_TIMEOUT_MS;
  if (session.expiresAt <= now || idle || row.principalStatus !== "active" || session.sessionVersion !== row.currentVersion) {
    await db.delete(authSessions).where(eq(authSessions.id, session.id));
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(authSessions).set({ lastSeenAt: now }).where(eq(authSessions.id, session.id));
  }
  return { ...session, principalStatus: row.principalStatus };
}

/** Ends one session (sign-out). */
export async function endSession(db: Database | Transaction, sessionId: string): Promise<void> {
  await db.delete(authSessions).where(eq(authSessions.id, sessionId));
}

/** Ends every session of a principal, on every instance, from the next request on. */
export async function endAllSessions(db: Database | Transaction, principalId: string): Promise<void> {
  await db
    .update(principals)
    .set({ sessionVersion: sql`${principals.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(principals.id, principalId));
  await db.delete(authSessions).where(eq(authSessions.principalId, principalId));
}

import { and, eq, lt } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiClients, apiTokens, principals } from "@/db/schema";
import { insertAuditEvent } from "@/lib/audit/record";
import { countAttempt, forgiveAttempt, type RatePolicy } from "@/lib/auth/rate-limit";
import type { ClientInfo } from "@/lib/auth/sessions";
import { DomainError } from "@/lib/errors";
import { hashSecret, isOpaqueToken, newSecret, secretMatches } from "./credentials";

export const TOKEN_LIFETIME_SECONDS = 60 * 60;
export const TOKEN_PER_CLIENT: RatePolicy = { limit: 10, windowSeconds: 15 * 60 };
export const TOKEN_PER_ADDRESS: RatePolicy = { limit: 50, windowSeconds: 15 * 60 };
const TOUCH_EVERY_MS = 60 * 1000;

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/** Why a token request failed, in the terms of RFC 6749 §5.2. */
export class TokenError extends Error {
  constructor(
    readonly error: "invalid_client" | "invalid_request" | "unsupported_grant_type",
    message: string,
  ) {
    super(message);
    this.name = "TokenError";
  }
}

/**
 * Exchanges client credentials for a bearer token (OAuth 2.0 client credentials). Attempts count
 * against the client id and the address before the secret is checked, so guessing is rate-limited.
 */
export async function issueToken(
  db: Database,
  credentials: { clientId: string; clientSecret: string },
  client: ClientInfo,
  now: Date,
): Promise<IssuedToken> {
  const clientKey = `api-token:client:${credentials.clientId.slice(0, 100)}`;
  const addressKey = `api-token:address:${client.address ?? "unknown"}`;
  const verdict = await countAttempt(db, [{ key: clientKey, policy: TOKEN_PER_CLIENT }, { key: addressKey, policy: TOKEN_PER_ADDRESS }], now);
  if (verdict.retryAfter > 0) {
    throw new DomainError("rate_limited", `Too many token requests; try again in ${verdict.retryAfter} seconds.`, { retryAfter: verdict.retryAfter });
  }
  const [row] = await db
    .select({ principalId: apiClients.principalId, accountId: apiClients.accountId, secretHash: apiClients.secretHash, status: principals.status, homeNodeId: principals.homeNodeId })
    .from(apiClients)
    .innerJoin(principals, eq(principals.id, apiClients.principalId))
    .where(eq(apiClients.clientId, credentials.clientId));
  if (!row || !secretMatches(credentials.clientSecret, row.secretHash) || row.status !== "active") {
    if (row) await recordTokenEvent(db, row, "apiclient.token.denied", client);
    throw new TokenError("invalid_client", "Client authentication failed.");
  }
  const { secret: accessToken, hash } = newSecret();
  await db.insert(apiTokens).values({
    tokenHash: hash,
    accountId: row.accountId,
    principalId: row.principalId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_SECONDS * 1000),
  });
  await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.accountId, row.accountId), eq(apiTokens.principalId, row.principalId), lt(apiTokens.expiresAt, now)));
  await db.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.principalId, row.principalId));
  await forgiveAttempt(db, [clientKey], [addressKey]);
  await recordTokenEvent(db, row, "apiclient.token", client);
  return { accessToken, expiresIn: TOKEN_LIFETIME_SECONDS };
}

async function recordTokenEvent(db: Database, row: { principalId: string; accountId: string; homeNodeId: string }, action: string, client: ClientInfo) {
  await insertAuditEvent(db, {
    accountId: row.accountId,
    actorId: row.principalId,
    actingAs: "api_client",
    nodeId: row.homeNodeId,
    action,
    address: client.address,
    userAgent: client.userAgent,
  });
}

/**
 * The client a bearer token belongs to, if the token is unexpired and the client active at `now`:
 * checked on every request, so a disabled client is refused from its very next request.
 */
export async function authenticateToken(db: Database, token: string, now: Date): Promise<{ principalId: string; accountId: string } | null> {
  if (!isOpaqueToken(token)) return null;
  const [row] = await db
    .select({ principalId: apiTokens.principalId, accountId: apiTokens.accountId, expiresAt: apiTokens.expiresAt, status: principals.status, lastUsedAt: apiClients.lastUsedAt })
    .from(apiTokens)
    .innerJoin(principals, eq(principals.id, apiTokens.principalId))
    .innerJoin(apiClients, eq(apiClients.principalId, apiTokens.principalId))
    .where(eq(apiTokens.tokenHash, hashSecret(token)));
  if (!row || row.status !== "active" || row.expiresAt <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.principalId, row.principalId));
  }
  return { principalId: row.principalId, accountId: row.accountId };
}

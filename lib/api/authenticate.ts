import type { Database } from "@/db/client";
import { authenticateToken } from "@/lib/api-clients/tokens";
import { countAttempt, type RatePolicy } from "@/lib/auth/rate-limit";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { AuthContext } from "@/lib/authz";
import { DomainError } from "@/lib/errors";

/** Requests one client may make in a window, across every instance (counted in the database). */
export const REQUESTS_PER_CLIENT: RatePolicy = { limit: 600, windowSeconds: 60 };

export function clientRateKey(principalId: string): string {
  return `api:client:${principalId}`;
}

/**
 * The caller's authorization context from its bearer token, loaded fresh for this request: a disabled
 * client or a revoked assignment counts at once. Counts the request against the client's rate limit.
 */
export async function authenticateRequest(db: Database, request: Request, now: Date): Promise<AuthContext> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new DomainError("unauthenticated", "Send an access token: Authorization: Bearer <token> (POST /api/v1/oauth/token).");
  const caller = await authenticateToken(db, match[1]!, now);
  if (!caller) throw new DomainError("unauthenticated", "The access token is not valid or has expired; request a new one.");
  const { retryAfter } = await countAttempt(db, [{ key: clientRateKey(caller.principalId), policy: REQUESTS_PER_CLIENT }], now);
  if (retryAfter > 0) throw new DomainError("rate_limited", `Too many requests; try again in ${retryAfter} seconds.`, { retryAfter });
  const authz = await loadAuthContext(db, caller.principalId, now);
  if (!authz || authz.principal.status !== "active") throw new DomainError("unauthenticated", "The client is not active.");
  return authz;
}

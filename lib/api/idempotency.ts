import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import type { AuthContext } from "@/lib/authz";
import { DomainError } from "@/lib/errors";

/** How long a key is remembered: a retry later than this is a new request. */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export type IdempotencyClaim =
  | { kind: "first"; complete(status: number, body: unknown, etag?: string): Promise<void>; release(): Promise<void> }
  | { kind: "replay"; status: number; body: unknown; etag: string | null };

export function requestHash(method: string, pathname: string, body: string): string {
  return createHash("sha256").update(`${method} ${pathname}\n${body}`).digest("hex");
}

/**
 * Claims an Idempotency-Key for this client: the first request runs and its answer is stored; a
 * replay gets that answer; the same key with another request is refused, as is one still running.
 */
export async function claimIdempotencyKey(db: Database, authz: AuthContext, key: string, hash: string): Promise<IdempotencyClaim> {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new DomainError("invalid", "The Idempotency-Key must be 1 to 255 visible ASCII characters.");
  }
  const principalId = authz.principal.id;
  const where = and(eq(apiIdempotencyKeys.principalId, principalId), eq(apiIdempotencyKeys.key, key));
  // Forget the client's keys past their lifetime (this one included): the table does not grow without end.
  await db
    .delete(apiIdempotencyKeys)
    .where(and(eq(apiIdempotencyKeys.principalId, principalId), lt(apiIdempotencyKeys.createdAt, new Date(authz.now.getTime() - KEY_LIFETIME_MS))));
  const [claimed] = await db
    .insert(apiIdempotencyKeys)
    .values({ accountId: authz.principal.accountId, principalId, key, requestHash: hash, createdAt: authz.now })
    .onConflictDoNothing()
    .returning({ key: apiIdempotencyKeys.key });
  if (claimed) {
    return {
      kind: "first",
      complete: async (status, body, etag) => {
        await db.update(apiIdempotencyKeys).set({ responseStatus: status, responseBody: body, responseEtag: etag ?? null }).where(where);
      },
      // An unexpected failure changed nothing: the client may retry with the same key.
      release: async () => {
        await db.delete(apiIdempotencyKeys).where(where);
      },
    };
  }
  const [existing] = await db.select().from(apiIdempotencyKeys).where(where);
  if (!existing) throw new DomainError("conflict", "The request with this Idempotency-Key just ended; retry.");
  if (existing.requestHash !== hash) throw new IdempotencyError("idempotency_mismatch", "This Idempotency-Key was used with a different request.");
  if (existing.responseStatus === null) throw new IdempotencyError("idempotency_in_progress", "A request with this Idempotency-Key is still running.");
  return { kind: "replay", status: existing.responseStatus, body: existing.responseBody, etag: existing.responseEtag };
}

export class IdempotencyError extends Error {
  constructor(
    readonly kind: "idempotency_mismatch" | "idempotency_in_progress",
    message: string,
  ) {
    super(message);
    this.name = "IdempotencyError";
  }
}

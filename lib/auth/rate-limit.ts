import { inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rateLimits } from "@/db/schema";

export interface RatePolicy {
  /** Attempts allowed in one window; the next one is refused until the window ends. */
  limit: number;
  windowSeconds: number;
}

export const PASSWORD_PER_EMAIL: RatePolicy = { limit: 5, windowSeconds: 15 * 60 };
export const PASSWORD_PER_ADDRESS: RatePolicy = { limit: 20, windowSeconds: 15 * 60 };
export const SECOND_FACTOR_PER_PRINCIPAL: RatePolicy = { limit: 5, windowSeconds: 15 * 60 };
export const SECOND_FACTOR_PER_ADDRESS: RatePolicy = { limit: 20, windowSeconds: 15 * 60 };

export type RateKey = { key: string; policy: RatePolicy };

export interface AttemptVerdict {
  /** Seconds until the refused key allows attempts again; 0 when this attempt may go ahead. */
  retryAfter: number;
  /** Whether this attempt used up a key's last allowed try: a failure now is a lockout. */
  lastTry: boolean;
}

/**
 * Counts an attempt against every key before it is checked, atomically, so that parallel requests
 * cannot all slip under the limit. Kept in the database: the limit holds across every instance.
 * Each key is one statement, an upsert that reads nothing first. It commits asynchronously (for its
 * own implicit transaction only, hence never inside a caller's transaction): the request does not wait
 * for the count to reach the disk, and a server crash forgets at most the last fraction of a second
 * of counts, which a rate limit can afford.
 */
export async function countAttempt(db: Database, keys: RateKey[], now: Date): Promise<AttemptVerdict> {
  let retryAfter = 0;
  let lastTry = false;
  for (const { key, policy } of keys) {
    const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000);
    const expired = sql`${rateLimits.windowStartedAt} <= ${windowStart}`;
    // Both drivers answer execute() with { rows }.
    const result = (await db.execute(sql`
      insert into ${rateLimits} (key, window_started_at, failures)
      select ${key}, ${now}, 1 from (select set_config('synchronous_commit', 'off', true)) as relaxed
      on conflict (key) do update set
        failures = case when ${expired} then 1 else ${rateLimits.failures} + 1 end,
        window_started_at = case when ${expired} then excluded.window_started_at else ${rateLimits.windowStartedAt} end
      returning failures, window_started_at as "windowStartedAt"`)) as unknown as { rows: { failures: number; windowStartedAt: Date | string }[] };
    const row = result.rows[0];
    if (!row) continue;
    if (row.failures > policy.limit) {
      const endsAt = new Date(row.windowStartedAt).getTime() + policy.windowSeconds * 1000;
      retryAfter = Math.max(retryAfter, Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)));
    } else if (row.failures === policy.limit) {
      lastTry = true;
    }
  }
  return { retryAfter, lastTry };
}

/** After a success: forgets the account's attempts and gives the address its attempt back. */
export async function forgiveAttempt(db: Database, forget: string[], giveBack: string[]): Promise<void> {
  if (forget.length > 0) await db.delete(rateLimits).where(inArray(rateLimits.key, forget));
  if (giveBack.length > 0) {
    await db
      .update(rateLimits)
      .set({ failures: sql`greatest(${rateLimits.failures} - 1, 0)` })
      .where(inArray(rateLimits.key, giveBack));
  }
}

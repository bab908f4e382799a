import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { createTestDatabase } from "@/db/testing";
import { countAttempt } from "./rate-limit";

let connection: DatabaseConnection;
const T0 = new Date("2026-12-01T12:00:00Z");
const policy = { limit: 3, windowSeconds: 60 };
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

beforeAll(async () => {
  connection = await createTestDatabase();
});
afterAll(async () => connection?.close());

describe("countAttempt", () => {
  it("allows the limit, warns on the last try, then refuses until the window ends and starts a new one", async () => {
    const key = [{ key: "test:window", policy }];
    expect(await countAttempt(connection.db, key, at(0))).toEqual({ retryAfter: 0, lastTry: false });
    expect(await countAttempt(connection.db, key, at(1))).toEqual({ retryAfter: 0, lastTry: false });
    expect(await countAttempt(connection.db, key, at(2))).toEqual({ retryAfter: 0, lastTry: true });
    expect(await countAttempt(connection.db, key, at(10))).toEqual({ retryAfter: 50, lastTry: false });
    expect(await countAttempt(connection.db, key, at(60))).toEqual({ retryAfter: 0, lastTry: false });
    const [row] = await connection.db.select().from(rateLimits).where(eq(rateLimits.key, "test:window"));
    expect(row).toEqual({ key: "test:window", windowStartedAt: at(60), failures: 1 });
  });

  it("counts every one of many parallel attempts, so that exactly the limit goes through", async () => {
    const verdicts = await Promise.all(Array.from({ length: 12 }, () => countAttempt(connection.db, [{ key: "test:parallel", policy }], T0)));
    expect(verdicts.filter((verdict) => verdict.retryAfter === 0)).toHaveLength(3);
    const [row] = await connection.db.select().from(rateLimits).where(eq(rateLimits.key, "test:parallel"));
    expect(row!.failures).toBe(12);
  });

  it("relaxes the commit of its own statement only: the connection's next transaction commits as configured", async () => {
    await countAttempt(connection.db, [{ key: "test:setting", policy }], T0);
    const result = (await connection.db.execute(sql`select current_setting('synchronous_commit') as value`)) as unknown as { rows: { value: string }[] };
    expect(result.rows[0]!.value).toBe("on");
  });
});

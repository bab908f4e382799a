import { PGlite, types } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DrizzlePGlite } from "./pglite-client";

// Always embedded: the client under test is PGlite's, whatever TEST_DATABASE_URL says.
let plain: PGlite;
let client: DrizzlePGlite;

beforeAll(async () => {
  [plain, client] = await Promise.all([PGlite.create(), DrizzlePGlite.open()]);
});

afterAll(async () => {
  await Promise.all([plain.close(), client.close()]);
});

// Every type drizzle's driver parses itself, and some PGlite parses: the answers must not change.
const TYPED = sql`select timestamp '2026-03-01 12:00:00' as ts, timestamptz '2026-03-01 12:00:00+02' as tstz,
  date '2026-03-01' as d, interval '1 day 2 hours' as iv, array[1.5, 2.25]::numeric[] as nums,
  array[timestamp '2026-03-01 12:00:00']::timestamp[] as tss, array[timestamptz '2026-03-01 12:00:00+00']::timestamptz[] as tstzs,
  array[interval '1 hour']::interval[] as ivs, array[date '2026-03-01']::date[] as ds,
  42 as n, true as b, '{"a":1}'::jsonb as j, array['x', 'y']::text[] as tags, 12.5::numeric as num`;

describe("DrizzlePGlite", () => {
  it("answers drizzle's queries as a plain PGlite does", async () => {
    const [expected, actual] = await Promise.all([drizzle({ client: plain }).execute(TYPED), drizzle({ client }).execute(TYPED)]);
    expect(actual.rows).toEqual(expected.rows);
    expect(actual.rows[0]).toMatchObject({ ts: "2026-03-01 12:00:00", d: "2026-03-01", n: 42, b: true, j: { a: 1 }, tags: ["x", "y"] });
  });

  it("answers inside drizzle transactions as a plain PGlite does", async () => {
    const inTransaction = (db: ReturnType<typeof drizzle>) => db.transaction((tx) => tx.execute(TYPED));
    const [expected, actual] = await Promise.all([inTransaction(drizzle({ client: plain })), inTransaction(drizzle({ client }))]);
    expect(actual.rows).toEqual(expected.rows);
  });

  it("runs drizzle's queries without PGlite's per-query parser merge, in and out of transactions", async () => {
    const query = vi.spyOn(PGlite.prototype, "query");
    try {
      const db = drizzle({ client });
      await db.execute(sql`select 1 as one`);
      await db.transaction((tx) => tx.execute(sql`select 2 as two`));
      const reachingPGlite = query.mock.calls.filter(([text]) => /select [12] as/.test(text));
      expect(reachingPGlite).toHaveLength(1);
      expect(reachingPGlite[0]![2]).toMatchObject({ rowMode: "object" });
      expect(reachingPGlite[0]![2]?.parsers).toBeUndefined();
    } finally {
      query.mockRestore();
    }
  });

  it("keeps parsers a caller brings that are not drizzle's", async () => {
    const parsers = { [types.INT4]: (value: string) => `int ${value}` };
    const out = await client.query<{ n: string }>("select 7 as n", [], { parsers });
    expect(out.rows[0]!.n).toBe("int 7");
    const inTransaction = await client.transaction((tx) => tx.query<{ n: string }>("select 8 as n", [], { parsers }));
    expect(inTransaction.rows[0]!.n).toBe("int 8");
  });

  it("rolls a failed drizzle transaction back", async () => {
    const db = drizzle({ client });
    await db.execute(sql`create table if not exists pglite_client_probe (id int primary key)`);
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into pglite_client_probe values (1)`);
        await tx.execute(sql`insert into pglite_client_probe values (1)`);
      }),
    ).rejects.toThrow();
    expect((await db.execute(sql`select count(*)::int as n from pglite_client_probe`)).rows[0]).toEqual({ n: 0 });
  });
});

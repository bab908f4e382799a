// npx tsx bench/members.ts [--users N] [--samples N]
// Seeds an account with 100,000 users and their assignments (embedded PGlite on disk, or the server
// at TEST_DATABASE_URL when set), then times listMembers: the first page, a filtered page, a sorted
// page and the deepest page at the account (numbered, and after a cursor), and the first page of a group.
// Writes bench/results/members.json.
import os from "node:os";
import { sql } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { seedScale } from "@/db/seed/scale";
import { loadAuthContext } from "@/lib/authz/load-context";
import { listMembers, listMembersAfter, type MemberListInput } from "@/lib/members/list";
import { encodePosition } from "@/lib/members/member-order";
import { createEmbeddedBenchDatabase, createServerBenchDatabase } from "./authz/databases";
import { writeResults } from "./authz/report";
import { summarize } from "./authz/stats";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

async function main(): Promise<void> {
  const users = option("users", 100_000);
  const samples = option("samples", 30);
  const serverUrl = process.env.TEST_DATABASE_URL;
  const connection: DatabaseConnection | null = serverUrl ? await createServerBenchDatabase(serverUrl) : await createEmbeddedBenchDatabase();
  if (!connection) throw new Error("the database at TEST_DATABASE_URL cannot be reached");
  try {
    const started = Date.now();
    const dataset = await seedScale(connection.db, { users, groups: 20, organizations: 1000, slug: "bench", name: "Bench MSSP" });
    // A steady state, as after autovacuum: planner statistics and a checkpoint.
    await connection.db.execute(sql`vacuum analyze`);
    await connection.db.execute(sql`checkpoint`);
    console.log(`Seeded ${users} users in ${((Date.now() - started) / 1000).toFixed(1)} s on ${connection.kind} PostgreSQL`);
    const authz = (await loadAuthContext(connection.db, dataset.ownerId))!;
    const ctx = { db: connection.db, authz };
    const deepest = Math.ceil(users / 100);
    const numbered = (input: MemberListInput) => async () => {
      const page = await listMembers(ctx, input);
      return { total: page.total, rows: page.rows.length };
    };
    // The keyset page that the deep numbered page is: after the last row of the page before it.
    const before = (await listMembers(ctx, { nodeId: dataset.accountId, sort: "email", page: deepest - 1, pageSize: 100 })).rows.at(-1)!;
    const cursor = encodePosition("email", "asc", { ...before, lastSignInKey: null });
    const deepIds = (await listMembers(ctx, { nodeId: dataset.accountId, sort: "email", page: deepest, pageSize: 100 })).rows.map((row) => row.id);
    const keysetIds = (await listMembersAfter(ctx, { nodeId: dataset.accountId, sort: "email", limit: 100, cursor })).rows.map((row) => row.id);
    if (JSON.stringify(deepIds) !== JSON.stringify(keysetIds)) throw new Error("the keyset page differs from the numbered page it stands for");
    const cases: Record<string, () => Promise<{ total: number | null; rows: number }>> = {
      first_page: numbered({ nodeId: dataset.accountId }),
      filtered_page: numbered({ nodeId: dataset.accountId, status: "active", roleId: dataset.managerRoleId, source: "direct", q: "tanaka" }),
      sorted_page: numbered({ nodeId: dataset.accountId, sort: "lastSignIn", dir: "desc" }),
      deep_page: numbered({ nodeId: dataset.accountId, sort: "email", page: deepest, pageSize: 100 }),
      deep_keyset_page: async () => ({ total: null, rows: (await listMembersAfter(ctx, { nodeId: dataset.accountId, sort: "email", limit: 100, cursor })).rows.length }),
      group_first_page: numbered({ nodeId: dataset.firstGroupId }),
    };
    const results: Record<string, { p50_ms: number; p99_ms: number; mean_ms: number; max_ms: number; total: number | null; rows: number }> = {};
    for (const [name, run] of Object.entries(cases)) {
      for (let i = 0; i < 3; i++) await run();
      const timings: number[] = [];
      let last = await run();
      for (let i = 0; i < samples; i++) {
        const begin = process.hrtime.bigint();
        last = await run();
        timings.push(Number(process.hrtime.bigint() - begin) / 1e6);
      }
      const summary = summarize(timings);
      results[name] = { p50_ms: round(summary.p50), p99_ms: round(summary.p99), mean_ms: round(summary.mean), max_ms: round(summary.max), ...last };
      console.log(`${name.padEnd(18)} p50 ${summary.p50.toFixed(1).padStart(7)} ms  p99 ${summary.p99.toFixed(1).padStart(7)} ms  (${last.total ?? "uncounted"} matching, ${last.rows} rows)`);
    }
    await writeResults("bench/results/members.json", {
      generated_at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load_average_1m: round(os.loadavg()[0]!) },
      database: connection.kind,
      dataset: { users, groups: 20, organizations: 1000, assignments_per_user: 1 },
      samples,
      method:
        "listMembers as the provider owner (whole account in scope), sequential, after 3 warm-up calls; each sample is one call including " +
        "authorization, the page query, the count and the page's assignments. deep_page is the last page of 100 sorted by email (offset ~99,900); " +
        "deep_keyset_page is the same page read after a cursor (listMembersAfter, the API's paging), without a count.",
      results,
    });
  } finally {
    await connection.close();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

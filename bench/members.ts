// npx tsx bench/members.ts [--users N] [--samples N]
// Seeds an account with 100,000 users and their assignments (embedded PGlite on disk, or the server
// at TEST_DATABASE_URL when set), then times listMembers: the first page, a filtered page, a sorted
// page and the deepest page at the account, and the first page of a group. Writes bench/results/members.json.
import os from "node:os";
import { sql } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { loadAuthContext } from "@/lib/authz/load-context";
import { listMembers, type MemberListInput } from "@/lib/members/list";
import { createEmbeddedBenchDatabase, createServerBenchDatabase } from "./authz/databases";
import { writeResults } from "./authz/report";
import { summarize } from "./authz/stats";
import { seedMembers } from "./members/seed";

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
    let started = Date.now();
    const dataset = await seedMembers(connection.db, { users, groups: 20, orgsPerGroup: 50 });
    // A steady state, as after autovacuum: planner statistics and a checkpoint.
    await connection.db.execute(sql`vacuum analyze`);
    await connection.db.execute(sql`checkpoint`);
    console.log(`Seeded ${users} users in ${((Date.now() - started) / 1000).toFixed(1)} s on ${connection.kind} PostgreSQL`);
    const authz = (await loadAuthContext(connection.db, dataset.ownerId))!;
    const ctx = { db: connection.db, authz };
    const deepest = Math.ceil((users + 1) / 100);
    const cases: Record<string, MemberListInput> = {
      first_page: { nodeId: dataset.accountId },
      filtered_page: { nodeId: dataset.accountId, status: "active", roleId: dataset.managerRoleId, source: "direct", q: "tanaka" },
      sorted_page: { nodeId: dataset.accountId, sort: "lastSignIn", dir: "desc" },
      deep_page: { nodeId: dataset.accountId, sort: "email", page: deepest, pageSize: 100 },
      group_first_page: { nodeId: dataset.groupId },
    };
    const results: Record<string, { p50_ms: number; p99_ms: number; mean_ms: number; max_ms: number; total: number; rows: number }> = {};
    for (const [name, input] of Object.entries(cases)) {
      started = Date.now();
      for (let i = 0; i < 3; i++) await listMembers(ctx, input);
      const timings: number[] = [];
      let last = await listMembers(ctx, input);
      for (let i = 0; i < samples; i++) {
        const begin = process.hrtime.bigint();
        last = await listMembers(ctx, input);
        timings.push(Number(process.hrtime.bigint() - begin) / 1e6);
      }
      const summary = summarize(timings);
      results[name] = { p50_ms: round(summary.p50), p99_ms: round(summary.p99), mean_ms: round(summary.mean), max_ms: round(summary.max), total: last.total, rows: last.rows.length };
      console.log(`${name.padEnd(18)} p50 ${summary.p50.toFixed(1).padStart(7)} ms  p99 ${summary.p99.toFixed(1).padStart(7)} ms  (${last.total} matching, ${last.rows.length} rows)`);
    }
    await writeResults("bench/results/members.json", {
      generated_at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
      database: connection.kind,
      dataset: { users, groups: 20, organizations: 1000, assignments_per_user: 1 },
      samples,
      method:
        "listMembers as the provider owner (whole account in scope), sequential, after 3 warm-up calls; each sample is one call including " +
        "authorization, the page query, the count and the page's assignments. deep_page is the last page of 100 sorted by email (offset ~99,900).",
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

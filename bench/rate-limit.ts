// npx tsx bench/rate-limit.ts [--samples N]
// What counting one API request costs (countAttempt: one upsert, committed asynchronously), against a
// bare round trip and a durable one-row write (what a synchronously committed count costs), one at a
// time and with four workers on one client's key. Embedded PGlite on disk, and the server at
// TEST_DATABASE_URL when set. Writes bench/results/rate-limit.json.
import os from "node:os";
import { sql } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { countAttempt } from "@/lib/auth/rate-limit";
import { REQUESTS_PER_CLIENT } from "@/lib/api/authenticate";
import { createEmbeddedBenchDatabase, createServerBenchDatabase } from "./authz/databases";
import { writeResults } from "./authz/report";
import { summarize } from "./authz/stats";

const WORKERS = 4;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

type Figures = { p50_ms: number; p99_ms: number; mean_ms: number; parallel_per_s: number };

async function measure(connection: DatabaseConnection, samples: number): Promise<Record<string, Figures>> {
  const { db } = connection;
  // A limit no run reaches: every call is an allowed request, as in steady traffic.
  const policy = { ...REQUESTS_PER_CLIENT, limit: Number.MAX_SAFE_INTEGER };
  await db.execute(sql`insert into rate_limits (key, window_started_at, failures) values ('bench:durable', now(), 0)`);
  const cases: Record<string, () => Promise<unknown>> = {
    round_trip: () => db.execute(sql`select 1`),
    durable_write: () => db.execute(sql`update rate_limits set failures = failures + 1 where key = 'bench:durable'`),
    count_attempt: () => countAttempt(db, [{ key: "bench:client", policy }], new Date()),
  };
  const results: Record<string, Figures> = {};
  for (const [name, run] of Object.entries(cases)) {
    for (let i = 0; i < 50; i++) await run();
    const timings: number[] = [];
    for (let i = 0; i < samples; i++) {
      const begin = process.hrtime.bigint();
      await run();
      timings.push(Number(process.hrtime.bigint() - begin) / 1e6);
    }
    const begin = process.hrtime.bigint();
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      for (let i = 0; i < samples / WORKERS; i++) await run();
    }));
    const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
    const summary = summarize(timings);
    results[name] = { p50_ms: round(summary.p50), p99_ms: round(summary.p99), mean_ms: round(summary.mean), parallel_per_s: Math.round(samples / seconds) };
    console.log(
      `${connection.kind.padEnd(8)} ${name.padEnd(14)} p50 ${summary.p50.toFixed(2).padStart(6)} ms  p99 ${summary.p99.toFixed(2).padStart(6)} ms  ` +
        `${WORKERS} workers ${String(results[name].parallel_per_s).padStart(6)}/s`,
    );
  }
  return results;
}

async function main(): Promise<void> {
  const samples = option("samples", 2000);
  const serverUrl = process.env.TEST_DATABASE_URL;
  const results: Record<string, Record<string, Figures> | null> = {};
  for (const kind of ["embedded", "server"] as const) {
    const connection = kind === "embedded" ? await createEmbeddedBenchDatabase() : serverUrl ? await createServerBenchDatabase(serverUrl) : null;
    if (!connection) {
      results[kind] = null;
      continue;
    }
    try {
      results[kind] = await measure(connection, samples);
    } finally {
      await connection.close();
    }
  }
  await writeResults("bench/results/rate-limit.json", {
    generated_at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load_average_1m: round(os.loadavg()[0]!) },
    samples,
    method:
      "Sequential calls after 50 warm-ups, then the same number of calls spread over 4 concurrent workers on one key (one client's burst). " +
      "round_trip is select 1; durable_write a one-row update committed synchronously; count_attempt what every API request and sign-in step runs.",
    results,
  });
}

const round = (value: number) => Math.round(value * 1000) / 1000;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

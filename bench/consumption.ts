// npm run bench:consumption -- [--orgs N] [--days N] [--entitlements N] [--samples N] [--keep] [--reuse DB]
// On the PostgreSQL server at TEST_DATABASE_URL, in a database of its own: N organizations under
// regions and tiers, ten entitlements each, a day of usage per entitlement for every day (10,000 ×
// 730 days ≈ 73 million rows), loaded with set-based SQL with the indexes built after the load, the
// roll-ups built by rebuildRollups (--reuse DB takes a database an earlier --keep run left, applying the
// migrations added since); then times the dashboard reads at the account, at an OU and at an
// organization, and the monthly statement. Prints a table and writes bench/results/consumption.json.
import { statfs } from "node:fs/promises";
import os from "node:os";
import { sql } from "drizzle-orm";
import { loadAuthContext } from "@/lib/authz/load-context";
import { addDays, dayOf } from "@/lib/consumption/calendar";
import { monthlyStatement } from "@/lib/consumption/statement";
import { rebuildRollups } from "@/lib/consumption/rollups";
import { atMost, fmt, printTable, writeResults, type TargetRow } from "./authz/report";
import { summarize, timeAsync } from "./authz/stats";
import { dashboardCases, type ReadCase } from "./consumption/cases";
import { dropConstraints, openBenchDatabase, type BenchDatabase } from "./consumption/database";
import { dayChunks, loadUsageChunk, seedEntitlements, seedTree, type ConsumptionDataset } from "./consumption/seed";

/** Bytes per usage row, table and primary key together, with the roll-ups: to refuse a run the disk cannot hold. */
const BYTES_PER_USAGE_ROW = 150;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

function textOption(name: string): string | null {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? null) : null;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
const round = (value: number) => Math.round(value * 100) / 100;

async function count(bench: BenchDatabase, table: string): Promise<number> {
  const result = (await bench.read.db.execute(sql.raw(`select count(*)::bigint as n from "${table}"`))) as unknown as { rows: { n: string }[] };
  return Number(result.rows[0]!.n);
}

async function build(bench: BenchDatabase, sizes: { orgs: number; days: number; entitlements: number }) {
  const db = bench.build;
  const lastDay = addDays(dayOf(new Date()), -1);
  const firstDay = addDays(lastDay, 1 - sizes.days);
  const timings: Record<string, number> = {};
  let started = Date.now();
  const tree = await seedTree(db, sizes.orgs);
  await seedEntitlements(db, tree.accountId, sizes.entitlements);
  timings.tree_and_entitlements_s = seconds(started);
  console.log(`tree and ${sizes.orgs * sizes.entitlements} entitlements in ${timings.tree_and_entitlements_s} s`);

  started = Date.now();
  const usageKeys = await dropConstraints(db, "usage_daily");
  const chunks = dayChunks(firstDay, lastDay, 30);
  // Two loaders at once: the machine has two cores.
  for (let i = 0; i < chunks.length; i += 2) {
    await Promise.all(chunks.slice(i, i + 2).map((chunk) => loadUsageChunk(db, tree.accountId, firstDay, chunk.from, chunk.to, sizes.days)));
    console.log(`  usage through ${chunks[Math.min(i + 1, chunks.length - 1)]!.to} (${seconds(started)} s)`);
  }
  timings.usage_load_s = seconds(started);
  started = Date.now();
  await usageKeys.restore();
  timings.usage_keys_s = seconds(started);
  console.log(`usage loaded in ${timings.usage_load_s} s, its primary key and foreign key in ${timings.usage_keys_s} s`);

  started = Date.now();
  const dailyKeys = await dropConstraints(db, "consumption_daily");
  const monthlyKeys = await dropConstraints(db, "consumption_monthly");
  const ownKeys = await dropConstraints(db, "consumption_own_to_date");
  await rebuildRollups(db, tree.accountId);
  await dailyKeys.restore();
  await monthlyKeys.restore();
  await ownKeys.restore();
  timings.rollups_s = seconds(started);
  console.log(`roll-ups rebuilt (rebuildRollups) with their keys in ${timings.rollups_s} s`);

  started = Date.now();
  await db.execute(sql`vacuum (analyze)`);
  await db.execute(sql`checkpoint`);
  timings.vacuum_analyze_s = seconds(started);
  await db.execute(sql`insert into flex_programs (account_id, point_price, currency, billing_day) values (${tree.accountId}, 0.0825, 'USD', 1)`);
  return { dataset: { ...tree, firstDay, lastDay }, timings };
}

/** Keeps the build's timings in the benchmark's database, so that a later --reuse run reports them. */
async function saveBuild(bench: BenchDatabase, buildSeconds: number, timings: Record<string, number>): Promise<void> {
  await bench.build.execute(sql`create table bench_build (build_s numeric not null, steps jsonb not null)`);
  await bench.build.execute(sql`insert into bench_build values (${buildSeconds}, ${JSON.stringify(timings)}::jsonb)`);
}

async function loadBuild(bench: BenchDatabase): Promise<{ buildSeconds: number | null; timings: Record<string, number> }> {
  const result = (await bench.read.db.execute(sql`select build_s::float8 as "buildSeconds", steps as timings from bench_build`)) as unknown as {
    rows: { buildSeconds: number; timings: Record<string, number> }[];
  };
  return result.rows[0] ?? { buildSeconds: null, timings: {} };
}

/** The dataset of a database an earlier run kept (--keep), found by the names the seed gives. */
async function findDataset(bench: BenchDatabase): Promise<ConsumptionDataset> {
  const result = (await bench.read.db.execute(sql`
    select a.id::text as "accountId", (select id::text from principals where email = 'owner@bench.example') as "ownerId",
      (select id::text from nodes where slug = 'region-1') as "regionId", (select id::text from nodes where slug = 'tier-1-1') as "tierId",
      (select id::text from nodes where slug = 'customer-1') as "organizationId",
      (select min(day)::text from consumption_daily where node_id = a.id) as "firstDay", (select max(day)::text from consumption_daily where node_id = a.id) as "lastDay"
    from nodes a where a.slug = 'bench'`)) as unknown as { rows: ConsumptionDataset[] };
  if (!result.rows[0]) throw new Error(`${bench.name} holds no benchmark account`);
  return result.rows[0];
}

async function time(cases: ReadCase[], samples: number) {
  const results: Record<string, { p50_ms: number; p99_ms: number; mean_ms: number; max_ms: number }> = {};
  for (const entry of cases) {
    const summary = summarize(await timeAsync(samples, 3, entry.run));
    results[entry.name] = { p50_ms: round(summary.p50), p99_ms: round(summary.p99), mean_ms: round(summary.mean), max_ms: round(summary.max) };
    console.log(`  ${entry.name.padEnd(32)} p50 ${summary.p50.toFixed(1).padStart(7)} ms  p99 ${summary.p99.toFixed(1).padStart(7)} ms`);
  }
  return results;
}

const worst = (results: Record<string, { p99_ms: number }>) => Math.max(...Object.values(results).map((entry) => entry.p99_ms));

async function main(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    console.error("bench:consumption needs a PostgreSQL server: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).");
    process.exit(2);
  }
  const sizes = { orgs: option("orgs", 10_000), days: option("days", 730), entitlements: option("entitlements", 10) };
  const samples = option("samples", 50);
  const reuse = textOption("reuse");
  const keep = process.argv.includes("--keep") || reuse !== null;
  const usageRows = sizes.orgs * sizes.entitlements * sizes.days;
  const disk = await statfs("/");
  const free = disk.bavail * disk.bsize;
  if (!reuse && free < usageRows * BYTES_PER_USAGE_ROW * 1.2) {
    throw new Error(`${usageRows.toLocaleString("en")} usage rows need about ${((usageRows * BYTES_PER_USAGE_ROW) / 1e9).toFixed(1)} GB; ${(free / 1e9).toFixed(1)} GB are free`);
  }
  const loadBefore = os.loadavg();
  const bench = await openBenchDatabase(serverUrl, reuse);
  console.log(`database ${bench.name}${keep ? " (kept afterwards)" : ""}; load average ${loadBefore.map((value) => value.toFixed(2)).join(" ")}`);
  try {
    const started = Date.now();
    let dataset: ConsumptionDataset;
    let buildSeconds: number | null;
    let timings: Record<string, number>;
    if (reuse) {
      // Whatever the migrations added is all-visible and analyzed, as after a build: index-only reads.
      await bench.build.execute(sql`vacuum (analyze)`);
      dataset = await findDataset(bench);
      ({ buildSeconds, timings } = await loadBuild(bench));
    } else {
      ({ dataset, timings } = await build(bench, sizes));
      buildSeconds = seconds(started);
      await saveBuild(bench, buildSeconds, timings);
    }
    const counts = {
      organizations: Number(((await bench.read.db.execute(sql`select count(*) as n from nodes where kind = 'organization'`)) as unknown as { rows: { n: string }[] }).rows[0]!.n),
      entitlements: await count(bench, "entitlements"),
      usage_rows: await count(bench, "usage_daily"),
      rollup_daily_rows: await count(bench, "consumption_daily"),
      rollup_monthly_rows: await count(bench, "consumption_monthly"),
      rollup_own_to_date_rows: await count(bench, "consumption_own_to_date"),
    };
    console.log(`dataset: ${JSON.stringify(counts)}, days ${dataset.firstDay} to ${dataset.lastDay}`);

    const ctx = { db: bench.read.db, authz: (await loadAuthContext(bench.read.db, dataset.ownerId))! };
    const loadDuring = os.loadavg();
    console.log("account");
    const account = await time(dashboardCases(ctx, dataset.accountId, dataset.lastDay), samples);
    console.log("OU: a region (two tiers, a quarter of the organizations)");
    const region = await time(dashboardCases(ctx, dataset.regionId, dataset.lastDay), samples);
    console.log("OU: a tier (an eighth of the organizations as direct children)");
    const tier = await time(dashboardCases(ctx, dataset.tierId, dataset.lastDay), samples);
    console.log("organization");
    const organization = await time(dashboardCases(ctx, dataset.organizationId, dataset.lastDay), samples);
    console.log("statement");
    const lastMonth = addDays(`${dataset.lastDay.slice(0, 7)}-01`, -1).slice(0, 7);
    const setBillingDay = (day: number) => bench.read.db.execute(sql`update flex_programs set billing_day = ${day} where account_id = ${dataset.accountId}`);
    await setBillingDay(1);
    const statementLines = (await monthlyStatement(ctx, { period: lastMonth })).lines.length;
    const statement = await time([{ name: `statement_${lastMonth}_billing_day_1`, run: () => monthlyStatement(ctx, { period: lastMonth }) }], samples);
    await setBillingDay(15);
    Object.assign(statement, await time([{ name: `statement_${lastMonth}_billing_day_15`, run: () => monthlyStatement(ctx, { period: lastMonth }) }], samples));
    await setBillingDay(1);
    const loadAfter = os.loadavg();

    const figures = {
      dashboard_account_p99_ms: worst(account),
      dashboard_ou_p99_ms: Math.max(worst(region), worst(tier)),
      dashboard_org_p99_ms: worst(organization),
      statement_p99_ms: worst(statement),
    };
    const rows: TargetRow[] = [
      { metric: "organizations", value: counts.organizations.toLocaleString("en"), target: "10,000", met: null },
      { metric: "usage rows", value: counts.usage_rows.toLocaleString("en"), target: "≈ 73 million", met: null },
      { metric: "dashboard p99, account (worst read)", value: fmt(figures.dashboard_account_p99_ms, "ms"), target: "≤ 300 ms", met: atMost(figures.dashboard_account_p99_ms, 300) },
      { metric: "dashboard p99, OU (worst read)", value: fmt(figures.dashboard_ou_p99_ms, "ms"), target: "≤ 300 ms", met: atMost(figures.dashboard_ou_p99_ms, 300) },
      { metric: "dashboard p99, organization (worst read)", value: fmt(figures.dashboard_org_p99_ms, "ms"), target: "≤ 300 ms", met: atMost(figures.dashboard_org_p99_ms, 300) },
      { metric: `statement p99 (${statementLines} lines)`, value: fmt(figures.statement_p99_ms, "ms"), target: "≤ 1 s", met: atMost(figures.statement_p99_ms, 1000) },
    ];
    printTable("Consumption on PostgreSQL", rows);
    const version = ((await bench.read.db.execute(sql`select version()`)) as unknown as { rows: { version: string }[] }).rows[0]!.version;
    await writeResults("bench/results/consumption.json", {
      generated_at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: version },
      load_average: { before: loadBefore, during_reads: loadDuring, after: loadAfter },
      ...counts,
      days: { from: dataset.firstDay, to: dataset.lastDay },
      statement_lines: statementLines,
      ...figures,
      build_s: buildSeconds,
      reused_database: reuse !== null,
      build_steps_s: timings,
      samples,
      method:
        "Each read is a service call as the account owner (authorization included) through a pool with the app's settings, sequential, after 3 warm-up calls; " +
        "p99 by nearest rank. A level's dashboard figure is the worst p99 among its reads: series of the last 90 days and of the last 24 months, split by child " +
        "(top 8 and others) and by product, top consumers of those ranges and of this month, the month summary with its forecast, and the alert banner. " +
        "OU is the worse of a region (2 children, a quarter of the organizations) and a tier (an eighth of the organizations as direct children). " +
        "The statement is last month's, complete (every line, subtotals, total), with billing day 1 and 15.",
      results: { account, ou_region: region, ou_tier: tier, organization, statement },
    });
    console.log("wrote bench/results/consumption.json");
  } finally {
    await bench.close({ keep });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import type { AuthContext } from "@/lib/authz/decide";
import type { CpuIdleHold } from "./cpu-idle";
import type { BenchDatabase } from "./databases";
import type { Dataset } from "./dataset";
import { benchListing, contextLoadPicks, loadContexts, probeAppProcess, scopeSize, timeContextLoads, type ListScenario, type ListTiming } from "./db-bench";
import { loadDataset } from "./load";
import { Random } from "./random";
import type { Summary } from "./stats";

type Lists = { large_scope: ListScenario; many_ranges: ListScenario };

export interface DatabaseResult {
  kind: "embedded" | "server";
  load_seconds: number;
  /** Timed in a child process that holds only the database, as the app server does. */
  context_load_ms: Summary;
  list: Lists;
  /** The same, timed in the benchmark process (its heap holds the dataset, CASL abilities and a casbin enforcer). */
  context_load_bench_process_ms: Summary;
  list_bench_process: Lists;
  /** `select 1` in the app-like process: one statement's cost before any work. */
  round_trip_ms: Summary;
  /** The server's round trips and context loads again, with the CPUs free to halt when idle (see cpu-idle.ts); null when not timed. */
  cpus_free: { round_trip_ms: Summary; context_load_ms: Summary } | null;
}

export interface DatabasePlan {
  iterations: { contextLoads: number; list: number };
  /** Account Owner (whole tree) and the principal with the most in-force assignments. */
  listPrincipals: { large: number; manyRanges: number };
  /** When set, contexts of these principals are loaded for the in-process checks. */
  contextsFor?: readonly number[];
  /** When set, the app-like context loads are timed once more with the CPUs free to halt. */
  cpuIdle?: CpuIdleHold;
  seed: number;
}

/**
 * Loads the dataset into one database and measures loadAuthContext and listAccessibleNodes there,
 * first in this process, then in a child process holding only the database; removes the database.
 */
export async function runDatabase(connection: BenchDatabase, data: Dataset, plan: DatabasePlan): Promise<{ result: DatabaseResult; contexts: Map<number, AuthContext> | null }> {
  try {
    const label = connection.kind;
    const started = Date.now();
    await loadDataset(connection, data);
    const loadSeconds = (Date.now() - started) / 1000;
    console.log(`[${label}] loaded in ${loadSeconds.toFixed(1)} s (COPY + ANALYZE)`);
    const ids = { large_scope: data.principals[plan.listPrincipals.large]!.id, many_ranges: data.principals[plan.listPrincipals.manyRanges]!.id };
    const expected = (timing: ListTiming, principal: number): ListScenario => ({ ...timing, expected_items: scopeSize(data, principal, "tenant.read") });
    const lists = (timings: { large_scope: ListTiming; many_ranges: ListTiming }): Lists => ({
      large_scope: expected(timings.large_scope, plan.listPrincipals.large),
      many_ranges: expected(timings.many_ranges, plan.listPrincipals.manyRanges),
    });

    const picks = contextLoadPicks(data, plan.iterations.contextLoads, new Random(plan.seed));
    const benchProcess = {
      context_load_ms: await timeContextLoads(connection.db, picks.principalIds, picks.warmup, data.now),
      list: lists({
        large_scope: await benchListing(connection.db, ids.large_scope, data.now, plan.iterations.list),
        many_ranges: await benchListing(connection.db, ids.many_ranges, data.now, plan.iterations.list),
      }),
    };
    report(`[${label}, benchmark process]`, benchProcess);
    const contexts = plan.contextsFor ? await loadContexts(connection.db, data, plan.contextsFor) : null;

    await connection.detach();
    const appPicks = contextLoadPicks(data, plan.iterations.contextLoads, new Random(plan.seed + 1));
    const probed = await probeAppProcess({
      address: connection.address,
      now: data.now.toISOString(),
      contextLoads: appPicks,
      listings: { ...ids, iterations: plan.iterations.list },
    });
    if (!probed.list) throw new Error("the app-like process timed no listings");
    const appProcess = { context_load_ms: probed.context_load_ms, list: lists(probed.list) };
    report(`[${label}, app-like process]`, appProcess);
    console.log(`[${label}, app-like process] select 1: p50 ${probed.round_trip_ms.p50.toFixed(3)} ms, p99 ${probed.round_trip_ms.p99.toFixed(3)} ms`);
    let cpusFree: DatabaseResult["cpus_free"] = null;
    if (plan.cpuIdle?.held) {
      const free = await plan.cpuIdle.whileFree(() =>
        probeAppProcess({ address: connection.address, now: data.now.toISOString(), contextLoads: appPicks, listings: null }),
      );
      cpusFree = { round_trip_ms: free.round_trip_ms, context_load_ms: free.context_load_ms };
      console.log(
        `[${label}, app-like process, CPUs free to halt] select 1: p50 ${free.round_trip_ms.p50.toFixed(3)} ms, p99 ${free.round_trip_ms.p99.toFixed(3)} ms; ` +
          `loadAuthContext: p50 ${free.context_load_ms.p50.toFixed(3)} ms, p99 ${free.context_load_ms.p99.toFixed(3)} ms`,
      );
    }
    return {
      result: {
        kind: connection.kind,
        load_seconds: loadSeconds,
        context_load_ms: appProcess.context_load_ms,
        list: appProcess.list,
        context_load_bench_process_ms: benchProcess.context_load_ms,
        list_bench_process: benchProcess.list,
        round_trip_ms: probed.round_trip_ms,
        cpus_free: cpusFree,
      },
      contexts,
    };
  } finally {
    await connection.close();
  }
}

function report(label: string, figures: { context_load_ms: Summary; list: Lists }): void {
  const load = figures.context_load_ms;
  console.log(`${label} loadAuthContext: p50 ${load.p50.toFixed(3)} ms, p99 ${load.p99.toFixed(3)} ms over ${load.n} calls`);
  for (const [name, scenario] of [["large scope", figures.list.large_scope], ["many ranges", figures.list.many_ranges]] as const) {
    console.log(
      `${label} listAccessibleNodes (${name}, ${scenario.grants} grants): first page p50 ${scenario.first_page_p50_ms.toFixed(2)} ms, p99 ${scenario.first_page_p99_ms.toFixed(2)} ms ` +
        `(asset.read p50 ${scenario.first_page_capability_p50_ms.toFixed(2)} ms, p99 ${scenario.first_page_capability_p99_ms.toFixed(2)} ms), ` +
        `walk ${scenario.full_walk_items}/${scenario.expected_items} nodes in ${scenario.full_walk_pages} pages, ${scenario.full_walk_ms.toFixed(0)} ms`,
    );
  }
}

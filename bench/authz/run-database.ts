import type { DatabaseConnection } from "@/db/client";
import type { AuthContext } from "@/lib/authz/decide";
import type { Dataset } from "./dataset";
import { benchContextLoad, benchContextLoadInChild, benchListing, loadContexts, type ListScenario } from "./db-bench";
import { loadDataset } from "./load";
import { Random } from "./random";
import type { Summary } from "./stats";

export interface DatabaseResult {
  kind: "embedded" | "server";
  load_seconds: number;
  context_load_ms: Summary;
  /** Server only: the same loads timed in a child process that holds only its connection, as the app server. */
  context_load_app_process_ms: Summary | null;
  list: { large_scope: ListScenario; many_ranges: ListScenario };
}

export interface DatabasePlan {
  iterations: { contextLoads: number; list: number };
  /** Account Owner (whole tree) and the principal with the most in-force assignments. */
  listPrincipals: { large: number; manyRanges: number };
  /** When set, contexts of these principals are loaded for the in-process checks. */
  contextsFor?: readonly number[];
  seed: number;
}

/** Loads the dataset into one database and measures loadAuthContext and listAccessibleNodes there; closes it. */
export async function runDatabase(
  connection: DatabaseConnection & { url?: string },
  data: Dataset,
  plan: DatabasePlan,
): Promise<{ result: DatabaseResult; contexts: Map<number, AuthContext> | null }> {
  try {
    const label = connection.kind;
    const started = Date.now();
    await loadDataset(connection, data);
    const loadSeconds = (Date.now() - started) / 1000;
    console.log(`[${label}] loaded in ${loadSeconds.toFixed(1)} s (COPY + ANALYZE)`);
    const contextLoad = await benchContextLoad(connection.db, data, plan.iterations.contextLoads, new Random(plan.seed));
    console.log(`[${label}] loadAuthContext: p50 ${contextLoad.p50.toFixed(3)} ms, p99 ${contextLoad.p99.toFixed(3)} ms over ${contextLoad.n} calls`);
    let appProcess: Summary | null = null;
    if (connection.url) {
      appProcess = await benchContextLoadInChild(connection.url, data, plan.iterations.contextLoads, new Random(plan.seed + 1));
      console.log(`[${label}] loadAuthContext in a process holding only its connection: p50 ${appProcess.p50.toFixed(3)} ms, p99 ${appProcess.p99.toFixed(3)} ms over ${appProcess.n} calls`);
    }
    const large = await benchListing(connection.db, data, plan.listPrincipals.large, plan.iterations.list);
    const manyRanges = await benchListing(connection.db, data, plan.listPrincipals.manyRanges, plan.iterations.list);
    for (const [name, scenario] of [["large scope", large], ["many ranges", manyRanges]] as const) {
      console.log(
        `[${label}] listAccessibleNodes (${name}, ${scenario.grants} grants): first page p99 ${scenario.first_page_p99_ms.toFixed(2)} ms ` +
          `(asset.read p50 ${scenario.first_page_capability_p50_ms.toFixed(2)} ms, p99 ${scenario.first_page_capability_p99_ms.toFixed(2)} ms), ` +
          `walk ${scenario.full_walk_items}/${scenario.expected_items} nodes in ${scenario.full_walk_pages} pages, ${scenario.full_walk_ms.toFixed(0)} ms`,
      );
    }
    const contexts = plan.contextsFor ? await loadContexts(connection.db, data, plan.contextsFor) : null;
    return {
      result: { kind: connection.kind, load_seconds: loadSeconds, context_load_ms: contextLoad, context_load_app_process_ms: appProcess, list: { large_scope: large, many_ranges: manyRanges } },
      contexts,
    };
  } finally {
    await connection.close();
  }
}

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Database } from "@/db/client";
import type { Permission } from "@/lib/authz/catalog";
import type { AuthContext } from "@/lib/authz/decide";
import { loadAuthContext } from "@/lib/authz/load-context";
import { listAccessibleNodes, MAX_PAGE_SIZE } from "@/lib/authz/queries";
import { inForce, ROLE_PERMISSIONS, type Dataset } from "./dataset";
import type { Random } from "./random";
import { summarize, timeAsync, type Summary } from "./stats";

/** loadAuthContext latency (ms) for random principals of the whole population, one call at a time. */
export async function benchContextLoad(db: Database, data: Dataset, iterations: number, random: Random): Promise<Summary> {
  // Long enough for the JIT and the server's plan and catalog caches to settle: steady state, not start-up.
  const warmup = Math.min(1_000, iterations);
  const picks = Array.from({ length: iterations + warmup }, () => data.principals[random.int(data.principals.length)]!.id);
  const samples = await timeAsync(iterations, warmup, async (i) => {
    if (!(await loadAuthContext(db, picks[i]!, data.now))) throw new Error(`principal ${picks[i]} not found`);
  });
  return summarize(samples);
}

/**
 * The same measurement in a child process that holds only one connection (bench/authz/context-probe.ts),
 * as the app server would: this process's heap (the dataset, CASL, casbin) stays out of the timings.
 */
export async function benchContextLoadInChild(url: string, data: Dataset, iterations: number, random: Random): Promise<Summary> {
  const warmup = Math.min(1_000, iterations);
  const principalIds = Array.from({ length: iterations + warmup }, () => data.principals[random.int(data.principals.length)]!.id);
  const probe = fileURLToPath(new URL("./context-probe.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", probe], { stdio: ["pipe", "pipe", "inherit"] });
  const output: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  child.stdin.end(JSON.stringify({ url, now: data.now.toISOString(), warmup, principalIds }));
  const code = await exited;
  if (code !== 0) throw new Error(`context probe exited with ${code}`);
  return JSON.parse(Buffer.concat(output).toString("utf8")) as Summary;
}

/** Contexts for the given principals, loaded through the library. */
export async function loadContexts(db: Database, data: Dataset, principals: readonly number[]): Promise<Map<number, AuthContext>> {
  const contexts = new Map<number, AuthContext>();
  for (const principal of principals) {
    const ctx = await loadAuthContext(db, data.principals[principal]!.id, data.now);
    if (!ctx) throw new Error(`principal ${data.principals[principal]!.id} not found`);
    contexts.set(principal, ctx);
  }
  return contexts;
}

export interface ListScenario {
  principal: string;
  grants: number;
  first_page_p50_ms: number;
  first_page_p99_ms: number;
  /** First page of a permission that needs a capability (asset.read), which adds a per-row capability test. */
  first_page_capability_p50_ms: number;
  first_page_capability_p99_ms: number;
  full_walk_ms: number;
  full_walk_pages: number;
  full_walk_items: number;
  expected_items: number;
}

/** listAccessibleNodes: first page (default size) latency, and a walk over every page of MAX_PAGE_SIZE. */
export async function benchListing(db: Database, data: Dataset, principal: number, iterations: number): Promise<ListScenario> {
  const ctx = await loadAuthContext(db, data.principals[principal]!.id, data.now);
  if (!ctx) throw new Error("list principal not found");
  const firstPage = (permission: Permission) => timeAsync(iterations, Math.min(100, iterations), () => listAccessibleNodes(db, ctx, permission));
  const plain = summarize(await firstPage("tenant.read"));
  const capability = summarize(await firstPage("asset.read"));

  const start = process.hrtime.bigint();
  let cursor: string | null = null;
  let pages = 0;
  let items = 0;
  do {
    const page = await listAccessibleNodes(db, ctx, "tenant.read", { cursor, limit: MAX_PAGE_SIZE });
    pages++;
    items += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  const walkMs = Number(process.hrtime.bigint() - start) / 1e6;

  return {
    principal: ctx.principal.id,
    grants: ctx.grants.length,
    first_page_p50_ms: plain.p50,
    first_page_p99_ms: plain.p99,
    first_page_capability_p50_ms: capability.p50,
    first_page_capability_p99_ms: capability.p99,
    full_walk_ms: walkMs,
    full_walk_pages: pages,
    full_walk_items: items,
    expected_items: scopeSize(data, principal, "tenant.read"),
  };
}

/** How many nodes `permission` (one that needs no capability) reaches: the union of in-force assignment subtrees. */
export function scopeSize(data: Dataset, principal: number, permission: Permission): number {
  if (data.principals[principal]!.status !== "active") return 0;
  const ranges = data.byPrincipal[principal]!.map((index) => data.assignments[index]!)
    .filter((assignment) => inForce(assignment, data.now) && ROLE_PERMISSIONS[assignment.role].has(permission))
    .map((assignment) => [data.position[assignment.node]!, data.subtreeEnd[assignment.node]!] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = -1;
  for (const [from, to] of ranges) {
    if (to <= reach) continue;
    covered += to - Math.max(from, reach);
    reach = to;
  }
  return covered;
}

/** The active principal with the most in-force assignments: many small ranges, the hard case for paging. */
export function busiestPrincipal(data: Dataset): number {
  let best = 0;
  let most = -1;
  data.byPrincipal.forEach((grants, principal) => {
    if (data.principals[principal]!.status !== "active") return;
    const count = grants.filter((index) => inForce(data.assignments[index]!, data.now)).length;
    if (count > most) [best, most] = [principal, count];
  });
  return best;
}

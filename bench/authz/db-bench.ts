import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Permission } from "@/lib/authz/catalog";
import type { AuthContext } from "@/lib/authz/decide";
import { loadAuthContext } from "@/lib/authz/load-context";
import { listAccessibleNodes, MAX_PAGE_SIZE } from "@/lib/authz/queries";
import { inForce, ROLE_PERMISSIONS, type Dataset } from "./dataset";
import type { AppProbeInput, AppProbeOutput } from "./app-probe";
import type { Random } from "./random";
import { summarize, timeAsync, type Summary } from "./stats";

/**
 * Principals for timing context loads: random ones of the whole population, the first `warmup` of
 * them for warming up. Long enough a warm-up for the JIT and the server's plan and catalog caches to
 * settle: steady state, not start-up.
 */
export function contextLoadPicks(data: Dataset, iterations: number, random: Random): { warmup: number; principalIds: string[] } {
  const warmup = Math.min(1_000, iterations);
  return { warmup, principalIds: Array.from({ length: iterations + warmup }, () => data.principals[random.int(data.principals.length)]!.id) };
}

/** loadAuthContext latency (ms), one call at a time, for each principal after the first `warmup`. */
export async function timeContextLoads(db: Database, principalIds: readonly string[], warmup: number, now: Date): Promise<Summary> {
  const samples = await timeAsync(principalIds.length - warmup, warmup, async (i) => {
    if (!(await loadAuthContext(db, principalIds[i]!, now))) throw new Error(`principal ${principalIds[i]} not found`);
  });
  return summarize(samples);
}

/** Latency (ms) of `select 1`: what one statement costs on this database before any work, the floor of every other figure. */
export async function timeRoundTrips(db: Database, iterations: number, warmup: number): Promise<Summary> {
  return summarize(await timeAsync(iterations, warmup, () => db.execute(sql`select 1`)));
}

/**
 * The same context loads and list pages in a child process that holds only its database
 * (bench/authz/app-probe.ts), as the app server would: this process's heap (the dataset, CASL,
 * casbin) stays out of the timings. An embedded database must be detached from this process first.
 */
export async function probeAppProcess(input: AppProbeInput): Promise<AppProbeOutput> {
  const probe = fileURLToPath(new URL("./app-probe.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", probe], { stdio: ["pipe", "pipe", "inherit"] });
  const output: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  child.stdin.end(JSON.stringify(input));
  const code = await exited;
  if (code !== 0) throw new Error(`app probe exited with ${code}`);
  return JSON.parse(Buffer.concat(output).toString("utf8")) as AppProbeOutput;
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

export interface ListTiming {
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
}

/** A list timing with the number of nodes the principal's scope holds, from the generated dataset. */
export type ListScenario = ListTiming & { expected_items: number };

/** listAccessibleNodes: first page (default size) latency, and a walk over every page of MAX_PAGE_SIZE. */
export async function benchListing(db: Database, principalId: string, now: Date, iterations: number): Promise<ListTiming> {
  const ctx = await loadAuthContext(db, principalId, now);
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

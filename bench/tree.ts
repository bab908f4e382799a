// npx tsx bench/tree.ts [--organizations 10000 --iterations 100 --output bench/results/tree.json]
// The tenant tree page's reads on one group of many organizations: a page of children (first and a
// later one) with their counts, the header count, and search by name and by tag. Embedded PGlite,
// and the PostgreSQL server at TEST_DATABASE_URL when it is set. Writes bench/results/tree.json.
import os from "node:os";
import { parseArgs } from "node:util";
import type { DatabaseConnection } from "@/db/client";
import { loadAuthContext } from "@/lib/authz/load-context";
import type { ServiceContext } from "@/lib/service-context";
import { countReadableOrganizations, listTreeChildren, listTreeRoots } from "@/lib/tenants/tree";
import { searchTree } from "@/lib/tenants/tree-search";
import { createEmbeddedBenchDatabase, createServerBenchDatabase } from "./authz/databases";
import { fmt, printTable, writeResults, type TargetRow } from "./authz/report";
import { summarize, timeAsync, type Summary } from "./authz/stats";
import { seedTree, type SeededTree } from "./tree/seed";

const { values } = parseArgs({
  options: {
    organizations: { type: "string", default: "10000" },
    iterations: { type: "string", default: "100" },
    output: { type: "string", default: "bench/results/tree.json" },
  },
});
const ORGANIZATIONS = Number(values.organizations);
const ITERATIONS = Number(values.iterations);
const WARMUP = 10;
const PAGE = 100;

const METHOD =
  `Each read is timed ${ITERATIONS} times sequentially after ${WARMUP} warm-ups, as the provider owner (Owner on the account), ` +
  `through the same functions the page and its /tree/children route call. A children page is ${PAGE} nodes with their sub-node and ` +
  "member counts (one batched query per page) and permissions. The later page starts after half the group. " +
  "search_name matches about 1% of the organizations by name, search_tag a fifth of them by tag; both return their first page of 25.";

type Timings = Record<string, Summary>;

async function measure(connection: DatabaseConnection, label: string): Promise<{ seeded: SeededTree; timings: Timings; walk: { pages: number; items: number; ms: number } }> {
  let started = Date.now();
  const seeded = await seedTree(connection, ORGANIZATIONS);
  console.log(`[${label}] seeded ${ORGANIZATIONS} organizations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const ctx: ServiceContext = { db: connection.db, authz: (await loadAuthContext(connection.db, seeded.ownerId))! };

  // Walk the whole group once: it proves the pages are complete and gives the cursor of a later page.
  started = Date.now();
  let cursor: string | null = null;
  let items = 0;
  let pages = 0;
  let middle: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listTreeChildren>> = await listTreeChildren(ctx, seeded.groupId, { cursor, limit: PAGE });
    items += page.items.length;
    pages += 1;
    cursor = page.nextCursor;
    if (items === Math.floor(ORGANIZATIONS / 2 / PAGE) * PAGE) middle = cursor;
  } while (cursor);
  const walk = { pages, items, ms: Date.now() - started };
  if (items !== ORGANIZATIONS) throw new Error(`the walk found ${items} children, expected ${ORGANIZATIONS}`);

  const timed = async (work: () => Promise<unknown>) => summarize(await timeAsync(ITERATIONS, WARMUP, work));
  const timings: Timings = {
    roots: await timed(() => listTreeRoots(ctx)),
    children_first_page: await timed(() => listTreeChildren(ctx, seeded.groupId, { limit: PAGE })),
    children_later_page: await timed(() => listTreeChildren(ctx, seeded.groupId, { cursor: middle, limit: PAGE })),
    children_of_account: await timed(() => listTreeChildren(ctx, seeded.accountId)),
    organization_count: await timed(() => countReadableOrganizations(ctx)),
    search_name: await timed(() => searchTree(ctx, { q: "Customer 001" })),
    search_tag: await timed(() => searchTree(ctx, { q: "region:north" })),
    search_no_match: await timed(() => searchTree(ctx, { q: "no such customer" })),
  };
  const group = (await listTreeChildren(ctx, seeded.accountId)).items.find((item) => item.id === seeded.groupId);
  if (group?.subNodes !== ORGANIZATIONS) throw new Error(`the group counts ${group?.subNodes} sub-nodes, expected ${ORGANIZATIONS}`);
  for (const [name, summary] of Object.entries(timings)) console.log(`[${label}] ${name}: p50 ${fmt(summary.p50, "ms")}, p99 ${fmt(summary.p99, "ms")}`);
  return { seeded, timings, walk };
}

async function main(): Promise<void> {
  console.log(`Arbor tenant tree benchmark: one group of ${ORGANIZATIONS} organizations`);
  const embeddedConnection = await createEmbeddedBenchDatabase();
  const embedded = await measure(embeddedConnection, "embedded").finally(() => embeddedConnection.close());
  const serverUrl = process.env.TEST_DATABASE_URL;
  const serverConnection = serverUrl ? await createServerBenchDatabase(serverUrl) : null;
  const server = serverConnection ? await measure(serverConnection, "server").finally(() => serverConnection.close()) : null;

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? null, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    parameters: { organizations: ORGANIZATIONS, iterations: ITERATIONS, warmup: WARMUP, page_size: PAGE, viewers: embedded.seeded.withViewer },
    method: METHOD,
    embedded: { ms: embedded.timings, full_walk: embedded.walk },
    server: server ? { ms: server.timings, full_walk: server.walk } : null,
  };
  const rows: TargetRow[] = [];
  for (const [label, run] of [["embedded", embedded], ["server", server]] as const) {
    if (!run) continue;
    const row = (name: string, metric: string) => {
      const summary = run.timings[name]!;
      rows.push({ metric: `${metric}, ${label}`, value: `p50 ${fmt(summary.p50, "ms")}, p99 ${fmt(summary.p99, "ms")}`, target: "", met: null });
    };
    row("roots", "roots");
    row("children_first_page", `children, first page of ${PAGE}`);
    row("children_later_page", `children, page after ${Math.floor(ORGANIZATIONS / 2)}`);
    row("children_of_account", `children of the account (a count of ${ORGANIZATIONS} sub-nodes)`);
    row("organization_count", "readable organizations count");
    row("search_name", "search by name (1%)");
    row("search_tag", "search by tag (20%)");
    row("search_no_match", "search with no match");
    rows.push({ metric: `full walk, ${label}`, value: `${run.walk.items} children in ${run.walk.pages} pages, ${run.walk.ms} ms`, target: "", met: null });
  }
  printTable("Arbor tenant tree benchmark", rows);
  await writeResults(values.output!, results);
  console.log(`\nWrote ${values.output}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodes } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { principalId } from "@/lib/access/test-support";
import type { AuthContext } from "./decide";
import { loadAuthContext } from "./load-context";
import type { Capability } from "./catalog";
import { pathIds, subtreeRange } from "./paths";
import { listAccessibleNodes, loadEffectiveCapabilities, rangesStatement, type Range } from "./queries";

// A principal with a grant on every organization: many disjoint ranges, which listAccessibleNodes
// scans a few at a time, then twice as many. Every page size must give the same nodes, in path order,
// once each, however many batches a page takes.

const OWNER = "ava.thompson@northwind.example";

let connection: DatabaseConnection;
let db: Database;
let ctx: AuthContext;
let expected: string[];
let names: Map<string, string>;
let ranges: Range[];

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  await seedDemo(db, { password: "vitest-demo-password" });
  const owner = await loadAuthContext(db, await principalId(db, OWNER));
  const organizations = await db
    .select({ id: nodes.id, path: nodes.path, name: nodes.name })
    .from(nodes)
    .where(and(eq(nodes.accountId, owner!.principal.accountId), eq(nodes.kind, "organization")))
    .orderBy(asc(nodes.path));
  // Resellers' customers sit inside their reseller's range: only the outermost organizations are ranges.
  const outermost = organizations.filter((org) => !organizations.some((other) => other !== org && org.path.startsWith(other.path)));
  const grant = owner!.grants[0]!;
  ctx = { ...owner!, grants: organizations.map((org, i) => ({ ...grant, assignmentId: `${grant.assignmentId}-${i}`, nodeId: org.id, nodePath: org.path })) };
  names = new Map(organizations.map((org) => [org.path, org.name]));
  expected = organizations.filter((org) => outermost.some((range) => org.path.startsWith(range.path))).map((org) => org.path);
  ranges = outermost.map((org) => subtreeRange(org.path));
  expect(outermost.length).toBeGreaterThan(10);
  // Statistics and the visibility map, as autovacuum keeps them on a live database.
  await db.execute(sql`vacuum analyze`);
});

afterAll(async () => {
  await connection?.close();
});

async function walk(limit: number): Promise<string[]> {
  const paths: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await listAccessibleNodes(db, ctx, "tenant.read", { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    paths.push(...page.items.map((item) => item.path));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return paths;
}

/** How many times the plan of the many-ranges statement scanned a range, for a page of `count`. */
async function rangesScanned(count: number, needs: Parameters<typeof rangesStatement>[3] = null): Promise<number> {
  const statement = rangesStatement(ranges, [eq(nodes.accountId, ctx.principal.accountId)], count, needs);
  const plan = await db.transaction(async (tx) => {
    // The demo's tables are tiny; without this the planner would rightly scan them whole and sort.
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_bitmapscan = off`);
    // Both drivers answer execute() with { rows }.
    const result = (await tx.execute(sql`explain (analyze, format json) ${statement}`)) as unknown as { rows: { "QUERY PLAN": unknown }[] };
    const json = result.rows[0]!["QUERY PLAN"];
    return (typeof json === "string" ? JSON.parse(json) : json) as [{ Plan: PlanNode }];
  });
  const scans: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    if (node["Node Type"] === "Index Scan" && node["Relation Name"] === "nodes") scans.push(node);
    node.Plans?.forEach(visit);
  };
  visit(plan[0].Plan);
  expect(scans).toHaveLength(1);
  return scans[0]!["Actual Loops"];
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Loops": number;
  Plans?: PlanNode[];
}

describe("listAccessibleNodes over many grant ranges", () => {
  it("scans only the ranges a page needs, in order", async () => {
    // Every organization's range holds at least the organization: 3 nodes need at most 3 ranges, and
    // the incremental sort reads the first node of the next range to see that a range has ended.
    expect(await rangesScanned(3)).toBeLessThanOrEqual(4);
    expect(await rangesScanned(1_000)).toBe(ranges.length);
  });

  it("does not scan a range whose root lacks the capability a permission needs", async () => {
    const accountId = ctx.principal.accountId;
    const rootsWith = async (capability: Capability) => {
      const effective = await Promise.all(ranges.map((range) => loadEffectiveCapabilities(db, accountId, pathIds(range.lower), ctx.now)));
      return effective.filter((entries) => entries.some((entry) => entry.capability === capability)).length;
    };
    // A capability some of the demo's organizations have and some lack.
    const candidates: Capability[] = ["flex", "assets", "policies", "sso", "api"];
    const counts = await Promise.all(candidates.map(rootsWith));
    const index = counts.findIndex((with_) => with_ > 0 && with_ < ranges.length);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(await rangesScanned(1_000, { capability: candidates[index]!, now: ctx.now, accountId })).toBe(counts[index]);
  });

  it.each([1, 2, 3, 7, 50])("walks every granted node once, in path order, %i per page", async (limit) => {
    expect(await walk(limit)).toEqual(expected);
  });

  it("answers the first page from the first ranges with a cursor to the rest", async () => {
    const page = await listAccessibleNodes(db, ctx, "tenant.read", { limit: 5 });
    expect(page.items.map((item) => item.path)).toEqual(expected.slice(0, 5));
    expect(page.nextCursor).not.toBeNull();
  });

  it("finds a match that lies only in the last range, past batches that match nothing", async () => {
    const last = names.get(expected[expected.length - 1]!)!;
    const matching = expected.filter((path) => names.get(path)!.toLowerCase().includes(last.toLowerCase()));
    const page = await listAccessibleNodes(db, ctx, "tenant.read", { search: last, limit: 50 });
    expect(page.items.map((item) => item.path)).toEqual(matching);
    expect(page.nextCursor).toBeNull();
  });
});

import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodes } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { principalId } from "@/lib/access/test-support";
import type { AuthContext } from "./decide";
import { loadAuthContext } from "./load-context";
import { listAccessibleNodes } from "./queries";

// A principal with a grant on every organization: many disjoint ranges, which listAccessibleNodes
// scans a few at a time, then twice as many. Every page size must give the same nodes, in path order,
// once each, however many batches a page takes.

const OWNER = "ava.thompson@northwind.example";

let connection: DatabaseConnection;
let db: Database;
let ctx: AuthContext;
let expected: string[];
let names: Map<string, string>;

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
  expect(outermost.length).toBeGreaterThan(10);
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

describe("listAccessibleNodes over many grant ranges", () => {
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

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { principalId } from "@/lib/access/test-support";
import { authContextSelect, loadAuthContext } from "./load-context";

const OWNER = "ava.thompson@northwind.example";

let connection: DatabaseConnection;
let db: Database;

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  await seedDemo(db, { password: "vitest-demo-password" });
  // Statistics and the visibility map, as autovacuum keeps them on a live database.
  await db.execute(sql`vacuum analyze`);
});

afterAll(async () => {
  await connection?.close();
});

/** The plan of the context query for one principal, with scans the planner would take on a large table. */
async function contextPlan(principal: string): Promise<string> {
  const { sql: text } = authContextSelect(db).toSQL();
  const query = text.replace("$1", `'${principal}'::uuid`);
  return db.transaction(async (tx) => {
    // The demo's tables are tiny; without this the planner would rightly scan them whole.
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_bitmapscan = off`);
    // Both drivers answer execute() with { rows }.
    const result = (await tx.execute(sql.raw(`explain ${query}`))) as unknown as { rows: { "QUERY PLAN": string }[] };
    return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

describe("loadAuthContext", () => {
  it("reads a principal's assignments and their node paths from indexes alone", async () => {
    const plan = await contextPlan(await principalId(db, OWNER));
    expect(plan).toMatch(/Index Only Scan using role_assignments_account_principal_cover_idx on role_assignments/);
    expect(plan).toMatch(/Index Only Scan using nodes_account_id_cover_key on nodes/);
  });

  it("loads the principal with each assignment's node path and role", async () => {
    const ctx = await loadAuthContext(db, await principalId(db, OWNER));
    expect(ctx?.principal.email).toBe(OWNER);
    expect(ctx?.grants.length).toBeGreaterThan(0);
    for (const grant of ctx!.grants) {
      expect(grant.nodePath.endsWith(`${grant.nodeId}/`)).toBe(true);
      expect(grant.permissions.size).toBeGreaterThan(0);
    }
  });

  it("answers null for a principal that does not exist", async () => {
    expect(await loadAuthContext(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});

import { eq, sql } from "drizzle-orm";
import { drizzle as drizzleNodePostgres } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { Database, DatabaseConnection } from "@/db/client";
import * as schema from "@/db/schema";
import { entitlements, flexConfigurations, flexProducts } from "@/db/schema";
import { insertDefaultCatalog } from "./default-catalog";

// Helpers for the integration tests of the consumption writes.

/** Demo customer users and their organizations (db/seed/demo-data.ts). */
export const PEOPLE = {
  owner: "ava.thompson@northwind.example",
  accountManager: "sofia.martins@northwind.example",
  accountViewer: "grace.kim@northwind.example",
  emeaAdmin: "emma.schulz@northwind.example",
  americasAdmin: "lucas.oliveira@northwind.example",
  adlerManager: "rafael.costa@adler-logistik.example",
  adlerViewer: "hannah.weber@adler-logistik.example",
  balticManager: "sienna.rossi@baltic-freight-lines.example",
} as const;

/** The account's catalog (installed if missing), by product key. */
export async function catalogIds(db: Database, accountId: string): Promise<Record<string, string>> {
  await insertDefaultCatalog(db, accountId);
  const rows = await db.select({ id: flexProducts.id, key: flexProducts.key }).from(flexProducts).where(eq(flexProducts.accountId, accountId));
  return Object.fromEntries(rows.map((row) => [row.key, row.id]));
}

/** Everything the consumption writes touch, as fingerprints: equal snapshots mean nothing was written. */
export async function consumptionSnapshot(db: Database) {
  const tables = ["flex_programs", "flex_products", "flex_configurations", "entitlements", "entitlement_stops", "usage_daily", "consumption_daily", "consumption_monthly", "consumption_own_to_date", "budget_alerts"];
  const result: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await db.execute(
      sql`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as v from ${sql.identifier(table)} t`,
    )) as unknown as { rows: { v: string }[] };
    result[table] = rows.rows[0]!.v;
  }
  return result;
}

/** An active entitlement inserted directly (the lifecycle has its own tests), started on `startDate`. */
export async function activeEntitlement(db: Database, accountId: string, org: { id: string }, productId: string, serialNumber: string, startDate: string) {
  const [configuration] = await db
    .insert(flexConfigurations)
    .values({ accountId, nodeId: org.id, productId, name: `Config ${serialNumber}`, parameters: {}, pointsPerDay: 1 })
    .returning({ id: flexConfigurations.id });
  const [created] = await db
    .insert(entitlements)
    .values({ accountId, nodeId: org.id, configurationId: configuration!.id, serialNumber, status: "active", startDate })
    .returning();
  return created!;
}

/**
 * A second drizzle client on the same database that counts the statements it sends, so that a test
 * can check that a batch is a handful of statements rather than one per row.
 */
export function countingDatabase(connection: DatabaseConnection): { db: Database; statements: () => number; reset: () => void } {
  let count = 0;
  const logger = { logQuery: () => void (count += 1) };
  const db = (
    connection.kind === "embedded" ? drizzlePglite({ client: connection.client, schema, logger }) : drizzleNodePostgres({ client: connection.client, schema, logger })
  ) as unknown as Database;
  return { db, statements: () => count, reset: () => void (count = 0) };
}

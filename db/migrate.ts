import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePostgres } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { fileURLToPath } from "node:url";
import type { DatabaseConnection } from "./client";
import * as schema from "./schema";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));
// Any fixed number: instances starting together take turns at migrating a server database.
const MIGRATION_LOCK = 4_271_903;

/** Applies the committed migrations that have not run yet. */
export async function migrateDatabase(connection: DatabaseConnection): Promise<void> {
  if (connection.kind === "embedded") {
    await migratePglite(connection.db as Parameters<typeof migratePglite>[0], { migrationsFolder });
    return;
  }
  const client = await connection.client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrateNodePostgres(drizzle({ client, schema }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

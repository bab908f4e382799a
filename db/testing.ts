import { randomBytes } from "node:crypto";
import pg from "pg";
import { openEmbeddedDatabase, openServerDatabase, type DatabaseConnection } from "./client";
import { migrateDatabase } from "./migrate";
import { syncBuiltinRoles } from "./seed/builtin-roles";

/**
 * A fresh, migrated database for one test file: embedded in memory by default, or a new database on
 * the server at TEST_DATABASE_URL (created here, dropped by `close`) so that every suite starts clean.
 */
export async function createTestDatabase(): Promise<DatabaseConnection> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const connection = serverUrl ? await createServerTestDatabase(serverUrl) : await openEmbeddedDatabase(null);
  await migrateDatabase(connection);
  await syncBuiltinRoles(connection.db);
  return connection;
}

async function createServerTestDatabase(serverUrl: string): Promise<DatabaseConnection> {
  const name = `arbor_test_${randomBytes(6).toString("hex")}`;
  await withAdminClient(serverUrl, (admin) => admin.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const connection = openServerDatabase(url.toString(), { max: 30 });
  // Dropping the database ends any connection still closing; that is the point, not an error.
  if (connection.kind === "server") connection.client.on("error", () => undefined);
  return {
    ...connection,
    close: async () => {
      await connection.close();
      await withAdminClient(serverUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  } as DatabaseConnection;
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openEmbeddedDatabase, openServerDatabase, type DatabaseConnection } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { syncBuiltinRoles } from "@/db/seed/builtin-roles";

/** A server database with its address, so that a child process can open its own connection. */
export type BenchServerConnection = DatabaseConnection & { url: string };

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/test";

/**
 * A migrated embedded database in a temporary directory (on disk, as DATA_DIR would be: a million
 * assignments do not belong in PGlite's in-memory file system). `close` removes the directory.
 */
export async function createEmbeddedBenchDatabase(): Promise<DatabaseConnection> {
  const dir = await mkdtemp(path.join(tmpdir(), "arbor-bench-"));
  const connection = await openEmbeddedDatabase(dir);
  await prepare(connection);
  return {
    ...connection,
    close: async () => {
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    },
  } as DatabaseConnection;
}

/**
 * A new database `arbor_bench_<random>` on the server (as db/testing.ts does for tests), migrated;
 * `close` drops it. Null when the server cannot be reached.
 */
export async function createServerBenchDatabase(serverUrl: string): Promise<BenchServerConnection | null> {
  const name = `arbor_bench_${randomBytes(6).toString("hex")}`;
  try {
    await withAdminClient(serverUrl, (admin) => admin.query(`create database "${name}"`));
  } catch (error) {
    console.log(`Server database at ${redact(serverUrl)} is unreachable (${(error as Error).message}); server figures are null.`);
    return null;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const connection = openServerDatabase(url.toString(), { max: 4 });
  const drop = async () => {
    await connection.close();
    await withAdminClient(serverUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`));
  };
  try {
    await prepare(connection);
  } catch (error) {
    await drop();
    throw error;
  }
  return { ...connection, close: drop, url: url.toString() } as BenchServerConnection;
}

async function prepare(connection: DatabaseConnection): Promise<void> {
  await migrateDatabase(connection);
  await syncBuiltinRoles(connection.db);
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the configured server";
  }
}

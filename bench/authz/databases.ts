import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openEmbeddedDatabase, openServerDatabase, type DatabaseConnection } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { syncBuiltinRoles } from "@/db/seed/builtin-roles";

/** Where a child process opens the same database: the embedded data directory or the server URL. */
export type BenchDatabaseAddress = { kind: "embedded"; dir: string } | { kind: "server"; url: string };

/**
 * A benchmark database. `detach` closes this process's connection but keeps the database, so that a
 * child process can open it (an embedded directory admits one process at a time); `close` detaches
 * and removes it.
 */
export type BenchDatabase = DatabaseConnection & { address: BenchDatabaseAddress; detach: () => Promise<void> };

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/test";

/**
 * A migrated embedded database in a temporary directory (on disk, as DATA_DIR would be: a million
 * assignments do not belong in PGlite's in-memory file system). `close` removes the directory.
 */
export async function createEmbeddedBenchDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), "arbor-bench-"));
  const connection = await openEmbeddedDatabase(dir);
  await prepare(connection);
  const detach = once(() => connection.close());
  return {
    ...connection,
    address: { kind: "embedded", dir },
    detach,
    close: async () => {
      await detach();
      await rm(dir, { recursive: true, force: true });
    },
  } as BenchDatabase;
}

/**
 * A new database `arbor_bench_<random>` on the server (as db/testing.ts does for tests), migrated;
 * `close` drops it. Null when the server cannot be reached.
 */
export async function createServerBenchDatabase(serverUrl: string): Promise<BenchDatabase | null> {
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
  const detach = once(() => connection.close());
  const drop = async () => {
    await detach();
    await withAdminClient(serverUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`));
  };
  try {
    await prepare(connection);
  } catch (error) {
    await drop();
    throw error;
  }
  return { ...connection, close: drop, detach, address: { kind: "server", url: url.toString() } } as BenchDatabase;
}

/** `work` run at most once; later calls wait for the same run. */
function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= work());
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

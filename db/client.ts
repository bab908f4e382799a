import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzleNodePostgres } from "drizzle-orm/node-postgres";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { DrizzlePGlite } from "./pglite-client";
import lockfile from "proper-lockfile";
import { readEnvironment } from "@/lib/env";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseConnection =
  | { kind: "embedded"; db: Database; client: PGlite; location: string; close(): Promise<void> }
  | { kind: "server"; db: Database; client: pg.Pool; location: string; close(): Promise<void> };

/** Raised when another process already holds an embedded data directory. */
export class DatabaseInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another Arbor process (a running "npm start"?). ` +
        `Stop that process first, or point DATA_DIR at another directory.`,
    );
    this.name = "DatabaseInUseError";
  }
}

const LOCK_FILE = "arbor.lock";
const OWNER_FILE = "arbor.pid";

/** Opens embedded PostgreSQL; `dataDir` null keeps it in memory (tests). Persisted directories are locked. */
export async function openEmbeddedDatabase(dataDir: string | null): Promise<DatabaseConnection> {
  if (dataDir === null) {
    const client = await DrizzlePGlite.open();
    return { kind: "embedded", db: drizzlePglite({ client, schema }), client, location: "memory", close: () => client.close() };
  }
  const location = path.resolve(dataDir);
  await mkdir(location, { recursive: true });
  const release = await lockDataDir(location);
  try {
    const client = await DrizzlePGlite.open(path.join(location, "pgdata"));
    return {
      kind: "embedded",
      db: drizzlePglite({ client, schema }),
      client,
      location,
      close: async () => {
        await client.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

async function lockDataDir(location: string, retried = false): Promise<() => Promise<void>> {
  const lockPath = path.join(location, LOCK_FILE);
  const ownerPath = path.join(location, OWNER_FILE);
  try {
    const release = await lockfile.lock(location, {
      lockfilePath: lockPath,
      stale: 30_000,
      update: 5_000,
      retries: 0,
      // A lock we failed to refresh is reported, not fatal: the process still holds the files.
      onCompromised: (error) => console.error(`arbor: lock on ${location} could not be refreshed: ${error.message}`),
    });
    await writeFile(ownerPath, String(process.pid));
    return async () => {
      await rm(ownerPath, { force: true });
      await release();
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    // A process killed outright leaves its lock behind; its recorded pid tells us it is gone.
    const owner = Number.parseInt(await readFile(ownerPath, "utf8").catch(() => ""), 10);
    if (!retried && Number.isInteger(owner) && owner !== process.pid && !isRunning(owner)) {
      await rm(lockPath, { recursive: true, force: true });
      return lockDataDir(location, true);
    }
    throw new DatabaseInUseError(location);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Opens a pool on a PostgreSQL server. */
export function openServerDatabase(url: string, options: { max?: number } = {}): DatabaseConnection {
  // Short OLTP queries: PostgreSQL's JIT would compile some of them on every call for nothing.
  const client = new pg.Pool({ connectionString: url, max: options.max ?? 10, options: "-c jit=off" });
  return {
    kind: "server",
    db: drizzleNodePostgres({ client, schema }),
    client,
    location: redactUrl(url),
    close: () => client.end(),
  };
}

/** Opens the database the environment names: the server at DATABASE_URL, else embedded in DATA_DIR. */
export async function openConfiguredDatabase(): Promise<DatabaseConnection> {
  const env = readEnvironment();
  return env.DATABASE_URL ? openServerDatabase(env.DATABASE_URL) : openEmbeddedDatabase(env.DATA_DIR);
}

const SHARED = Symbol.for("arbor.database");
type SharedHolder = { [SHARED]?: Promise<DatabaseConnection> };

/** The process-wide connection of the web app, opened on first use and shared by every module graph. */
export async function getDatabase(): Promise<Database> {
  const holder = globalThis as SharedHolder;
  holder[SHARED] ??= openConfiguredDatabase().catch((error: unknown) => {
    delete holder[SHARED];
    throw error;
  });
  return (await holder[SHARED]).db;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the configured server";
  }
}

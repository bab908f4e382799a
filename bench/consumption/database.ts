import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openServerDatabase, type Database, type DatabaseConnection } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import * as schema from "@/db/schema";
import { syncBuiltinRoles } from "@/db/seed/builtin-roles";

// The benchmark's own database on the server: created fresh (or an earlier one reused with --reuse),
// read through a pool set up as the app's, built through one with room for sorts and index builds.

export interface BenchDatabase {
  name: string;
  /** The app's settings: what the timed reads go through. */
  read: DatabaseConnection;
  /** Session settings for bulk loads: big sorts and index builds, no wait for WAL flushes. */
  build: Database;
  /** Drops the database unless it is to be kept. */
  close(options: { keep: boolean }): Promise<void>;
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function openBenchDatabase(serverUrl: string, reuse: string | null): Promise<BenchDatabase> {
  const name = reuse ?? `arbor_bench_consumption_${randomBytes(5).toString("hex")}`;
  if (!/^arbor_bench_consumption_[0-9a-f]+$/.test(name)) throw new Error(`--reuse takes a database this benchmark made (arbor_bench_consumption_…), not ${name}`);
  if (!reuse) await admin(serverUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const read = openServerDatabase(url.toString(), { max: 4 });
  const buildPool = new pg.Pool({
    connectionString: url.toString(),
    max: 2,
    options: "-c jit=off -c work_mem=512MB -c maintenance_work_mem=2GB -c synchronous_commit=off -c max_parallel_maintenance_workers=2",
  });
  const close = async ({ keep }: { keep: boolean }) => {
    await read.close();
    await buildPool.end();
    if (!keep) await admin(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
  };
  try {
    // A reused database gets the migrations added since it was built (a new roll-up fills itself there).
    await migrateDatabase(read);
    if (!reuse) await syncBuiltinRoles(read.db);
    await read.db.execute(sql`select 1`);
  } catch (error) {
    await close({ keep: false });
    throw error;
  }
  return { name, read, build: drizzle({ client: buildPool, schema }) as unknown as Database, close };
}

export interface DroppedConstraints {
  restore(): Promise<void>;
}

/**
 * Takes a table's primary key, foreign keys and indexes off for a bulk load and puts back exactly the
 * same definitions afterwards (read from the catalog, so the benchmark measures the real schema):
 * one index build and one validating join each instead of a lookup per row.
 */
export async function dropConstraints(db: Database, table: string): Promise<DroppedConstraints> {
  const rows = async <T>(query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  const constraints = await rows<{ name: string; type: string; definition: string }>(
    sql`select conname as name, contype as type, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = ${table}::regclass and contype in ('p', 'u', 'f') order by contype desc`,
  );
  const indexes = await rows<{ name: string; definition: string }>(
    sql`select indexname as name, indexdef as definition from pg_indexes
      where schemaname = 'public' and tablename = ${table} and indexname not in (select conname from pg_constraint where conrelid = ${table}::regclass)`,
  );
  // Foreign keys first ('f' sorts after 'p' and 'u', hence desc), then keys, then plain indexes.
  for (const constraint of constraints) await db.execute(sql.raw(`alter table "${table}" drop constraint "${constraint.name}"`));
  for (const index of indexes) await db.execute(sql.raw(`drop index "${index.name}"`));
  return {
    async restore() {
      for (const constraint of constraints.filter((entry) => entry.type !== "f")) {
        await db.execute(sql.raw(`alter table "${table}" add constraint "${constraint.name}" ${constraint.definition}`));
      }
      for (const index of indexes) await db.execute(sql.raw(index.definition));
      for (const constraint of constraints.filter((entry) => entry.type === "f")) {
        await db.execute(sql.raw(`alter table "${table}" add constraint "${constraint.name}" ${constraint.definition}`));
      }
    },
  };
}

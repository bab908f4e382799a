import type { Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DatabaseConnection } from "@/db/client";
import { CUSTOM_ROLE, type Dataset } from "./dataset";
import type { RoleKey } from "./generate-access";

/** What loading needs of a connection: plain queries and COPY ... FROM of CSV text, in one transaction. */
interface BulkSession {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  copy(table: string, columns: string[], chunks: Iterable<string>): Promise<void>;
}

const ROWS_PER_CHUNK = 20_000;

/**
 * Loads the dataset with COPY in one transaction, then VACUUM ANALYZE and a checkpoint, so that
 * measurements see a database in its steady state: statistics known, hint bits and the visibility
 * map set, no bulk-load writes still being flushed. Foreign-key triggers are switched off
 * for the transaction (session_replication_role = replica): the generator only produces consistent rows
 * and per-row RI checks would otherwise dominate the load time.
 */
export async function loadDataset(connection: DatabaseConnection, data: Dataset): Promise<void> {
  const load = async (session: BulkSession) => {
    await session.query("set local session_replication_role = replica");
    await copyAll(session, data);
  };
  if (connection.kind === "embedded") {
    await connection.client.transaction((tx) => load(pgliteSession(tx)));
    await connection.client.exec("vacuum analyze");
    await connection.client.exec("checkpoint");
  } else {
    await withServerTransaction(connection.client, load);
    await connection.client.query("vacuum analyze");
    await connection.client.query("checkpoint");
  }
}

async function copyAll(session: BulkSession, data: Dataset): Promise<void> {
  const { nodes, principals, assignments } = data;
  const account = nodes[0]!.id;
  await session.copy(
    "nodes",
    ["id", "account_id", "parent_id", "kind", "name", "slug", "path", "depth", "tags"],
    csv(nodes, (n) => [n.id, account, n.parent >= 0 ? nodes[n.parent]!.id : null, n.kind, n.name, n.slug, n.path, n.depth, `{${n.tags.join(",")}}`]),
  );
  const settings = nodes.flatMap((node) => node.settings.map((setting) => ({ node, setting })));
  await session.copy(
    "node_capabilities",
    ["account_id", "node_id", "capability", "expires_at"],
    csv(settings, ({ node, setting }) => [account, node.id, setting.capability, setting.expiresAt?.toISOString() ?? null]),
  );
  await session.copy(
    "principals",
    ["id", "account_id", "home_node_id", "kind", "email", "name", "status"],
    csv(principals, (p) => [p.id, account, nodes[p.home]!.id, "user", p.email, p.name, p.status]),
  );
  const roleIds = await roleIdsByKey(session, account);
  await session.copy(
    "role_assignments",
    ["id", "account_id", "principal_id", "node_id", "role_id", "expires_at", "source"],
    csv(assignments, (a) => [a.id, account, principals[a.principal]!.id, nodes[a.node]!.id, roleIds[a.role], a.expiresAt?.toISOString() ?? null, a.source]),
  );
}

/** Ids of the built-in roles (synced before loading) and of the custom role, created here. */
async function roleIdsByKey(session: BulkSession, account: string): Promise<Record<RoleKey, string>> {
  await session.query("insert into roles (account_id, key, name, permissions, builtin) values ($1, $2, $3, $4, false)", [
    account,
    CUSTOM_ROLE.key,
    CUSTOM_ROLE.name,
    CUSTOM_ROLE.permissions,
  ]);
  const rows = await session.query("select id, key from roles where account_id is null or account_id = $1", [account]);
  const ids = Object.fromEntries(rows.map((row) => [row.key as string, row.id as string]));
  for (const key of ["owner", "manager", "viewer", "auditor"]) if (!ids[key]) throw new Error(`role ${key} is missing`);
  return ids as Record<RoleKey, string>;
}

/**
 * CSV text in chunks. Every value the generator makes is a uuid, a slug, a plain name, an ISO time or
 * an array literal without commas or quotes, so no field needs quoting; null becomes an empty field.
 */
function* csv<T>(rows: readonly T[], fields: (row: T) => (string | number | null)[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    const lines: string[] = [];
    for (const row of rows.slice(start, start + ROWS_PER_CHUNK)) lines.push(fields(row).map((value) => value ?? "").join(","));
    yield `${lines.join("\n")}\n`;
  }
}

function pgliteSession(tx: PgliteTransaction): BulkSession {
  return {
    query: async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows,
    copy: async (table, columns, chunks) => {
      // PGlite reads COPY input from the blob passed with the query, as the file /dev/blob.
      for (const chunk of chunks) {
        await tx.query(`copy ${table} (${columns.join(", ")}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([chunk]) });
      }
    },
  };
}

async function withServerTransaction(pool: pg.Pool, work: (session: BulkSession) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  const session: BulkSession = {
    query: async (text, params) => (await client.query(text, params)).rows,
    copy: async (table, columns, chunks) => {
      const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin with (format csv)`));
      await pipeline(Readable.from(chunks), stream);
    },
  };
  try {
    await client.query("begin");
    await work(session);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

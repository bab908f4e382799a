import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { byteText, id, timestamps } from "./columns";

export const nodeKind = pgEnum("node_kind", ["account", "group", "organization"]);
export const nodeStatus = pgEnum("node_status", ["active", "suspended", "archived"]);

/**
 * The tenant tree. `path` is the materialized path of node ids from the account down to this node,
 * each followed by "/", so the subtree of P is every path in [P, P with its last "/" raised by one).
 */
export const nodes = pgTable(
  "nodes",
  {
    id: id(),
    accountId: uuid("account_id")
      .notNull()
      .references((): AnyPgColumn => nodes.id),
    parentId: uuid("parent_id").references((): AnyPgColumn => nodes.id),
    kind: nodeKind("kind").notNull(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    path: byteText("path").notNull(),
    depth: smallint("depth").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    status: nodeStatus("status").notNull().default("active"),
    ...timestamps(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("nodes_account_slug_key").on(t.accountId, t.slug),
    uniqueIndex("nodes_account_path_key").on(t.accountId, t.path),
    // A node's children in the tree's order (groups, then organizations, by name): a page of a group
    // with ten thousand organizations is read from the index, not sorted.
    index("nodes_account_parent_order_idx").on(t.accountId, t.parentId, t.kind, sql`lower(${t.name})`, t.id),
    // Each assignment's node path for loadAuthContext, from the index alone: migration 0004 adds
    // INCLUDE (path), which drizzle cannot declare.
    uniqueIndex("nodes_account_id_cover_key").on(t.accountId, t.id),
    index("nodes_tags_idx").using("gin", t.tags),
    check("nodes_root_is_account", sql`(${t.kind} = 'account') = (${t.parentId} is null)`),
    check("nodes_account_is_own", sql`${t.kind} <> 'account' or ${t.accountId} = ${t.id}`),
    check("nodes_depth_range", sql`${t.depth} between 0 and 9`),
    check("nodes_slug_format", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check("nodes_name_present", sql`length(btrim(${t.name})) between 1 and 200`),
  ],
);

/** The account a row of tenant data belongs to: on every such table, so that queries and shards follow it. */
export const accountIdColumn = () =>
  uuid("account_id")
    .notNull()
    .references(() => nodes.id);

export type Node = typeof nodes.$inferSelect;
export type NewNode = typeof nodes.$inferInsert;
export type NodeKind = (typeof nodeKind.enumValues)[number];
export type NodeStatus = (typeof nodeStatus.enumValues)[number];

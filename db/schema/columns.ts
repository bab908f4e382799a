import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Text compared byte by byte. Materialized paths use it so that "a node and everything below it"
 * is one range scan on an ordinary b-tree index, whatever the database's default collation.
 */
export const byteText = customType<{ data: string }>({
  dataType: () => 'text COLLATE "C"',
});

export const id = () => uuid("id").primaryKey().defaultRandom();

export const timestamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

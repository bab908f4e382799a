import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./tenants";

/** Append-only record of every change, sign-in and denial; a trigger refuses updates and deletes. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountIdColumn(),
    actorId: uuid("actor_id"),
    actingAs: text("acting_as"),
    nodeId: uuid("node_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    summary: jsonb("summary").$type<{ before?: unknown; after?: unknown }>().notNull().default({}),
    address: text("address"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_account_time_idx").on(t.accountId, t.createdAt),
    index("audit_events_account_node_idx").on(t.accountId, t.nodeId),
    index("audit_events_account_actor_idx").on(t.accountId, t.actorId),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;

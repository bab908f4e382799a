import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { principals } from "./principals";
import { accountIdColumn } from "./tenants";

/**
 * An API client's credentials. The client itself is a principal of kind "api_client" (its name, home
 * node, status and role assignments live there), so the authorization library treats it like a user.
 */
export const apiClients = pgTable(
  "api_clients",
  {
    principalId: uuid("principal_id")
      .primaryKey()
      .references(() => principals.id, { onDelete: "cascade" }),
    accountId: accountIdColumn(),
    /** The public half of the credentials, sent as `client_id`. */
    clientId: text("client_id").notNull(),
    /** SHA-256 of a 256-bit random secret: a slow password hash adds nothing against that much entropy. */
    secretHash: text("secret_hash").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_clients_client_id_key").on(t.clientId), index("api_clients_account_idx").on(t.accountId)],
);

/** Bearer tokens issued to clients, stored as hashes, valid until `expires_at` (one hour at most). */
export const apiTokens = pgTable(
  "api_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    accountId: accountIdColumn(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("api_tokens_principal_idx").on(t.accountId, t.principalId)],
);

/**
 * One row per (client, Idempotency-Key) of a POST: the request's hash while it runs, then the answer
 * it gave, which a replay returns unchanged.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    accountId: accountIdColumn(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    /** Null while the first request runs. */
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    /** The ETag the first answer carried, which a replay carries too. */
    responseEtag: text("response_etag"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.key] }), index("api_idempotency_keys_account_idx").on(t.accountId)],
);

export type ApiClient = typeof apiClients.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type ApiIdempotencyKey = typeof apiIdempotencyKeys.$inferSelect;

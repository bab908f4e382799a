import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { accountIdColumn, nodes } from "./tenants";

export const principalKind = pgEnum("principal_kind", ["user", "api_client"]);
export const principalStatus = pgEnum("principal_status", ["invited", "active", "disabled"]);

/** Users and API clients. Both hold role assignments and follow the same rules. */
export const principals = pgTable(
  "principals",
  {
    id: id(),
    accountId: accountIdColumn(),
    homeNodeId: uuid("home_node_id")
      .notNull()
      .references(() => nodes.id),
    kind: principalKind("kind").notNull(),
    email: text("email"),
    name: text("name").notNull(),
    status: principalStatus("status").notNull().default("invited"),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    /** Raised to end every session of the principal at once (sign out everywhere, reset, disable). */
    sessionVersion: integer("session_version").notNull().default(1),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("principals_email_key").on(sql`lower(${t.email})`),
    index("principals_account_idx").on(t.accountId),
    index("principals_home_node_idx").on(t.accountId, t.homeNodeId),
    // The members table sorts an account's principals server-side: one index per sortable column.
    index("principals_account_name_idx").on(t.accountId, t.name, t.id),
    index("principals_account_email_idx").on(t.accountId, t.email, t.id),
    index("principals_account_status_idx").on(t.accountId, t.status, t.name, t.id),
    index("principals_account_last_sign_in_idx").on(t.accountId, t.lastSignInAt.desc().nullsLast(), t.id.desc()),
    check("principals_user_has_email", sql`(${t.kind} = 'user') = (${t.email} is not null)`),
    check("principals_name_present", sql`length(btrim(${t.name})) between 1 and 200`),
  ],
);

/** A local user's password (argon2id). Users of an external IdP have none. */
export const localCredentials = pgTable(
  "local_credentials",
  {
    principalId: uuid("principal_id")
      .primaryKey()
      .references(() => principals.id, { onDelete: "cascade" }),
    accountId: accountIdColumn(),
    passwordHash: text("password_hash").notNull(),
    ...timestamps(),
  },
  (t) => [index("local_credentials_account_idx").on(t.accountId)],
);

export type Principal = typeof principals.$inferSelect;
export type NewPrincipal = typeof principals.$inferInsert;
export type PrincipalStatus = (typeof principalStatus.enumValues)[number];

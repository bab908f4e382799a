import { bigint, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { principals } from "./principals";
import { accountIdColumn } from "./tenants";

export const sessionStage = pgEnum("session_stage", ["password", "second_factor", "complete"]);

/**
 * Server-side sessions: the signed cookie only names one of these, so signing out, signing out
 * everywhere, a reset or a disabled user ends the session on the very next request.
 */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: id(),
    accountId: accountIdColumn(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    /** password: only the second step may follow; second_factor: verified, awaiting its new token. */
    stage: sessionStage("stage").notNull(),
    sessionVersion: integer("session_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    address: text("address"),
    userAgent: text("user_agent"),
  },
  (t) => [index("auth_sessions_principal_idx").on(t.accountId, t.principalId)],
);

/** A local user's TOTP secret (encrypted), confirmed once the first code is entered. */
export const totpCredentials = pgTable("totp_credentials", {
  principalId: uuid("principal_id")
    .primaryKey()
    .references(() => principals.id, { onDelete: "cascade" }),
  accountId: accountIdColumn(),
  secretCiphertext: text("secret_ciphertext").notNull(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  /** The last 30-second step whose code was accepted: no code is used twice. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Single-use recovery codes, stored as hashes. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: id(),
    accountId: accountIdColumn(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("recovery_codes_principal_idx").on(t.accountId, t.principalId)],
);

/** Failed attempts per key (an email, a principal or a client address) in a fixed window. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  failures: integer("failures").notNull(),
});

export type AuthSession = typeof authSessions.$inferSelect;

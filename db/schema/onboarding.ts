import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { principals } from "./principals";
import { roles } from "./access";
import { accountIdColumn, nodes } from "./tenants";

export const invitationStatus = pgEnum("invitation_status", ["pending", "accepted", "declined", "revoked"]);

/** An invitation of an email to a role on a node; the link carries a token stored only as its hash. */
export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    accountId: accountIdColumn(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    invitedBy: uuid("invited_by"),
    tokenHash: text("token_hash").notNull(),
    status: invitationStatus("status").notNull().default("pending"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invitations_token_key").on(t.tokenHash),
    index("invitations_account_node_idx").on(t.accountId, t.nodeId),
    index("invitations_account_principal_idx").on(t.accountId, t.principalId),
  ],
);

/** An admin-triggered password reset: a single-use link, valid 30 minutes, stored only as its hash. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: id(),
    accountId: accountIdColumn(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by"),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("password_resets_token_key").on(t.tokenHash), index("password_resets_principal_idx").on(t.accountId, t.principalId)],
);

/** Mail kept in the database when no SMTP server is configured, readable at /dev/outbox. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: id(),
    accountId: uuid("account_id").references(() => nodes.id),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mail_outbox_created_idx").on(t.createdAt)],
);

/** An account's external OIDC identity provider (needs the `sso` capability). */
export const identityProviders = pgTable(
  "identity_providers",
  {
    id: id(),
    accountId: accountIdColumn(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretCiphertext: text("client_secret_ciphertext").notNull(),
    /** The claim of the ID token (or userinfo) whose values the mapping rules match. */
    rolesClaim: text("roles_claim").notNull().default("roles"),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [uniqueIndex("identity_providers_account_key").on(t.accountId)],
);

/** claim value -> (node, role): applied again at every sign-in through the provider. */
export const idpRoleMappings = pgTable(
  "idp_role_mappings",
  {
    id: id(),
    accountId: accountIdColumn(),
    providerId: uuid("provider_id")
      .notNull()
      .references(() => identityProviders.id, { onDelete: "cascade" }),
    claimValue: text("claim_value").notNull(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("idp_role_mappings_rule_key").on(t.providerId, t.claimValue, t.nodeId), index("idp_role_mappings_account_idx").on(t.accountId)],
);

/** A user provisioned by an external IdP, keyed by (issuer, subject). */
export const externalIdentities = pgTable(
  "external_identities",
  {
    id: id(),
    accountId: accountIdColumn(),
    providerId: uuid("provider_id")
      .notNull()
      .references(() => identityProviders.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("external_identities_issuer_subject_key").on(t.issuer, t.subject), index("external_identities_account_idx").on(t.accountId)],
);

export type Invitation = typeof invitations.$inferSelect;
export type IdentityProvider = typeof identityProviders.$inferSelect;
export type IdpRoleMapping = typeof idpRoleMappings.$inferSelect;

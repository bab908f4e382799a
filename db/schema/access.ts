import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { principals } from "./principals";
import { accountIdColumn, nodes } from "./tenants";

export const assignmentSource = pgEnum("assignment_source", ["direct", "invitation", "idp"]);
export const capability = pgEnum("capability", ["flex", "assets", "policies", "sso", "api", "reseller"]);

const NO_ACCOUNT = sql.raw("'00000000-0000-0000-0000-000000000000'::uuid");

/** Built-in roles (no account) and each account's custom permission profiles. */
export const roles = pgTable(
  "roles",
  {
    id: id(),
    accountId: uuid("account_id").references(() => nodes.id),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull(),
    builtin: boolean("builtin").notNull().default(false),
    ...timestamps(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    // Built-in roles have no account: coalesce so that their keys and names are unique too.
    uniqueIndex("roles_account_key_key").on(sql`coalesce(${t.accountId}, ${NO_ACCOUNT})`, t.key),
    uniqueIndex("roles_account_name_key").on(sql`coalesce(${t.accountId}, ${NO_ACCOUNT})`, sql`lower(${t.name})`),
    check("roles_builtin_has_no_account", sql`${t.builtin} = (${t.accountId} is null)`),
  ],
);

/** A role held by a principal on a node and everything below it. */
export const roleAssignments = pgTable(
  "role_assignments",
  {
    id: id(),
    accountId: accountIdColumn(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    source: assignmentSource("source").notNull().default("direct"),
    createdBy: uuid("created_by"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("role_assignments_principal_node_key").on(t.principalId, t.nodeId),
    // loadAuthContext reads a principal's assignments from this index alone: migration 0004 adds
    // INCLUDE (id, node_id, role_id, expires_at, source), which drizzle cannot declare.
    index("role_assignments_account_principal_cover_idx").on(t.accountId, t.principalId),
    index("role_assignments_account_node_idx").on(t.accountId, t.nodeId),
    index("role_assignments_role_idx").on(t.roleId),
  ],
);

/** Services a node may use; a child only effectively has what every ancestor has. */
export const nodeCapabilities = pgTable(
  "node_capabilities",
  {
    accountId: accountIdColumn(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id, { onDelete: "cascade" }),
    capability: capability("capability").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.capability] }), index("node_capabilities_account_idx").on(t.accountId)],
);

export type Role = typeof roles.$inferSelect;
export type NewRole = typeof roles.$inferInsert;
export type RoleAssignment = typeof roleAssignments.$inferSelect;
export type NewRoleAssignment = typeof roleAssignments.$inferInsert;
export type AssignmentSource = (typeof assignmentSource.enumValues)[number];
export type NodeCapability = typeof nodeCapabilities.$inferSelect;

import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { accountIdColumn, nodes } from "./tenants";

/** Points and money: exact decimals, read as numbers (a day's points never need more than 4 decimals). */
const points = (name: string) => numeric(name, { precision: 14, scale: 4, mode: "number" });

/** The account's consumption program (SPEC §7): what a point costs and the day each statement closes. */
export const flexPrograms = pgTable(
  "flex_programs",
  {
    accountId: accountIdColumn().primaryKey(),
    pointPrice: numeric("point_price", { precision: 12, scale: 4, mode: "number" }).notNull(),
    currency: text("currency").notNull().default("USD"),
    /** Statements cover [billing day of a month, billing day of the next month). */
    billingDay: smallint("billing_day").notNull().default(1),
    ...timestamps(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    check("flex_programs_billing_day_range", sql`${t.billingDay} between 1 and 28`),
    check("flex_programs_point_price_positive", sql`${t.pointPrice} > 0`),
    check("flex_programs_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * The account's product catalog. `priceTable` holds the parameters a configuration of this type
 * chooses and the points per day each choice costs (validated by lib/consumption's zod schema).
 */
export const flexProducts = pgTable(
  "flex_products",
  {
    id: id(),
    accountId: accountIdColumn(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    priceTable: jsonb("price_table").notNull(),
    ...timestamps(),
  },
  (t) => [uniqueIndex("flex_products_account_key_key").on(t.accountId, t.key)],
);

/** A product type with chosen parameters, owned by one organization and invisible elsewhere. */
export const flexConfigurations = pgTable(
  "flex_configurations",
  {
    id: id(),
    accountId: accountIdColumn(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    productId: uuid("product_id")
      .notNull()
      .references(() => flexProducts.id),
    name: text("name").notNull(),
    parameters: jsonb("parameters").notNull(),
    /** Computed from the price table when the configuration is created or changed. */
    pointsPerDay: points("points_per_day").notNull(),
    ...timestamps(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("flex_configurations_node_idx").on(t.accountId, t.nodeId)],
);

export const entitlementStatus = pgEnum("entitlement_status", ["pending", "active", "stopped", "expired"]);

/** An instance of a configuration: a serial number that accrues points on its active days. */
export const entitlements = pgTable(
  "entitlements",
  {
    id: id(),
    accountId: accountIdColumn(),
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    configurationId: uuid("configuration_id")
      .notNull()
      .references(() => flexConfigurations.id),
    serialNumber: text("serial_number").notNull(),
    description: text("description").notNull().default(""),
    status: entitlementStatus("status").notNull().default("pending"),
    startDate: date("start_date"),
    endDate: date("end_date"),
    ...timestamps(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("entitlements_account_serial_key").on(t.accountId, t.serialNumber),
    index("entitlements_node_idx").on(t.accountId, t.nodeId, t.status),
    index("entitlements_configuration_idx").on(t.configurationId),
    check("entitlements_dates_ordered", sql`${t.endDate} is null or ${t.startDate} is null or ${t.endDate} >= ${t.startDate}`),
  ],
);

/**
 * The periods an entitlement was stopped: it accrues through `stoppedOn` and again from
 * `reactivatedOn` (null while it stays stopped), so usage for the days between is refused.
 */
export const entitlementStops = pgTable(
  "entitlement_stops",
  {
    entitlementId: uuid("entitlement_id")
      .notNull()
      .references(() => entitlements.id),
    stoppedOn: date("stopped_on").notNull(),
    accountId: accountIdColumn(),
    reactivatedOn: date("reactivated_on"),
  },
  (t) => [
    primaryKey({ columns: [t.entitlementId, t.stoppedOn] }),
    check("entitlement_stops_ordered", sql`${t.reactivatedOn} is null or ${t.reactivatedOn} >= ${t.stoppedOn}`),
  ],
);

/**
 * Raw usage: points per entitlement per day, idempotent by (entitlement, day). The largest table
 * (tens of millions of rows), so it is kept narrow and pages never scan it: they read the roll-ups.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    entitlementId: uuid("entitlement_id")
      .notNull()
      .references(() => entitlements.id),
    day: date("day").notNull(),
    /** No foreign keys but the entitlement's: the entitlement fixes the account and the organization, and
     * each further key would be checked on every one of tens of millions of rows. */
    accountId: uuid("account_id").notNull(),
    /** The organization that owns the entitlement. */
    nodeId: uuid("node_id").notNull(),
    points: points("points").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entitlementId, t.day] }),
    check("usage_daily_points_non_negative", sql`${t.points} >= 0`),
  ],
);

/**
 * Usage summed per node (the owning organization and every ancestor), day and product, kept current
 * in the same transaction as the usage that changes it and moved with a node when the node moves.
 */
export const consumptionDaily = pgTable(
  "consumption_daily",
  {
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    day: date("day").notNull(),
    productId: uuid("product_id")
      .notNull()
      .references(() => flexProducts.id),
    accountId: accountIdColumn(),
    points: points("points").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.day, t.productId] }),
    // Migration 0008 adds INCLUDE (node_id, points), which drizzle cannot declare: sums over many nodes
    // for a range of days (top consumers, the statement) are index-only scans.
    index("consumption_daily_account_day_idx").on(t.accountId, t.day),
  ],
);

/** The same roll-up per calendar month (first day of the month). */
export const consumptionMonthly = pgTable(
  "consumption_monthly",
  {
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    month: date("month").notNull(),
    productId: uuid("product_id")
      .notNull()
      .references(() => flexProducts.id),
    accountId: accountIdColumn(),
    points: points("points").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.month, t.productId] }),
    // INCLUDE (node_id, points) in migration 0008, as for the daily roll-up.
    index("consumption_monthly_account_month_idx").on(t.accountId, t.month),
    check("consumption_monthly_first_day", sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * Each organization's OWN points (its entitlements' usage, not its customers') to date: the sum of
 * every day up to and including `day`. Dense: a row for every day from the organization's first usage
 * to the account's latest day with usage (the frontier), so that every organization's figure at a day
 * sits together in the (account, day) index and a range is the figures at its end less those before
 * its start — two index ranges of one entry per organization, whatever the range. Not split by product
 * and not moved with the tree: an organization's own usage stays its own wherever it sits.
 */
export const consumptionOwnToDate = pgTable(
  "consumption_own_to_date",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => nodes.id),
    day: date("day").notNull(),
    accountId: accountIdColumn(),
    /** Grows without bound over the years, hence wider than a day's points. */
    pointsToDate: numeric("points_to_date", { precision: 20, scale: 4, mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.day] }),
    // Migration 0010 adds INCLUDE (organization_id, points_to_date): every organization at a day, index-only.
    index("consumption_own_to_date_account_day_idx").on(t.accountId, t.day),
  ],
);

/** A node's budget for a calendar month, in points. */
export const budgets = pgTable(
  "budgets",
  {
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    month: date("month").notNull(),
    accountId: accountIdColumn(),
    points: points("points").notNull(),
    ...timestamps(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.month] }),
    index("budgets_account_month_idx").on(t.accountId, t.month),
    check("budgets_first_day", sql`extract(day from ${t.month}) = 1`),
    check("budgets_points_positive", sql`${t.points} > 0`),
  ],
);

/** A budget threshold (80 or 100 percent) crossed: at most one row, so one alert, per threshold and month. */
export const budgetAlerts = pgTable(
  "budget_alerts",
  {
    nodeId: uuid("node_id")
      .notNull()
      .references(() => nodes.id),
    month: date("month").notNull(),
    threshold: smallint("threshold").notNull(),
    accountId: accountIdColumn(),
    budgetPoints: points("budget_points").notNull(),
    actualPoints: points("actual_points").notNull(),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.month, t.threshold] }),
    index("budget_alerts_account_month_idx").on(t.accountId, t.month),
    check("budget_alerts_threshold_known", sql`${t.threshold} in (80, 100)`),
  ],
);

export type FlexProgram = typeof flexPrograms.$inferSelect;
export type FlexProduct = typeof flexProducts.$inferSelect;
export type FlexConfiguration = typeof flexConfigurations.$inferSelect;
export type Entitlement = typeof entitlements.$inferSelect;
export type EntitlementStop = typeof entitlementStops.$inferSelect;
export type EntitlementStatus = (typeof entitlementStatus.enumValues)[number];
export type UsageDay = typeof usageDaily.$inferSelect;
export type Budget = typeof budgets.$inferSelect;
export type BudgetAlert = typeof budgetAlerts.$inferSelect;

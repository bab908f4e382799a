import { z } from "zod";
import { isCalendarDay } from "./calendar";
import { ENTITLEMENT_TRANSITIONS } from "./transitions";

// Input of the consumption services (issue 7). Not "server-only": forms may validate with the same schemas.

const id = z.uuid("Not a valid id.");
const expectedVersion = z.coerce.number().int().positive().optional();
const name = z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.");

/** A calendar day as YYYY-MM-DD that exists (no 2025-02-30). */
const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Write the day as YYYY-MM-DD.")
  .refine(isCalendarDay, "Not a day of the calendar.");

/** Whether a number has at most four decimals, as every points and price column stores. */
function hasAtMostFourDecimals(value: number): boolean {
  return Math.abs(value * 10_000 - Math.round(value * 10_000)) < 1e-6;
}

const pointsValue = (max: number) =>
  z
    .number({ error: "Enter a number." })
    .finite("Enter a number.")
    .min(0, "Points cannot be negative.")
    .max(max, `Use at most ${max.toLocaleString("en")} points.`)
    .refine(hasAtMostFourDecimals, "Use at most four decimals.");

// ---- Price tables --------------------------------------------------------------------------------

const parameterKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Parameter keys are lowercase letters, digits and underscores.");
const label = z.string().trim().min(1, "Enter a label.").max(80, "Use at most 80 characters.");

const choiceParameter = z.object({
  kind: z.literal("choice"),
  key: parameterKey,
  label,
  choices: z
    .array(
      z.object({
        value: z.string().trim().min(1).max(40),
        label,
        /** Points per day this choice adds. */
        points: pointsValue(100_000).default(0),
        /** What this choice multiplies the day's points by (a service bundle over the vCPU count). */
        factor: z.number().positive("A factor is above zero.").max(100).default(1),
      }),
    )
    .min(1, "Offer at least one choice.")
    .max(50, "Offer at most 50 choices.")
    .refine((choices) => new Set(choices.map((choice) => choice.value)).size === choices.length, "Each choice needs its own value."),
});

const quantityParameter = z
  .object({
    kind: z.literal("quantity"),
    key: parameterKey,
    label,
    unit: z.string().trim().min(1).max(40),
    min: z.number().int().min(0),
    max: z.number().int().max(1_000_000),
    step: z.number().int().min(1).default(1),
    /** Points per day for each unit. */
    pointsPerUnit: pointsValue(10_000),
  })
  .refine((parameter) => parameter.min <= parameter.max, { message: "The minimum is above the maximum.", path: ["min"] });

const priceParameter = z.discriminatedUnion("kind", [choiceParameter, quantityParameter]);

/**
 * A product's price table: points per day = (base + the points of each choice + units × points per
 * unit of each quantity) × the factor of each choice, rounded to four decimals.
 */
export const priceTable = z.object({
  /** The first letters of the product's serial numbers (FGVMML for a FortiGate VM). */
  serialPrefix: z.string().regex(/^[A-Z0-9]{4,8}$/, "A serial prefix is 4 to 8 capital letters or digits."),
  basePoints: pointsValue(100_000).default(0),
  parameters: z
    .array(priceParameter)
    .max(10, "Use at most 10 parameters.")
    .refine((parameters) => new Set(parameters.map((parameter) => parameter.key)).size === parameters.length, "Each parameter needs its own key."),
});

export type PriceTable = z.output<typeof priceTable>;
export type PriceParameter = z.output<typeof priceParameter>;

/** A configuration's chosen parameters: a choice's value, or a quantity (a number, or digits from a form). */
const parameterValues = z.record(parameterKey, z.union([z.string().trim().max(40), z.number()]), { error: "Give the parameters as an object." });

export type ParameterValues = z.output<typeof parameterValues>;

// ---- Program and catalog ------------------------------------------------------------------------

export const nodeIdInput = z.object({ nodeId: id });

export const setProgramInput = z.object({
  nodeId: id,
  pointPrice: z.coerce
    .number({ error: "Enter a price." })
    .positive("A point costs more than nothing.")
    .max(1_000_000, "Use at most 1,000,000.")
    .refine(hasAtMostFourDecimals, "Use at most four decimals."),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD."),
  billingDay: z.coerce.number({ error: "Enter a day." }).int("Enter a whole day.").min(1, "Use a day from 1 to 28.").max(28, "Use a day from 1 to 28."),
  expectedVersion,
});

export const saveProductInput = z.object({
  nodeId: id,
  key: z.string().trim().toLowerCase().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens.").max(63),
  name,
  priceTable,
});

// ---- Configurations -----------------------------------------------------------------------------

export const createConfigurationInput = z.object({ nodeId: id, productId: id, name, parameters: parameterValues });
export const updateConfigurationInput = z
  .object({ configurationId: id, name: name.optional(), parameters: parameterValues.optional(), expectedVersion })
  .refine((input) => input.name !== undefined || input.parameters !== undefined, "Change the name or the parameters.");
export const configurationIdInput = z.object({ configurationId: id });
const page = z.coerce.number({ error: "Not a page number." }).int().min(1, "Pages start at 1.").max(100_000).default(1);
const pageSize = z.coerce.number({ error: "Not a page size." }).int().min(1, "Show at least one.").max(500, "Show at most 500 a page.").default(50);

export const configurationListInput = z.object({ nodeId: id, productId: id.optional(), page, pageSize });

// ---- Entitlements -------------------------------------------------------------------------------

export const createEntitlementsInput = z.object({
  configurationId: id,
  count: z.coerce.number().int("Enter a whole number.").min(1, "Create at least one.").max(100, "Create at most 100 at a time.").default(1),
  description: z.string().trim().max(500, "Use at most 500 characters.").default(""),
});

export const transitionEntitlementInput = z.object({
  entitlementId: id,
  transition: z.enum(Object.keys(ENTITLEMENT_TRANSITIONS) as [keyof typeof ENTITLEMENT_TRANSITIONS], { error: "Activate, stop, reactivate or expire." }),
  /** The start day when activating, the last active day when stopping or expiring, the first again when reactivating; today when left out. */
  day: isoDay.optional(),
  expectedVersion,
});

export const entitlementIdInput = z.object({ entitlementId: id });

export const ENTITLEMENT_SORTS = ["serialNumber", "status", "organization", "product", "pointsPerDay", "startDate", "endDate", "createdAt"] as const;
export type EntitlementSort = (typeof ENTITLEMENT_SORTS)[number];

const blankToUndefined = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal("")]).optional().transform((value) => (value === "" ? undefined : value));

export const entitlementListInput = z.object({
  nodeId: id,
  status: blankToUndefined(z.enum(["pending", "active", "stopped", "expired"], { error: "Not a status." })),
  configurationId: blankToUndefined(id),
  productId: blankToUndefined(id),
  /** Part of a serial number (case-insensitive). */
  q: blankToUndefined(z.string().trim().max(40, "Use at most 40 characters.")),
  sort: z.enum(ENTITLEMENT_SORTS, { error: "Not a column to sort by." }).default("serialNumber"),
  dir: z.enum(["asc", "desc"], { error: "Sort ascending or descending." }).default("asc"),
  /** Keyset paging (the API); when given, `page` is ignored. */
  cursor: blankToUndefined(z.string().max(500)),
  /** Offset paging (the portal's table). */
  page,
  pageSize,
});

export type EntitlementListInput = z.input<typeof entitlementListInput>;

// ---- Usage --------------------------------------------------------------------------------------

/** The most rows one call (or one CSV file) records: a batch is a handful of statements whatever its size. */
export const MAX_USAGE_ROWS = 50_000;
/** The most bytes of a usage CSV file, the portal's upload and the API's alike. */
export const MAX_USAGE_CSV_BYTES = 5 * 1024 * 1024;
/** The most bytes of a JSON usage batch: room for the most rows with long identifiers. */
export const MAX_USAGE_BODY_BYTES = 8 * 1024 * 1024;
/** The most points one entitlement accrues in a day. */
export const MAX_DAILY_POINTS = 100_000;

/** A row as it arrives; each field is checked by the ingest, which reports every bad row with its reason. */
const usageRowInput = z.object({
  serialNumber: z.string().max(100).optional(),
  entitlementId: z.string().max(100).optional(),
  day: z.string().max(100),
  points: z.union([z.number(), z.string().max(100)]),
});

export type UsageRowInput = z.output<typeof usageRowInput>;

export const recordUsageInput = z.object({
  nodeId: id,
  rows: z
    .array(usageRowInput, { error: "Give the rows as a list." })
    .min(1, "Send at least one row.")
    .max(MAX_USAGE_ROWS, `Send at most ${MAX_USAGE_ROWS.toLocaleString("en")} rows at a time.`),
});

/** A flag from JSON, a query string or a form. */
const flag = z.union([z.boolean(), z.enum(["true", "false", "on"]).transform((value) => value !== "false")]).default(false);

export const importUsageCsvInput = z.object({
  nodeId: id,
  csv: z.string(),
  /** Import the valid rows of a file that has bad ones (otherwise such a file imports nothing). */
  importValidRows: flag,
  /** Check the file and count what importing it would do, writing nothing. */
  dryRun: flag,
});

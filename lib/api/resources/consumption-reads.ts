import { z } from "zod";
import { calendarMonth, listBudgetsInput, seriesInput, setBudgetInput, topConsumersInput } from "@/lib/consumption/read-inputs";
import { importUsageCsvInput, MAX_USAGE_BODY_BYTES, MAX_USAGE_CSV_BYTES, MAX_USAGE_ROWS, recordUsageInput } from "@/lib/consumption/schemas";
import { USAGE_CSV_HEADER } from "@/lib/consumption/usage-csv";
import { defineOperation } from "../operation";
import { idParams, timestamp } from "./common";

// Usage import, the dashboard's reads (from the roll-ups) and budgets, all on a node.

const nodeRef = z.object({ id: z.uuid(), name: z.string() });

export const usageReportSchema = z
  .object({
    inserted: z.number().int().meta({ description: "Rows for an (entitlement, day) that had no usage." }),
    replaced: z.number().int().meta({ description: "Rows whose points replaced different points." }),
    unchanged: z.number().int().meta({ description: "Rows that repeated the points already recorded." }),
    rejected: z.number().int(),
    valid: z.number().int(),
    dryRun: z.boolean().meta({ description: "A dry run: the counts say what recording the valid rows would do, and nothing was written." }),
    errors: z.array(z.object({ index: z.number().int().meta({ description: "The row's position in `rows`, from 0." }), reason: z.string() })),
    imported: z.boolean(),
  })
  .meta({ id: "UsageReport" });

export const recordUsage = defineOperation({
  operationId: "recordUsage",
  method: "POST",
  path: "/nodes/{id}/usage",
  tag: "Consumption",
  summary: "Record daily usage of the node's entitlements, idempotent by (entitlement, day)",
  description:
    `Up to ${MAX_USAGE_ROWS.toLocaleString("en")} rows of a serial number (or entitlement id), a day and points; a row for an (entitlement, day) that has usage replaces it. ` +
    "A batch with bad rows records nothing and answers 400, each bad row in `errors` as `rows.<index>` with its reason; with `importValidRows` the valid rows are recorded and the bad ones listed in the report. " +
    "Bad rows answer 400 like every other invalid input of this API (a malformed row and a row for a day its entitlement was stopped alike); 422 is kept for an Idempotency-Key reused with another body.",
  permission: "entitlement.manage",
  maxBodyBytes: MAX_USAGE_BODY_BYTES,
  params: idParams,
  body: z.object({
    rows: recordUsageInput.shape.rows,
    importValidRows: z.boolean().default(false).meta({ description: "Record the valid rows of a batch that has bad ones." }),
    dryRun: z.boolean().default(false).meta({ description: "Check every row and answer 200 with what recording would do (bad rows listed), writing nothing." }),
  }),
  response: { status: 200, schema: usageReportSchema, description: "What was recorded." },
});

export const importUsageCsv = defineOperation({
  operationId: "importUsageCsv",
  method: "POST",
  path: "/nodes/{id}/usage/import",
  tag: "Consumption",
  summary: "Import a usage CSV file, as the portal's upload does",
  description:
    `A text/csv body of at most ${MAX_USAGE_CSV_BYTES / 1024 / 1024} MB: the header \`${USAGE_CSV_HEADER.join(",")}\`, then a row per entitlement and day. ` +
    "The report lists every bad row by its line in the file (the header is line 1); a file with bad rows imports nothing (`imported: false`) unless `importValidRows=true`. " +
    "A file that is not CSV or has no header is refused whole (400); one larger than the limit is refused with 413.",
  permission: "entitlement.manage",
  maxBodyBytes: MAX_USAGE_CSV_BYTES,
  params: idParams,
  query: z.object({
    importValidRows: importUsageCsvInput.shape.importValidRows.meta({ description: "Import the valid rows of a file that has bad ones." }),
    dryRun: importUsageCsvInput.shape.dryRun.meta({ description: "Check the file and report what importing it would do (`dryRun: true`), writing nothing." }),
  }),
  body: z.string().meta({ description: "The CSV file." }),
  bodyFormat: "csv",
  response: {
    status: 200,
    schema: usageReportSchema
      .extend({ errors: z.array(z.object({ line: z.number().int().meta({ description: "The row's line in the file." }), reason: z.string() })) })
      .meta({ id: "UsageImportReport" }),
    description: "What was imported, and every bad row by line.",
  },
});

// The services check ranges (order, length) and answer 400 with the field; the queries here take the fields' own rules.
const { nodeId: _seriesNode, ...seriesFields } = seriesInput.in.shape;
const { nodeId: _topNode, ...topFields } = topConsumersInput.shape;

export const series = defineOperation({
  operationId: "getConsumptionSeries",
  method: "GET",
  path: "/nodes/{id}/consumption/series",
  tag: "Consumption",
  summary: "Points of a node by day or month over a range, in total, by child node or by product",
  description: "`from` and `to` are days (YYYY-MM-DD) for `granularity=day`, months (YYYY-MM) for `month`. By child, the `top` children of the range have a line each and the rest are summed as `others`.",
  permission: "consumption.read",
  params: idParams,
  query: z.object(seriesFields),
  response: {
    status: 200,
    schema: z
      .object({
        node: nodeRef.extend({ kind: z.enum(["account", "group", "organization"]) }),
        granularity: z.enum(["day", "month"]),
        from: z.string(),
        to: z.string(),
        split: z.enum(["total", "child", "product"]),
        lines: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(["total", "node", "product", "others"]), total: z.number() })),
        points: z.array(z.object({ period: z.string(), values: z.record(z.string(), z.number()), total: z.number(), budget: z.number().nullable() })),
      })
      .meta({ id: "ConsumptionSeries" }),
    description: "One point per day or month of the range, zeros included.",
  },
  etag: "read",
});

export const topConsumers = defineOperation({
  operationId: "getTopConsumers",
  method: "GET",
  path: "/nodes/{id}/consumption/top-consumers",
  tag: "Consumption",
  summary: "The organizations under a node that consumed the most over a range of days",
  permission: "consumption.read",
  params: idParams,
  query: z.object(topFields),
  response: {
    status: 200,
    schema: z
      .object({
        node: nodeRef,
        from: z.string(),
        to: z.string(),
        total: z.number(),
        consumers: z.array(z.object({ organizationId: z.uuid(), name: z.string(), slug: z.string(), points: z.number(), share: z.number().meta({ description: "Percent of `total`." }) })),
      })
      .meta({ id: "TopConsumers" }),
    description: "The top consumers, most first.",
  },
  etag: "read",
});

export const monthSummary = defineOperation({
  operationId: "getConsumptionSummary",
  method: "GET",
  path: "/nodes/{id}/consumption/summary",
  tag: "Consumption",
  summary: "The current month at a node: actual, forecast to the month's end, budget",
  permission: "consumption.read",
  params: idParams,
  response: {
    status: 200,
    schema: z
      .object({
        node: nodeRef,
        month: z.string(),
        actual: z.number(),
        throughDay: z.string().nullable(),
        forecast: z.object({ points: z.number(), dailyAverage: z.number(), remainingDays: z.number().int(), method: z.string() }),
        budget: z.object({ points: z.number(), version: z.number().int() }).nullable(),
        percentOfBudget: z.number().nullable(),
        forecastPercentOfBudget: z.number().nullable(),
      })
      .meta({ id: "ConsumptionSummary" }),
    description: "The month so far and where it is heading.",
  },
  etag: "read",
});

export const alerts = defineOperation({
  operationId: "listBudgetAlerts",
  method: "GET",
  path: "/nodes/{id}/budget-alerts",
  tag: "Consumption",
  summary: "The budget alerts of the current month at a node that still hold",
  permission: "consumption.read",
  params: idParams,
  response: {
    status: 200,
    schema: z
      .object({ items: z.array(z.object({ month: z.string(), threshold: z.number().int(), raisedAt: timestamp, budget: z.number(), actual: z.number() })) })
      .meta({ id: "BudgetAlerts" }),
    description: "Highest threshold first.",
  },
  etag: "read",
});

const budgetSchema = z
  .object({
    nodeId: z.uuid(),
    month: z.string().meta({ description: "The month's first day." }),
    points: z.number(),
    version: z.number().int(),
    actual: z.number(),
    percent: z.number(),
    alerts: z.array(z.number().int()).meta({ description: "Thresholds already raised that month." }),
  })
  .meta({ id: "Budget" });

export const listBudgets = defineOperation({
  operationId: "listBudgets",
  method: "GET",
  path: "/nodes/{id}/budgets",
  tag: "Consumption",
  summary: "A node's budgets with each month's actual, oldest month first",
  permission: "consumption.read",
  params: idParams,
  query: listBudgetsInput.omit({ nodeId: true }),
  response: { status: 200, schema: z.object({ items: z.array(budgetSchema) }).meta({ id: "BudgetList" }), description: "The budgets." },
  etag: "read",
});

const budgetParams = idParams.extend({ month: calendarMonth.meta({ description: "YYYY-MM" }) });

export const setBudget = defineOperation({
  operationId: "setBudget",
  method: "PUT",
  path: "/nodes/{id}/budgets/{month}",
  tag: "Consumption",
  summary: "Set or change a node's budget for a month",
  description: "Alerts the new budget makes due are raised at once. Send If-Match with the budget's ETag to refuse the change (412) if it changed since you read it.",
  permission: "budget.manage",
  params: budgetParams,
  body: z.object({ points: setBudgetInput.shape.points }),
  response: {
    status: 200,
    schema: z.object({ nodeId: z.uuid(), month: z.string(), points: z.number(), version: z.number().int() }).meta({ id: "BudgetSet" }),
    description: "The budget as saved.",
  },
  etag: "if-match",
});

export const removeBudget = defineOperation({
  operationId: "removeBudget",
  method: "DELETE",
  path: "/nodes/{id}/budgets/{month}",
  tag: "Consumption",
  summary: "Remove a node's budget for a month (alerts already raised stay raised)",
  permission: "budget.manage",
  params: budgetParams,
  response: { status: 204, schema: z.null(), description: "Removed." },
});

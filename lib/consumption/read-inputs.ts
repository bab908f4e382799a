import { z } from "zod";
import { daysBetween, isCalendarDay } from "./calendar";

// Inputs of the consumption reads, budgets and exports (the writes' schemas live in schemas.ts).

/** Two years of days, with a leap day: the longest daily view. */
export const MAX_RANGE_DAYS = 731;
/** Three years of months: the longest monthly view. */
export const MAX_RANGE_MONTHS = 36;

const id = z.uuid("Not a valid id.");

export const calendarDay = z
  .string()
  .trim()
  .refine(isCalendarDay, "Use a calendar date as YYYY-MM-DD.");

/** A month as 'YYYY-MM' (a full date is taken as its month), returned as its first day. */
export const calendarMonth = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}(-\d{2})?$/.test(value) && isCalendarDay(value.length === 7 ? `${value}-01` : value), "Use a month as YYYY-MM.")
  .transform((value) => `${value.slice(0, 7)}-01`);

/** Points as people enter them: positive, at most 4 decimals, within the column's 14 digits. */
export const budgetPoints = z.coerce
  .number({ error: "Enter a number of points." })
  .positive("A budget is a positive number of points.")
  .max(9_999_999_999, "Use at most 9,999,999,999 points.")
  .refine((value) => Math.abs(value * 10_000 - Math.round(value * 10_000)) < 1e-6, "Use at most 4 decimals.");

const dayRange = z.object({ from: calendarDay, to: calendarDay });

/** Checks a day range: in order and no longer than the longest view. */
function checkDayRange(range: { from: string; to: string }, context: z.RefinementCtx) {
  if (range.from > range.to) context.addIssue({ code: "custom", path: ["to"], message: "The end of the range is before its start." });
  else if (daysBetween(range.from, range.to) > MAX_RANGE_DAYS) context.addIssue({ code: "custom", path: ["to"], message: `A range covers at most ${MAX_RANGE_DAYS} days.` });
}

export const seriesInput = z
  .object({
    nodeId: id,
    granularity: z.enum(["day", "month"], { error: "Choose day or month." }).default("day"),
    from: z.string().trim(),
    to: z.string().trim(),
    split: z.enum(["total", "child", "product"], { error: "Split by total, child or product." }).default("total"),
    top: z.coerce.number().int().min(1, "Show at least one child.").max(20, "Show at most 20 children; the rest are summed as others.").default(8),
  })
  .superRefine((input, context) => {
    const schema = input.granularity === "day" ? calendarDay : calendarMonth;
    const from = schema.safeParse(input.from);
    const to = schema.safeParse(input.to);
    if (!from.success) context.addIssue({ code: "custom", path: ["from"], message: from.error.issues[0]!.message });
    if (!to.success) context.addIssue({ code: "custom", path: ["to"], message: to.error.issues[0]!.message });
    if (!from.success || !to.success) return;
    if (input.granularity === "day") return checkDayRange({ from: from.data, to: to.data }, context);
    const months = (Number(to.data.slice(0, 4)) - Number(from.data.slice(0, 4))) * 12 + Number(to.data.slice(5, 7)) - Number(from.data.slice(5, 7)) + 1;
    if (months < 1) context.addIssue({ code: "custom", path: ["to"], message: "The end of the range is before its start." });
    else if (months > MAX_RANGE_MONTHS) context.addIssue({ code: "custom", path: ["to"], message: `A range covers at most ${MAX_RANGE_MONTHS} months.` });
  })
  .transform((input) => {
    const schema = input.granularity === "day" ? calendarDay : calendarMonth;
    return { ...input, from: schema.parse(input.from), to: schema.parse(input.to) };
  });

export const topConsumersInput = dayRange
  .extend({ nodeId: id, limit: z.coerce.number().int().min(1, "Ask for at least one.").max(100, "Ask for at most 100.").default(10) })
  .superRefine(checkDayRange);

export const nodeInput = z.object({ nodeId: id });

export const statementInput = z.object({
  /** The month the billing period starts in. */
  period: calendarMonth,
});

export const setBudgetInput = z.object({
  nodeId: id,
  month: calendarMonth,
  points: budgetPoints,
  expectedVersion: z.coerce.number().int().positive().optional(),
});

export const removeBudgetInput = z.object({ nodeId: id, month: calendarMonth });

export const listBudgetsInput = z.object({ nodeId: id, from: calendarMonth.optional(), to: calendarMonth.optional() });

export type SeriesInput = z.input<typeof seriesInput>;
export type TopConsumersInput = z.input<typeof topConsumersInput>;
export type StatementInput = z.input<typeof statementInput>;
export type SetBudgetInput = z.input<typeof setBudgetInput>;

import { z } from "zod";
import { statementInput } from "@/lib/consumption/read-inputs";
import { priceTable, setProgramInput } from "@/lib/consumption/schemas";
import { DomainError } from "@/lib/errors";
import type { TreeNode } from "@/lib/authz/queries";
import { defineOperation } from "../operation";
import { idParams } from "./common";

// The account's program, catalog and statement: billing lives at the account, named by its node id.

/** The program and the statement are the account's: another node of the tree is a mistake worth naming. */
export function requireAccountNode(node: TreeNode | null): void {
  if (node && node.kind !== "account") throw new DomainError("invalid", `Billing belongs to the account, and ${node.name} is ${node.kind === "group" ? "a group" : "an organization"}: use the account's id.`);
}

export const programSchema = z
  .object({
    pointPrice: z.number().meta({ description: "The price of one point, in `currency`." }),
    currency: z.string(),
    billingDay: z.number().int().meta({ description: "A statement period runs from this day of a month to the day before it in the next month." }),
    version: z.number().int(),
  })
  .meta({ id: "FlexProgram" });

export const getProgram = defineOperation({
  operationId: "getFlexProgram",
  method: "GET",
  path: "/nodes/{id}/flex-program",
  tag: "Billing",
  summary: "Read the account's consumption program",
  description: "404 until a program is set.",
  permission: "billing.read",
  params: idParams,
  response: { status: 200, schema: programSchema, description: "The program; its ETag names its version." },
  etag: "read",
});

export const setProgram = defineOperation({
  operationId: "setFlexProgram",
  method: "PUT",
  path: "/nodes/{id}/flex-program",
  tag: "Billing",
  summary: "Set the account's point price, currency and billing day",
  description: "A changed price counts for every statement read after it. Send If-Match with the program's ETag to refuse the change (412) if it changed since you read it.",
  permission: "billing.manage",
  params: idParams,
  body: z.object({ pointPrice: setProgramInput.shape.pointPrice, currency: setProgramInput.shape.currency, billingDay: setProgramInput.shape.billingDay }),
  response: { status: 200, schema: programSchema, description: "The program as saved." },
  etag: "if-match",
});

export const listProducts = defineOperation({
  operationId: "listFlexProducts",
  method: "GET",
  path: "/nodes/{id}/flex-products",
  tag: "Billing",
  summary: "The account's product catalog with each price table, by name",
  description: "Readable from any node where you may read consumption: whoever configures needs the prices.",
  permission: "consumption.read",
  params: idParams,
  response: {
    status: 200,
    schema: z.object({ items: z.array(z.object({ id: z.uuid(), key: z.string(), name: z.string(), priceTable }).meta({ id: "FlexProduct" })) }).meta({ id: "FlexProductList" }),
    description: "The catalog.",
  },
  etag: "read",
});

const period = z.object({ month: z.string().meta({ description: "YYYY-MM: the month the period starts in." }), start: z.string(), end: z.string(), open: z.boolean().meta({ description: "The period today falls in: its figures still grow." }) });
const money = z.string().meta({ description: "An exact decimal." });

export const statement = defineOperation({
  operationId: "getStatement",
  method: "GET",
  path: "/nodes/{id}/statement",
  tag: "Billing",
  summary: "The consolidated statement of a billing period: a line per organization, subtotals per parent, the total",
  permission: "billing.read",
  params: idParams,
  query: z.object({ period: statementInput.shape.period.meta({ description: "YYYY-MM: the month the billing period starts in." }) }),
  response: {
    status: 200,
    schema: z
      .object({
        account: z.object({ id: z.uuid(), name: z.string() }),
        period,
        currency: z.string(),
        pointPrice: money,
        lines: z.array(z.object({ organizationId: z.uuid(), organization: z.string(), slug: z.string(), parentId: z.uuid(), parent: z.string(), points: money, amount: money })),
        subtotals: z.array(z.object({ parentId: z.uuid(), parent: z.string(), organizations: z.number().int(), points: money, amount: money })),
        total: z.object({ organizations: z.number().int(), points: money, amount: money }),
      })
      .meta({ id: "Statement" }),
    description: "The statement, complete (not paged).",
  },
  etag: "read",
});

export const statementPeriods = defineOperation({
  operationId: "listStatementPeriods",
  method: "GET",
  path: "/nodes/{id}/statement-periods",
  tag: "Billing",
  summary: "The billing periods that hold usage, newest first",
  permission: "billing.read",
  params: idParams,
  response: {
    status: 200,
    schema: z.object({ billingDay: z.number().int(), currency: z.string().nullable(), periods: z.array(period) }).meta({ id: "StatementPeriods" }),
    description: "The periods.",
  },
  etag: "read",
});

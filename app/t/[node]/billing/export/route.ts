import { statementCsv } from "@/lib/consumption/export";
import { notFound } from "@/lib/errors";
import { csvRoute } from "../../consumption/csv-route";

/** The consolidated statement of the period in the URL as CSV: like the page, only at the account; the service checks billing.read there. */
export const GET = csvRoute(async (ctx, node, search) => {
  if (node.kind !== "account") throw notFound();
  return statementCsv(ctx, { period: search.period ?? "" });
});

import { budgetsCsv } from "@/lib/consumption/export";
import { csvRoute } from "../../csv-route";

/** The node's budgets with each month's actual and the alerts raised, as CSV. */
export const GET = csvRoute((ctx, node, search) => budgetsCsv(ctx, { nodeId: node.id, from: search.from || undefined, to: search.to || undefined }));

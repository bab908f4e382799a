import { topConsumersCsv } from "@/lib/consumption/export";
import { csvRoute } from "../../csv-route";

/** The dashboard's top consumers as CSV, for the range in the URL (the page's ten unless `limit` asks for more). */
export const GET = csvRoute((ctx, node, search) => topConsumersCsv(ctx, { nodeId: node.id, from: search.from ?? "", to: search.to ?? "", limit: search.limit ?? 10 }));

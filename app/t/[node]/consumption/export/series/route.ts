import { dashboardView } from "@/components/consumption/range";
import { seriesCsv } from "@/lib/consumption/export";
import { csvRoute } from "../../csv-route";

/** The dashboard's series as CSV, for the view in the URL (the same defaults as the page). */
export const GET = csvRoute((ctx, node, search) => {
  const view = dashboardView(search, ctx.authz.now.toISOString().slice(0, 10), node.kind);
  return seriesCsv(ctx, { nodeId: node.id, granularity: view.granularity, from: view.from, to: view.to, split: view.split });
});

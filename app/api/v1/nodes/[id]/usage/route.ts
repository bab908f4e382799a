import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { ingestUsage, recordUsage } from "@/lib/consumption/usage";

export const POST = apiRoute(resource.recordUsage, { node: ({ params }) => params.id }, async (ctx, { params, body, node }) => {
  if (!body.importValidRows && !body.dryRun) return { body: await recordUsage(ctx, { nodeId: params.id, rows: body.rows }) };
  // The wrapper checked entitlement.manage on the node; the ingest checks each row's organization.
  const options = { action: "usage.record", importValidRows: body.importValidRows, dryRun: body.dryRun, rowName: (index: number) => `row ${index + 1}` };
  return { body: await ingestUsage(ctx, node!, body.rows, options) };
});

import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { importUsageCsv } from "@/lib/consumption/usage-csv";

export const POST = apiRoute(resource.importUsageCsv, { node: ({ params }) => params.id }, async (ctx, { params, query, body }) => ({
  body: await importUsageCsv(ctx, { nodeId: params.id, csv: body, importValidRows: query.importValidRows, dryRun: query.dryRun }),
}));

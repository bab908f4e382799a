import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { consumptionSeries } from "@/lib/consumption/dashboard";

export const GET = apiRoute(resource.series, { node: ({ params }) => params.id }, async (ctx, { params, query }) => ({
  body: await consumptionSeries(ctx, { ...query, nodeId: params.id }),
}));

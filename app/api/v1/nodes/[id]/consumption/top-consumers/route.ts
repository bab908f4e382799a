import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { topConsumers } from "@/lib/consumption/top-consumers";

export const GET = apiRoute(resource.topConsumers, { node: ({ params }) => params.id }, async (ctx, { params, query }) => ({
  body: await topConsumers(ctx, { ...query, nodeId: params.id }),
}));

import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { consumptionMonthSummary } from "@/lib/consumption/month-summary";

export const GET = apiRoute(resource.monthSummary, { node: ({ params }) => params.id }, async (ctx, { params }) => ({
  body: await consumptionMonthSummary(ctx, { nodeId: params.id }),
}));

import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { currentBudgetAlerts } from "@/lib/consumption/budget-alerts";

export const GET = apiRoute(resource.alerts, { node: ({ params }) => params.id }, async (ctx, { params }) => ({
  body: { items: await currentBudgetAlerts(ctx, { nodeId: params.id }) },
}));

import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { listBudgets } from "@/lib/consumption/budgets";

export const GET = apiRoute(resource.listBudgets, { node: ({ params }) => params.id }, async (ctx, { params, query }) => ({
  body: { items: await listBudgets(ctx, { ...query, nodeId: params.id }) },
}));

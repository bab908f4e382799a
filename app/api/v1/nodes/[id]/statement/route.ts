import * as resource from "@/lib/api/resources/consumption-billing";
import { apiRoute } from "@/lib/api/route";
import { monthlyStatement } from "@/lib/consumption/statement";

export const GET = apiRoute(resource.statement, { node: ({ params }) => params.id }, async (ctx, { query, node }) => {
  resource.requireAccountNode(node);
  return { body: await monthlyStatement(ctx, { period: query.period.slice(0, 7) }) };
});

import * as resource from "@/lib/api/resources/consumption-billing";
import { apiRoute } from "@/lib/api/route";
import { statementPeriods } from "@/lib/consumption/statement";

export const GET = apiRoute(resource.statementPeriods, { node: ({ params }) => params.id }, async (ctx, { node }) => {
  resource.requireAccountNode(node);
  return { body: await statementPeriods(ctx) };
});

import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as resource from "@/lib/api/resources/consumption-reads";
import { apiRoute } from "@/lib/api/route";
import { removeBudget, setBudget } from "@/lib/consumption/budgets";

export const PUT = apiRoute(resource.setBudget, { node: ({ params }) => params.id }, async (ctx, { params, body, request }) => {
  const budget = await setBudget(ctx, { nodeId: params.id, month: params.month, points: body.points, expectedVersion: expectedVersion(request) });
  return { body: budget, etag: versionEtag(budget) };
});

export const DELETE = apiRoute(resource.removeBudget, { node: ({ params }) => params.id }, async (ctx, { params }) => {
  await removeBudget(ctx, { nodeId: params.id, month: params.month });
  return { body: null };
});

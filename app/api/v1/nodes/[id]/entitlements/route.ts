import * as resource from "@/lib/api/resources/consumption-entitlements";
import { apiRoute } from "@/lib/api/route";
import { listEntitlements } from "@/lib/consumption/entitlement-list";

export const GET = apiRoute(resource.listEntitlements, { node: ({ params }) => params.id }, async (ctx, { params, query }) => {
  const { limit, ...filters } = query;
  const page = await listEntitlements(ctx, { ...filters, nodeId: params.id, pageSize: limit });
  return { body: { items: page.rows, nextCursor: page.nextCursor, total: page.total } };
});

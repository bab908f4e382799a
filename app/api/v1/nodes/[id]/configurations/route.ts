import { versionEtag } from "@/lib/api/etag";
import * as resource from "@/lib/api/resources/consumption-entitlements";
import { apiRoute } from "@/lib/api/route";
import { createConfiguration, listConfigurations } from "@/lib/consumption/configurations";

export const GET = apiRoute(resource.listConfigurations, { node: ({ params }) => params.id }, async (ctx, { params, query }) => {
  const page = await listConfigurations(ctx, { nodeId: params.id, productId: query.productId, page: resource.configurationPageNumber(query.cursor), pageSize: query.limit });
  const more = page.page * page.pageSize < page.total;
  return { body: { items: page.rows, nextCursor: more ? String(page.page + 1) : null } };
});

export const POST = apiRoute(resource.createConfiguration, { node: ({ params }) => params.id }, async (ctx, { params, body }) => {
  const configuration = await createConfiguration(ctx, { ...body, nodeId: params.id });
  return { body: configuration, etag: versionEtag(configuration) };
});

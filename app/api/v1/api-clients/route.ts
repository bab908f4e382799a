import { createApiClient, listApiClients } from "@/lib/api-clients/service";
import { contentEtag } from "@/lib/api/etag";
import * as apiClients from "@/lib/api/resources/api-clients";
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute(apiClients.list, { node: ({ query }) => query.nodeId }, async (ctx, { query }) => ({
  body: { items: await listApiClients(ctx, query) },
}));

export const POST = apiRoute(apiClients.create, { node: ({ body }) => body.nodeId }, async (ctx, { body }) => {
  const created = await createApiClient(ctx, body);
  return { body: created, etag: contentEtag(created.client) };
});

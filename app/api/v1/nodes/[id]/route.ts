import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as nodes from "@/lib/api/resources/nodes";
import { apiRoute } from "@/lib/api/route";
import { updateNodeDetails } from "@/lib/tenants/service";

export const GET = apiRoute(nodes.get, { node: ({ params }) => params.id }, async (ctx, { params }) => {
  const node = await nodes.readNode(ctx, params.id);
  return { body: node, etag: versionEtag(node) };
});

export const PATCH = apiRoute(nodes.update, { node: ({ params }) => params.id }, async (ctx, { params, body, request }) => {
  const node = await updateNodeDetails(ctx, { ...body, nodeId: params.id, expectedVersion: expectedVersion(request) });
  return { body: node, etag: versionEtag(node) };
});

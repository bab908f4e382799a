import { expectedVersion } from "@/lib/api/etag";
import * as nodes from "@/lib/api/resources/nodes";
import { apiRoute } from "@/lib/api/route";
import { moveNode, previewMove } from "@/lib/tenants/service";

export const POST = apiRoute(nodes.move, { node: ({ params }) => params.id }, async (ctx, { params, body, request }) => {
  const input = { nodeId: params.id, newParentId: body.newParentId, expectedVersion: expectedVersion(request) };
  if (body.preview) return { body: { applied: false, ...(await previewMove(ctx, input)) } };
  return { body: { applied: true, ...(await moveNode(ctx, input)) } };
});

import { versionEtag } from "@/lib/api/etag";
import * as nodes from "@/lib/api/resources/nodes";
import { apiRoute } from "@/lib/api/route";
import { restoreNode } from "@/lib/tenants/service";

export const POST = apiRoute(nodes.restore, { node: ({ params }) => params.id }, async (ctx, { params }) => {
  const node = await restoreNode(ctx, { nodeId: params.id });
  return { body: node, etag: versionEtag(node) };
});

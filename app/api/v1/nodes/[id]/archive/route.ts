import { versionEtag } from "@/lib/api/etag";
import * as nodes from "@/lib/api/resources/nodes";
import { apiRoute } from "@/lib/api/route";
import { archiveNode } from "@/lib/tenants/service";

export const POST = apiRoute(nodes.archive, { node: ({ params }) => params.id }, async (ctx, { params }) => {
  const node = await archiveNode(ctx, { nodeId: params.id });
  return { body: node, etag: versionEtag(node) };
});

import { versionEtag } from "@/lib/api/etag";
import * as nodes from "@/lib/api/resources/nodes";
import { apiRoute } from "@/lib/api/route";
import { listAccessibleNodes } from "@/lib/authz/queries";
import { createNode } from "@/lib/tenants/service";

export const GET = apiRoute(nodes.list, { node: ({ query }) => query.under }, async (ctx, { query }) => ({
  body: await listAccessibleNodes(ctx.db, ctx.authz, "tenant.read", query),
}));

export const POST = apiRoute(nodes.create, { node: ({ body }) => body.parentId }, async (ctx, { body }) => {
  const node = await createNode(ctx, body);
  return { body: node, etag: versionEtag(node) };
});

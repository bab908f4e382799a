import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as nodes from "@/lib/api/resources/nodes";
import { apiRoute } from "@/lib/api/route";
import { renameNode, tagNode } from "@/lib/tenants/service";

export const GET = apiRoute(nodes.get, { node: ({ params }) => params.id }, async (ctx, { params }) => {
  const node = await nodes.readNode(ctx, params.id);
  return { body: node, etag: versionEtag(node) };
});

export const PATCH = apiRoute(nodes.update, { node: ({ params }) => params.id }, async (ctx, { params, body, request }) => {
  const expected = expectedVersion(request);
  // Each change raises the version: the second expects the version the first produced.
  const renamed = body.name === undefined ? null : await renameNode(ctx, { nodeId: params.id, name: body.name, expectedVersion: expected });
  const tagged = body.tags === undefined ? null : await tagNode(ctx, { nodeId: params.id, tags: body.tags, expectedVersion: renamed?.version ?? expected });
  const node = (tagged ?? renamed)!;
  return { body: node, etag: versionEtag(node) };
});

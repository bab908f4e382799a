import { explainAccess } from "@/lib/access/explain";
import * as authz from "@/lib/api/resources/authz";
import { apiRoute } from "@/lib/api/route";

export const POST = apiRoute(authz.check, { node: ({ body }) => body.nodeId }, async (ctx, { body }) => {
  const { allowed, principalId, permission, nodeId } = await explainAccess(ctx, body);
  return { body: { allowed, principalId, permission, nodeId } };
});

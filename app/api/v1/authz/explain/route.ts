import { explainAccess } from "@/lib/access/explain";
import * as authz from "@/lib/api/resources/authz";
import { apiRoute } from "@/lib/api/route";

export const POST = apiRoute(authz.explain, { node: ({ body }) => body.nodeId }, async (ctx, { body }) => {
  const answer = await explainAccess(ctx, body);
  const base = { allowed: answer.allowed, principalId: answer.principalId, permission: answer.permission, nodeId: answer.nodeId };
  if (answer.allowed) {
    const { assignmentId, nodeId, roleId, roleName, source, expiresAt } = answer.grant;
    return { body: { ...base, grant: { assignmentId, nodeId, roleId, roleName, source, expiresAt }, inherited: answer.inherited } };
  }
  return { body: { ...base, reason: answer.reason, capability: answer.capability, message: answer.message } };
});

import * as me from "@/lib/api/resources/me";
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute(me.get, {}, async (ctx) => {
  const { principal, grants } = ctx.authz;
  return {
    body: {
      principal: { id: principal.id, kind: principal.kind, name: principal.name, accountId: principal.accountId, homeNodeId: principal.homeNodeId, status: principal.status },
      assignments: grants.map((grant) => ({
        assignmentId: grant.assignmentId,
        nodeId: grant.nodeId,
        roleId: grant.roleId,
        roleName: grant.roleName,
        permissions: [...grant.permissions].sort(),
        source: grant.source,
        expiresAt: grant.expiresAt,
      })),
    },
  };
});

import * as members from "@/lib/api/resources/members";
import { apiRoute } from "@/lib/api/route";
import { loadTreeNode } from "@/lib/authz/queries";
import { readMember } from "@/lib/members/read";

// Who may see a member depends on where the member lives and holds roles: the service decides, as for
// the portal's member page. `nodeId` plays the page's node: a hint that can only widen what is visible.
export const GET = apiRoute(members.get, {}, async (ctx, { params, query }) => {
  const here = query.nodeId ? await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: query.nodeId }, ctx.authz.now) : null;
  const { member, assignments } = await readMember(ctx, params.id, here);
  return {
    body: {
      ...member,
      assignments: assignments.map(({ id, nodeId, nodePath, roleId, roleName, source, expiresAt, expired, mayChange }) => ({
        id,
        nodeId,
        nodePath,
        roleId,
        roleName,
        source,
        expiresAt,
        expired,
        mayChange,
      })),
    },
  };
});

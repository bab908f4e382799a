import { changeAssignment, revokeAssignment } from "@/lib/access/service";
import * as access from "@/lib/api/resources/access";
import { apiRoute } from "@/lib/api/route";

// The assignment's node is known once it is loaded: the service checks role.assign there (and lets
// anyone remove their own assignment, which is leaving).
export const PATCH = apiRoute(access.change, {}, async (ctx, { params, body }) => ({
  body: await changeAssignment(ctx, { ...body, assignmentId: params.id }),
}));

export const DELETE = apiRoute(access.revoke, {}, async (ctx, { params }) => {
  await revokeAssignment(ctx, { assignmentId: params.id });
  return { body: null };
});

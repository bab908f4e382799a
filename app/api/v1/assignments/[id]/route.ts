import { readAssignment } from "@/lib/access/assignment-read";
import { changeAssignment, revokeAssignment } from "@/lib/access/service";
import * as access from "@/lib/api/resources/access";
import { apiRoute } from "@/lib/api/route";

// The assignment's node is known once it is loaded: the services check there (member.read to read,
// role.assign to change; anyone may remove their own assignment, which is leaving).
export const GET = apiRoute(access.getAssignment, {}, async (ctx, { params }) => ({
  body: await readAssignment(ctx, params.id),
}));

export const PATCH = apiRoute(access.change, {}, async (ctx, { params, body }) => ({
  body: await changeAssignment(ctx, { ...body, assignmentId: params.id }),
}));

export const DELETE = apiRoute(access.revoke, {}, async (ctx, { params }) => {
  await revokeAssignment(ctx, { assignmentId: params.id });
  return { body: null };
});

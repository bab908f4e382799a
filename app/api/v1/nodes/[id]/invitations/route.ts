import * as invitations from "@/lib/api/resources/invitations";
import { apiRoute } from "@/lib/api/route";
import { baseUrlFrom } from "@/lib/auth/base-url";
import { inviteMember, invitationState, listInvitationPage } from "@/lib/members/invitations";

export const GET = apiRoute(invitations.list, { node: ({ params }) => params.id }, async (ctx, { params, query }) => ({
  body: await listInvitationPage(ctx, { ...query, nodeId: params.id }),
}));

export const POST = apiRoute(invitations.invite, { node: ({ params }) => params.id }, async (ctx, { params, body, request }) => {
  const invitation = await inviteMember(ctx, { ...body, nodeId: params.id }, { baseUrl: baseUrlFrom(request.headers) });
  const { id, email, nodeId, roleId, expiresAt, createdAt } = invitation;
  return { body: { id, email, nodeId, roleId, expiresAt, createdAt, state: invitationState(invitation, ctx.authz.now) } };
});

import * as invitations from "@/lib/api/resources/invitations";
import { apiRoute } from "@/lib/api/route";
import { revokeInvitation } from "@/lib/members/invitations";

// The invitation's node is known once it is loaded: the service checks member.invite there.
export const POST = apiRoute(invitations.revoke, {}, async (ctx, { params }) => {
  await revokeInvitation(ctx, { invitationId: params.id });
  return { body: null };
});

import * as invitations from "@/lib/api/resources/invitations";
import { apiRoute } from "@/lib/api/route";
import { baseUrlFrom } from "@/lib/auth/base-url";
import { resendInvitation } from "@/lib/members/invitations";

// The invitation's node is known once it is loaded: the service checks member.invite there.
export const POST = apiRoute(invitations.resend, {}, async (ctx, { params, request }) => {
  await resendInvitation(ctx, { invitationId: params.id }, { baseUrl: baseUrlFrom(request.headers) });
  return { body: null };
});

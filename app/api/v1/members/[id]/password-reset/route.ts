import * as members from "@/lib/api/resources/members";
import { apiRoute } from "@/lib/api/route";
import { baseUrlFrom } from "@/lib/auth/base-url";
import { requestPasswordReset } from "@/lib/members/security";

// The member's home node is known once they are loaded: the service checks member.manage there.
export const POST = apiRoute(members.passwordReset, {}, async (ctx, { params, request }) => {
  await requestPasswordReset(ctx, { principalId: params.id }, { baseUrl: baseUrlFrom(request.headers) });
  return { body: null };
});

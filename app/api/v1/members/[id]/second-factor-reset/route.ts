import * as members from "@/lib/api/resources/members";
import { apiRoute } from "@/lib/api/route";
import { resetSecondFactor } from "@/lib/members/security";

// The member's home node is known once they are loaded: the service checks member.manage there.
export const POST = apiRoute(members.secondFactorReset, {}, async (ctx, { params }) => {
  await resetSecondFactor(ctx, { principalId: params.id });
  return { body: null };
});

import * as members from "@/lib/api/resources/members";
import { apiRoute } from "@/lib/api/route";
import { signOutEverywhere } from "@/lib/members/security";

// The member's home node is known once they are loaded: the service checks member.manage there.
export const POST = apiRoute(members.signOutEverywhere, {}, async (ctx, { params }) => {
  await signOutEverywhere(ctx, { principalId: params.id });
  return { body: null };
});

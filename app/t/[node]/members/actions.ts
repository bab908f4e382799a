"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { baseUrlFrom } from "@/lib/auth/base-url";
import { inviteMember, resendInvitation, revokeInvitation } from "@/lib/members/invitations";
import { invitations } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import type { ServiceContext } from "@/lib/service-context";

const invitationNode = async (input: { invitationId: string }, ctx: ServiceContext) => {
  const [row] = await ctx.db
    .select({ nodeId: invitations.nodeId })
    .from(invitations)
    .where(and(eq(invitations.accountId, ctx.authz.principal.accountId), eq(invitations.id, input.invitationId)));
  return row?.nodeId ?? null;
};

export const inviteAction = authorizedAction(
  {
    input: z.object({ nodeId: z.string(), email: z.string(), name: z.string().optional(), roleId: z.string() }),
    permission: "member.invite",
    node: (input) => input.nodeId,
  },
  async (ctx, input) => {
    await inviteMember(ctx, { ...input, name: input.name || undefined }, { baseUrl: baseUrlFrom(await headers()) });
    return `Invitation sent to ${input.email.trim()}.`;
  },
);

export const revokeInvitationAction = authorizedAction(
  { input: z.object({ invitationId: z.uuid() }), permission: "member.invite", node: invitationNode },
  async (ctx, input) => {
    await revokeInvitation(ctx, input);
    return "Invitation withdrawn.";
  },
);

export const resendInvitationAction = authorizedAction(
  { input: z.object({ invitationId: z.uuid() }), permission: "member.invite", node: invitationNode },
  async (ctx, input) => {
    await resendInvitation(ctx, input, { baseUrl: baseUrlFrom(await headers()) });
    return "Invitation sent again with a new link.";
  },
);

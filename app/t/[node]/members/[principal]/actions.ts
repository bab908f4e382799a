"use server";

import { and, eq } from "drizzle-orm";
import { headers } from "next/headers";
import { z } from "zod";
import { principals } from "@/db/schema";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { baseUrlFrom } from "@/lib/auth/base-url";
import { requestPasswordReset, resetSecondFactor, signOutEverywhere } from "@/lib/members/security";
import type { ServiceContext } from "@/lib/service-context";

const input = z.object({ principalId: z.uuid() });

/** These act on a user: member.manage is needed on the user's home node. */
const homeNode = async ({ principalId }: { principalId: string }, ctx: ServiceContext) => {
  const [row] = await ctx.db
    .select({ homeNodeId: principals.homeNodeId })
    .from(principals)
    .where(and(eq(principals.accountId, ctx.authz.principal.accountId), eq(principals.id, principalId)));
  return row?.homeNodeId ?? null;
};

export const sendResetLinkAction = authorizedAction({ input, permission: "member.manage", node: homeNode }, async (ctx, values) => {
  await requestPasswordReset(ctx, values, { baseUrl: baseUrlFrom(await headers()) });
  return "A reset link is on its way; the user was signed out everywhere.";
});

export const signOutEverywhereAction = authorizedAction({ input, permission: "member.manage", node: homeNode }, async (ctx, values) => {
  await signOutEverywhere(ctx, values);
  return "The user was signed out everywhere.";
});

export const resetSecondFactorAction = authorizedAction({ input, permission: "member.manage", node: homeNode }, async (ctx, values) => {
  await resetSecondFactor(ctx, values);
  return "Two-step verification was reset; the user enrols again at the next sign-in.";
});

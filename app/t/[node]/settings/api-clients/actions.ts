"use server";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { principals } from "@/db/schema";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { createApiClient, disableApiClient, rotateApiClientSecret } from "@/lib/api-clients/service";
import type { ServiceContext } from "@/lib/service-context";

const clientHome = async (input: { apiClientId: string }, ctx: ServiceContext) => {
  const [row] = await ctx.db
    .select({ nodeId: principals.homeNodeId })
    .from(principals)
    .where(and(eq(principals.accountId, ctx.authz.principal.accountId), eq(principals.id, input.apiClientId), eq(principals.kind, "api_client")));
  return row?.nodeId ?? null;
};

// The secret is the one thing this page must show once: it comes back as the action's message.
const shownOnce = (clientId: string, secret: string) => `client_id ${clientId} · client_secret ${secret} — shown only now; store it safely.`;

export const createApiClientAction = authorizedAction(
  { input: z.object({ nodeId: z.string(), name: z.string(), roleId: z.string() }), permission: "apiclient.manage", node: (input) => input.nodeId },
  async (ctx, input) => {
    const { client, clientSecret } = await createApiClient(ctx, input);
    return shownOnce(client.clientId, clientSecret);
  },
);

export const rotateApiClientAction = authorizedAction(
  { input: z.object({ apiClientId: z.uuid() }), permission: "apiclient.manage", node: clientHome },
  async (ctx, input) => {
    const { client, clientSecret } = await rotateApiClientSecret(ctx, input);
    return shownOnce(client.clientId, clientSecret);
  },
);

export const disableApiClientAction = authorizedAction(
  { input: z.object({ apiClientId: z.uuid() }), permission: "apiclient.manage", node: clientHome },
  async (ctx, input) => {
    await disableApiClient(ctx, input);
    return "Client disabled; its tokens no longer work.";
  },
);

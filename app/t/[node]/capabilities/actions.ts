"use server";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { nodes } from "@/db/schema";
import { authorizedAction } from "@/lib/actions/authorized-action";
import type { ServiceContext } from "@/lib/service-context";
import { removeCapability, setCapability } from "@/lib/tenants/capabilities";

// A parent gives its children capabilities (SPEC §6), so capability.assign is checked where the
// capability comes from: the node's parent, or the account for reseller. The service checks again.

const capabilityForm = z.object({ nodeId: z.string(), capability: z.string(), expiresAt: z.string().optional() });

async function giverOf(input: { nodeId: string; capability: string }, ctx: ServiceContext): Promise<string | null> {
  if (!z.uuid().safeParse(input.nodeId).success) return null;
  const accountId = ctx.authz.principal.accountId;
  const [node] = await ctx.db
    .select({ parentId: nodes.parentId })
    .from(nodes)
    .where(and(eq(nodes.accountId, accountId), eq(nodes.id, input.nodeId)));
  if (!node?.parentId) return null;
  return input.capability === "reseller" ? accountId : node.parentId;
}

export const setCapabilityAction = authorizedAction(
  { input: capabilityForm, permission: "capability.assign", node: giverOf },
  async (ctx, input) => {
    const set = await setCapability(ctx, { ...input, expiresAt: input.expiresAt || undefined });
    return set.expiresAt ? `${set.capability} is set until ${set.expiresAt.toISOString().slice(0, 10)}.` : `${set.capability} is set, with no expiry.`;
  },
);

export const removeCapabilityAction = authorizedAction(
  { input: capabilityForm.omit({ expiresAt: true }), permission: "capability.assign", node: giverOf },
  async (ctx, input) => {
    await removeCapability(ctx, input);
    return `${input.capability} is removed here and below.`;
  },
);

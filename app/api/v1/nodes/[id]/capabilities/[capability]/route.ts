import * as capabilities from "@/lib/api/resources/capabilities";
import { apiRoute } from "@/lib/api/route";
import { removeCapability, setCapability } from "@/lib/tenants/capabilities";

// capability.assign is needed on the parent (or the account): the service finds the giver and checks.
export const PUT = apiRoute(capabilities.set, {}, async (ctx, { params, body }) => {
  const set = await setCapability(ctx, { nodeId: params.id, capability: params.capability, expiresAt: body.expiresAt });
  return { body: { capability: set.capability, expiresAt: set.expiresAt } };
});

export const DELETE = apiRoute(capabilities.remove, {}, async (ctx, { params }) => {
  await removeCapability(ctx, { nodeId: params.id, capability: params.capability });
  return { body: null };
});

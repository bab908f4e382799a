import * as resource from "@/lib/api/resources/consumption-entitlements";
import { apiRoute } from "@/lib/api/route";
import { createEntitlements } from "@/lib/consumption/entitlements";

// The owner is known once the configuration is loaded: the service checks the permission there.
export const POST = apiRoute(resource.createEntitlements, {}, async (ctx, { params, body }) => ({
  body: { items: await createEntitlements(ctx, { ...body, configurationId: params.id }) },
}));

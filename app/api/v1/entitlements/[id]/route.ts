import { versionEtag } from "@/lib/api/etag";
import * as resource from "@/lib/api/resources/consumption-entitlements";
import { apiRoute } from "@/lib/api/route";
import { readEntitlement } from "@/lib/consumption/entitlement-list";

// The owner is known once the entitlement is loaded: the service checks the permission there.
export const GET = apiRoute(resource.getEntitlement, {}, async (ctx, { params }) => {
  const entitlement = await readEntitlement(ctx, { entitlementId: params.id });
  return { body: entitlement, etag: versionEtag(entitlement) };
});

import "server-only";
import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as resource from "@/lib/api/resources/consumption-entitlements";
import { apiRoute } from "@/lib/api/route";
import { transitionEntitlement } from "@/lib/consumption/entitlements";

const OPERATIONS = {
  activate: resource.activateEntitlement,
  stop: resource.stopEntitlement,
  reactivate: resource.reactivateEntitlement,
  expire: resource.expireEntitlement,
} as const;

/** The handler of one lifecycle transition; the service checks entitlement.manage on the owner it loads. */
export function entitlementTransitionRoute(transition: keyof typeof OPERATIONS) {
  return apiRoute(OPERATIONS[transition], {}, async (ctx, { params, body, request }) => {
    const entitlement = await transitionEntitlement(ctx, { entitlementId: params.id, transition, day: body.day, expectedVersion: expectedVersion(request) });
    return { body: entitlement, etag: versionEtag(entitlement) };
  });
}

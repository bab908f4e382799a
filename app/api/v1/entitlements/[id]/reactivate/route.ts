import { entitlementTransitionRoute } from "@/lib/api/entitlement-transition";

export const POST = entitlementTransitionRoute("reactivate");

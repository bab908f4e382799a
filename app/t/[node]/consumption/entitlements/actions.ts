"use server";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { entitlements } from "@/db/schema";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { transitionEntitlement } from "@/lib/consumption/entitlements";
import { transitionEntitlementInput } from "@/lib/consumption/schemas";
import type { ServiceContext } from "@/lib/service-context";

/** The organization that owns the entitlement: where entitlement.manage is needed (none when it is not the caller's account's). */
const owner = async (input: { entitlementId: string }, ctx: ServiceContext) => {
  const [row] = await ctx.db
    .select({ nodeId: entitlements.nodeId })
    .from(entitlements)
    .where(and(eq(entitlements.accountId, ctx.authz.principal.accountId), eq(entitlements.id, input.entitlementId)));
  return row?.nodeId ?? null;
};

const PAST = { activate: "activated", stop: "stopped", reactivate: "reactivated", expire: "expired" } as const;

// A blank day (the form's empty date field) means today, as the service takes a missing one.
const input = transitionEntitlementInput.extend({ day: z.preprocess((value) => (value === "" ? undefined : value), transitionEntitlementInput.shape.day) });

export const transitionEntitlementAction = authorizedAction({ input, permission: "entitlement.manage", node: owner }, async (ctx, parsed) => {
  const updated = await transitionEntitlement(ctx, parsed);
  const dates = parsed.transition === "activate" ? ` from ${updated.startDate}` : parsed.transition === "expire" ? ` on ${updated.endDate}` : "";
  return `${updated.serialNumber} is ${PAST[parsed.transition]}${dates}.`;
});

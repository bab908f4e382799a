"use server";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { flexConfigurations } from "@/db/schema";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { createConfiguration } from "@/lib/consumption/configurations";
import { createEntitlements } from "@/lib/consumption/entitlements";
import { createEntitlementsInput } from "@/lib/consumption/schemas";
import type { ServiceContext } from "@/lib/service-context";

const PARAMETER = "parameters.";

/** The form posts each parameter as `parameters.<key>`; the service takes them as one object and checks them all. */
const configurationForm = z
  .object({ nodeId: z.string(), productId: z.string(), name: z.string() })
  .catchall(z.unknown())
  .transform(({ nodeId, productId, name, ...fields }) => ({
    nodeId,
    productId,
    name,
    parameters: Object.fromEntries(
      Object.entries(fields)
        .filter(([field, value]) => field.startsWith(PARAMETER) && typeof value === "string")
        .map(([field, value]) => [field.slice(PARAMETER.length), value as string]),
    ),
  }));

export const createConfigurationAction = authorizedAction(
  { input: configurationForm, permission: "entitlement.manage", node: (input) => input.nodeId },
  async (ctx, input) => {
    const created = await createConfiguration(ctx, input);
    return `${created.name} is created at ${created.pointsPerDay} points a day.`;
  },
);

/** The organization that owns the configuration: where entitlement.manage is needed. */
const owner = async (input: { configurationId: string }, ctx: ServiceContext) => {
  const [row] = await ctx.db
    .select({ nodeId: flexConfigurations.nodeId })
    .from(flexConfigurations)
    .where(and(eq(flexConfigurations.accountId, ctx.authz.principal.accountId), eq(flexConfigurations.id, input.configurationId)));
  return row?.nodeId ?? null;
};

export const createEntitlementsAction = authorizedAction({ input: createEntitlementsInput, permission: "entitlement.manage", node: owner }, async (ctx, input) => {
  const created = await createEntitlements(ctx, input);
  const serials = created.map((entitlement) => entitlement.serialNumber);
  const listed = serials.length > 3 ? `${serials.slice(0, 3).join(", ")} and ${serials.length - 3} more` : serials.join(", ");
  return `${created.length} pending entitlement${created.length === 1 ? "" : "s"} created: ${listed}. Activate them on the entitlements page.`;
});

import { z } from "zod";
import { createConfigurationInput, createEntitlementsInput, entitlementListInput, transitionEntitlementInput, updateConfigurationInput } from "@/lib/consumption/schemas";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "../operation";
import { idParams, pageOf, pageQuery, timestamp } from "./common";

// Configurations and entitlements: owned by an organization, read with consumption.read on it or above
// it, changed with entitlement.manage there (the services check the owner; the wrapper the node).

const parameters = z.record(z.string(), z.union([z.string(), z.number()])).meta({ description: "The chosen value of each of the product's parameters." });

export const configurationRecordSchema = z
  .object({
    id: z.uuid(),
    nodeId: z.uuid().meta({ description: "The organization that owns it." }),
    productId: z.uuid(),
    name: z.string(),
    parameters,
    pointsPerDay: z.number().meta({ description: "Priced from the catalog when created or changed." }),
    version: z.number().int(),
  })
  .meta({ id: "ConfigurationRecord" });

export const configurationSchema = configurationRecordSchema
  .extend({
    organization: z.string(),
    productKey: z.string(),
    product: z.string(),
    entitlements: z.number().int().meta({ description: "How many entitlements were created from it, whatever their status." }),
  })
  .meta({ id: "Configuration" });

const entitlementStatus = z.enum(["pending", "active", "stopped", "expired"]);
const day = z.string().meta({ description: "YYYY-MM-DD" });

export const entitlementRecordSchema = z
  .object({
    id: z.uuid(),
    serialNumber: z.string(),
    description: z.string(),
    status: entitlementStatus,
    startDate: day.nullable(),
    endDate: day.nullable(),
    nodeId: z.uuid().meta({ description: "The organization that owns it." }),
    configurationId: z.uuid(),
    version: z.number().int().meta({ description: "Raised by every transition; the ETag carries it." }),
    createdAt: timestamp,
  })
  .meta({ id: "EntitlementRecord" });

export const entitlementSchema = entitlementRecordSchema
  .extend({ organization: z.string(), configuration: z.string(), productId: z.uuid(), productKey: z.string(), product: z.string(), pointsPerDay: z.number() })
  .meta({ id: "Entitlement" });

/** The configurations list pages by offset in the service: its cursor is the next page's number. */
export function configurationPageNumber(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  if (!/^[1-9]\d{0,5}$/.test(cursor)) throw new DomainError("invalid", "The cursor is not one this list gave out.", { fieldErrors: { cursor: ["Not a cursor of this list."] } });
  return Number(cursor);
}

export const listConfigurations = defineOperation({
  operationId: "listConfigurations",
  method: "GET",
  path: "/nodes/{id}/configurations",
  tag: "Consumption",
  summary: "The configurations of a node's organizations",
  description: "An organization's own; at a group or the account, those of its organizations where flex is in force. By organization, then name.",
  permission: "consumption.read",
  params: idParams,
  query: z.object({ productId: z.uuid("Not a valid id.").optional(), ...pageQuery }),
  response: { status: 200, schema: pageOf(configurationSchema, "ConfigurationPage"), description: "A page of configurations." },
  etag: "read",
});

export const getConfiguration = defineOperation({
  operationId: "getConfiguration",
  method: "GET",
  path: "/configurations/{id}",
  tag: "Consumption",
  summary: "Read a configuration",
  permission: "consumption.read",
  params: idParams,
  response: { status: 200, schema: configurationSchema, description: "The configuration; its ETag names its version." },
  etag: "read",
});

export const createConfiguration = defineOperation({
  operationId: "createConfiguration",
  method: "POST",
  path: "/nodes/{id}/configurations",
  tag: "Consumption",
  summary: "Create a configuration on an organization, priced from the catalog",
  permission: "entitlement.manage",
  params: idParams,
  body: createConfigurationInput.omit({ nodeId: true }),
  response: { status: 201, schema: configurationRecordSchema, description: "The created configuration, with its ETag." },
  etag: "read",
});

export const updateConfiguration = defineOperation({
  operationId: "updateConfiguration",
  method: "PATCH",
  path: "/configurations/{id}",
  tag: "Consumption",
  summary: "Rename a configuration or change its parameters (which prices it again)",
  description: "Entitlements already created follow the new points per day from the next day of usage. Send If-Match with the ETag you read.",
  permission: "entitlement.manage",
  params: idParams,
  body: z
    .object({ name: updateConfigurationInput.shape.name, parameters: updateConfigurationInput.shape.parameters })
    .refine((body) => body.name !== undefined || body.parameters !== undefined, "Change the name or the parameters."),
  response: { status: 200, schema: configurationRecordSchema, description: "The changed configuration." },
  etag: "if-match",
});

export const listEntitlements = defineOperation({
  operationId: "listEntitlements",
  method: "GET",
  path: "/nodes/{id}/entitlements",
  tag: "Consumption",
  summary: "The entitlements of a node's organizations, filtered and sorted as in the portal",
  description: "`q` matches part of the serial number. Pages follow a cursor of the same sort and direction.",
  permission: "consumption.read",
  params: idParams,
  query: entitlementListInput.omit({ nodeId: true, cursor: true, page: true, pageSize: true }).extend(pageQuery),
  response: {
    status: 200,
    schema: z
      .object({ items: z.array(entitlementSchema), nextCursor: z.string().nullable(), total: z.number().int().meta({ description: "Every match, on all pages." }) })
      .meta({ id: "EntitlementPage" }),
    description: "A page of entitlements.",
  },
  etag: "read",
});

export const getEntitlement = defineOperation({
  operationId: "getEntitlement",
  method: "GET",
  path: "/entitlements/{id}",
  tag: "Consumption",
  summary: "Read an entitlement",
  permission: "consumption.read",
  params: idParams,
  response: { status: 200, schema: entitlementSchema, description: "The entitlement; its ETag names its version." },
  etag: "read",
});

export const createEntitlements = defineOperation({
  operationId: "createEntitlements",
  method: "POST",
  path: "/configurations/{id}/entitlements",
  tag: "Consumption",
  summary: "Create pending entitlements from a configuration, each with a new serial number",
  permission: "entitlement.manage",
  params: idParams,
  body: createEntitlementsInput.omit({ configurationId: true }),
  response: { status: 201, schema: z.object({ items: z.array(entitlementRecordSchema) }).meta({ id: "CreatedEntitlements" }), description: "The created entitlements." },
  etag: "read",
});

const transitionBody = z.object({ day: transitionEntitlementInput.shape.day });

function transition(name: "activate" | "stop" | "reactivate" | "expire", summary: string) {
  return defineOperation({
    operationId: `${name}Entitlement`,
    method: "POST",
    path: `/entitlements/{id}/${name}`,
    tag: "Consumption",
    summary,
    description: "Send If-Match with the entitlement's ETag to refuse the change (412) if it changed since you read it. A transition its status does not allow is 400.",
    permission: "entitlement.manage",
    params: idParams,
    body: transitionBody,
    response: { status: 200, schema: entitlementRecordSchema, description: "The entitlement after the transition." },
    etag: "if-match",
  });
}

export const activateEntitlement = transition("activate", "Activate a pending entitlement from `day` (today when left out)");
export const stopEntitlement = transition("stop", "Stop an active entitlement after `day` (today when left out; not before recorded usage): usage for later days is refused");
export const reactivateEntitlement = transition("reactivate", "Reactivate a stopped entitlement from `day` (today when left out): it accepts usage again from that day");
export const expireEntitlement = transition("expire", "Expire an entitlement on `day` (today when left out; not before recorded usage)");

import { z } from "zod";
import { CAPABILITIES } from "@/lib/authz";
import { defineOperation } from "../operation";
import { idParams, timestamp } from "./common";

const capabilityParams = idParams.extend({ capability: z.enum(CAPABILITIES, { error: "Not a capability." }) });
const capabilitySchema = z.object({ capability: z.enum(CAPABILITIES), expiresAt: timestamp.nullable() }).meta({ id: "Capability" });
const given = "A node's capabilities are given by its parent: this needs capability.assign on the parent (and on the account for reseller).";

export const list = defineOperation({
  operationId: "listCapabilities",
  method: "GET",
  path: "/nodes/{id}/capabilities",
  tag: "Capabilities",
  summary: "The capabilities a node effectively has",
  description: "A capability counts only when every node on the path has it; its expiry is the earliest on the path.",
  permission: "tenant.read",
  params: idParams,
  response: { status: 200, schema: z.object({ items: z.array(capabilitySchema) }).meta({ id: "CapabilityList" }), description: "Effective capabilities." },
});

export const set = defineOperation({
  operationId: "setCapability",
  method: "PUT",
  path: "/nodes/{id}/capabilities/{capability}",
  tag: "Capabilities",
  summary: "Give a node a capability, or change its expiry",
  description: given,
  permission: "capability.assign",
  params: capabilityParams,
  body: z.object({
    expiresAt: z.iso
      .datetime({ offset: true, error: "Not a valid date-time." })
      .nullish()
      .refine((value) => !value || new Date(value).getTime() > Date.now(), "The expiry must be in the future."),
  }),
  response: { status: 200, schema: capabilitySchema, description: "The capability as set on the node." },
});

export const remove = defineOperation({
  operationId: "removeCapability",
  method: "DELETE",
  path: "/nodes/{id}/capabilities/{capability}",
  tag: "Capabilities",
  summary: "Take a capability away from a node (and so from everything below it)",
  description: given,
  permission: "capability.assign",
  params: capabilityParams,
  response: { status: 204, schema: z.null(), description: "Removed." },
});

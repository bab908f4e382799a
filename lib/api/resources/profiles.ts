import { z } from "zod";
import { createProfileInput, updateProfileInput } from "@/lib/access/schemas";
import { defineOperation } from "../operation";
import { idParams, timestamp } from "./common";

export const profileSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    builtin: z.boolean(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "PermissionProfile" });

export const profileWithUseSchema = profileSchema
  .extend({
    assignments: z.number().int().meta({ description: "Every assignment of the profile in the account, seen or not." }),
    usedOn: z
      .array(z.object({ nodeId: z.uuid(), nodeName: z.string(), nodeSlug: z.string(), assignments: z.number().int() }))
      .meta({ description: "Where it is assigned, on the nodes you may read." }),
    ssoRules: z.number().int().meta({ description: "Single sign-on rules that give it." }),
  })
  .meta({ id: "PermissionProfileWithUse" });

const lookingFrom = z.object({
  nodeId: z.uuid("Not a valid id.").optional().meta({ description: "The node you look from; your home node when left out." }),
});
const viewRule = "Custom profiles live on the account; whoever may read members or manage profiles on the node they look from sees them.";

export const list = defineOperation({
  operationId: "listProfiles",
  method: "GET",
  path: "/profiles",
  tag: "Permission profiles",
  summary: "The account's custom permission profiles and where each is used",
  description: `${viewRule} Built-in roles (Owner, Manager, Viewer) are not profiles and are not listed; /roles lists them with the profiles.`,
  permission: "member.read",
  query: lookingFrom,
  response: { status: 200, schema: z.object({ items: z.array(profileWithUseSchema) }).meta({ id: "PermissionProfileList" }), description: "The profiles, by name." },
});

export const get = defineOperation({
  operationId: "getProfile",
  method: "GET",
  path: "/profiles/{id}",
  tag: "Permission profiles",
  summary: "Read a custom permission profile",
  description: `${viewRule} The ETag names the profile's version, for If-Match on PATCH; where the profile is used is in the list.`,
  permission: "member.read",
  params: idParams,
  query: lookingFrom,
  response: { status: 200, schema: profileSchema, description: "The profile." },
});

const rule = "Needs profile.manage on the account, and every permission the profile gives or gave: nobody defines more than they hold.";

export const create = defineOperation({
  operationId: "createProfile",
  method: "POST",
  path: "/profiles",
  tag: "Permission profiles",
  summary: "Define a custom permission profile on your account",
  description: rule,
  permission: "profile.manage",
  body: createProfileInput,
  response: { status: 201, schema: profileSchema, description: "The created profile, with its ETag." },
  etag: "read",
});

export const update = defineOperation({
  operationId: "updateProfile",
  method: "PATCH",
  path: "/profiles/{id}",
  tag: "Permission profiles",
  summary: "Change a custom profile's name, description or permissions",
  description: `${rule} Send If-Match with the profile's ETag to refuse a stale change (412).`,
  permission: "profile.manage",
  params: idParams,
  body: updateProfileInput.omit({ roleId: true, expectedVersion: true }),
  response: { status: 200, schema: profileSchema, description: "The changed profile." },
  etag: "if-match",
});

export const remove = defineOperation({
  operationId: "deleteProfile",
  method: "DELETE",
  path: "/profiles/{id}",
  tag: "Permission profiles",
  summary: "Delete a custom profile that no assignment uses",
  description: rule,
  permission: "profile.manage",
  params: idParams,
  response: { status: 204, schema: z.null(), description: "Deleted." },
});

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
  response: { status: 201, schema: profileSchema, description: "The created profile." },
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

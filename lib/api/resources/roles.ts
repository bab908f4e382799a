import { z } from "zod";
import { defineOperation } from "../operation";
import { idParams } from "./common";

export const roleSchema = z
  .object({
    id: z.uuid().meta({ description: "What assignments, invitations and API clients name as `roleId`." }),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    builtin: z.boolean().meta({ description: "Owner, Manager and Viewer are built in; the others are the account's custom profiles." }),
    version: z.number().int().meta({ description: "A custom profile's version, the ETag of /profiles/{id} for If-Match." }),
  })
  .meta({ id: "Role" });

const lookingFrom = z.object({
  nodeId: z.uuid("Not a valid id.").optional().meta({ description: "The node you look from; your home node when left out." }),
});
const viewRule = "Visible to whoever may read members or manage profiles on the node they look from, as the portal's roles page.";

export const list = defineOperation({
  operationId: "listRoles",
  method: "GET",
  path: "/roles",
  tag: "Roles",
  summary: "Every role you can name: the built-in roles, then the account's custom profiles",
  description: `${viewRule} Built-in roles come first (Owner, Manager, Viewer), custom profiles follow by name; where profiles are used is in /profiles.`,
  permission: "member.read",
  query: lookingFrom,
  response: { status: 200, schema: z.object({ items: z.array(roleSchema) }).meta({ id: "RoleList" }), description: "The roles with their permissions." },
});

export const get = defineOperation({
  operationId: "getRole",
  method: "GET",
  path: "/roles/{id}",
  tag: "Roles",
  summary: "Read a built-in role or a custom profile",
  description: `${viewRule} Another account's profile is not found.`,
  permission: "member.read",
  params: idParams,
  query: lookingFrom,
  response: { status: 200, schema: roleSchema, description: "The role with its permissions." },
});

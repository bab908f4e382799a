import { z } from "zod";
import { CAPABILITIES, PERMISSIONS } from "@/lib/authz";

const id = z.uuid("Not a valid id.");
const futureDate = z.coerce
  .date({ error: "Not a valid date." })
  .refine((date) => date.getTime() > Date.now(), "The expiry must be in the future.");

export const assignRoleInput = z.object({ principalId: id, nodeId: id, roleId: id, expiresAt: futureDate.nullish() });
export const changeAssignmentInput = z.object({ assignmentId: id, roleId: id, expiresAt: futureDate.nullish() });
export const revokeAssignmentInput = z.object({ assignmentId: id });

const permissionList = z
  .array(z.enum(PERMISSIONS, { error: "Not a permission of the catalog." }))
  .min(1, "Choose at least one permission.")
  .transform((permissions) => [...new Set(permissions)].sort());
const profileName = z.string().trim().min(1, "Enter a name.").max(80, "Use at most 80 characters.");
const description = z.string().trim().max(500, "Use at most 500 characters.");

export const createProfileInput = z.object({ name: profileName, description: description.default(""), permissions: permissionList });
export const updateProfileInput = z.object({
  roleId: id,
  name: profileName.optional(),
  description: description.optional(),
  permissions: permissionList.optional(),
  expectedVersion: z.number().int().positive().optional(),
});
export const deleteProfileInput = z.object({ roleId: id });

export const setCapabilityInput = z.object({ nodeId: id, capability: z.enum(CAPABILITIES), expiresAt: futureDate.nullish() });
export const removeCapabilityInput = z.object({ nodeId: id, capability: z.enum(CAPABILITIES) });

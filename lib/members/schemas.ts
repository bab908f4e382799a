import { z } from "zod";

const id = z.uuid("Not a valid id.");

export const newPassword = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(256, "Use at most 256 characters.")
  .refine((value) => value.trim().length >= 12, "Use at least 12 characters that are not spaces.");

export const inviteInput = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(320),
  name: z.string().trim().min(1, "Enter a name.").max(200).optional(),
  nodeId: id,
  roleId: id,
});
export const invitationIdInput = z.object({ invitationId: id });
export const principalIdInput = z.object({ principalId: id });
export const acceptInvitationInput = z.object({ token: z.string().trim(), password: newPassword.optional() });
export const resetPasswordInput = z
  .object({ token: z.string().trim(), password: newPassword, confirm: z.string() })
  .refine((value) => value.password === value.confirm, { message: "The two passwords differ.", path: ["confirm"] });

"use server";

import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { disableMembers, removeAccess } from "@/lib/members/bulk";

// A form sends the selection as one comma-separated field; the service validates each id.
const selection = z.object({
  nodeId: z.uuid("Not a valid id."),
  principalIds: z.string().transform((value) => value.split(",").filter(Boolean)),
});

export const disableMembersAction = authorizedAction({ input: selection, permission: "member.manage", node: (input) => input.nodeId }, async (ctx, input) => {
  const { disabled } = await disableMembers(ctx, input);
  return `${disabled} ${disabled === 1 ? "member was" : "members were"} disabled and signed out everywhere.`;
});

export const removeAccessAction = authorizedAction({ input: selection, permission: "role.assign", node: (input) => input.nodeId }, async (ctx, input) => {
  const { removed } = await removeAccess(ctx, input);
  return `Access removed for ${removed} ${removed === 1 ? "member" : "members"}.`;
});

"use server";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { roleAssignments } from "@/db/schema";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { assignRole, changeAssignment, revokeAssignment } from "@/lib/access/service";
import type { ServiceContext } from "@/lib/service-context";

/** An empty date field means "no expiry"; anything else the service validates (and reports on the field). */
const expiry = z
  .string()
  .optional()
  .transform((value) => value || null);

/** Changing or revoking needs role.assign where the assignment is. */
const assignmentNode = async ({ assignmentId }: { assignmentId: string }, ctx: ServiceContext) => {
  const [row] = await ctx.db
    .select({ nodeId: roleAssignments.nodeId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.accountId, ctx.authz.principal.accountId), eq(roleAssignments.id, assignmentId)));
  return row?.nodeId ?? null;
};

export const assignRoleAction = authorizedAction(
  {
    input: z.object({ principalId: z.uuid("Not a valid id."), nodeId: z.uuid("Not a valid id."), roleId: z.uuid("Choose a role."), expiresAt: expiry }),
    permission: "role.assign",
    node: (input) => input.nodeId,
  },
  async (ctx, input) => {
    await assignRole(ctx, input);
    return "Role assigned.";
  },
);

export const changeRoleAction = authorizedAction(
  {
    input: z.object({ assignmentId: z.uuid("Not a valid id."), roleId: z.uuid("Choose a role."), expiresAt: expiry }),
    permission: "role.assign",
    node: assignmentNode,
  },
  async (ctx, input) => {
    await changeAssignment(ctx, input);
    return "Role changed.";
  },
);

export const revokeRoleAction = authorizedAction(
  { input: z.object({ assignmentId: z.uuid("Not a valid id.") }), permission: "role.assign", node: assignmentNode },
  async (ctx, input) => {
    await revokeAssignment(ctx, input);
    return "Role revoked.";
  },
);

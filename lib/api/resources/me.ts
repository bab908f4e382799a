import { z } from "zod";
import { defineOperation } from "../operation";
import { timestamp } from "./common";

export const meSchema = z
  .object({
    principal: z.object({
      id: z.uuid(),
      kind: z.enum(["user", "api_client"]),
      name: z.string(),
      accountId: z.uuid(),
      homeNodeId: z.uuid(),
      status: z.enum(["invited", "active", "disabled"]),
    }),
    assignments: z.array(
      z.object({
        assignmentId: z.uuid(),
        nodeId: z.uuid(),
        roleId: z.uuid(),
        roleName: z.string(),
        permissions: z.array(z.string()),
        source: z.enum(["direct", "invitation", "idp"]),
        expiresAt: timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: "Me" });

export const get = defineOperation({
  operationId: "getMe",
  method: "GET",
  path: "/me",
  tag: "Me",
  summary: "The calling client and its role assignments",
  permission: null,
  response: { status: 200, schema: meSchema, description: "Who you are and what you hold." },
});

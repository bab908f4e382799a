import { z } from "zod";
import { explainAccessInput } from "@/lib/access/explain";
import { CAPABILITIES, PERMISSIONS } from "@/lib/authz";
import { defineOperation } from "../operation";
import { timestamp } from "./common";

export const checkResultSchema = z
  .object({ allowed: z.boolean(), principalId: z.uuid(), permission: z.enum(PERMISSIONS), nodeId: z.uuid() })
  .meta({ id: "CheckResult" });

export const explanationSchema = z
  .object({
    allowed: z.boolean(),
    principalId: z.uuid(),
    permission: z.enum(PERMISSIONS),
    nodeId: z.uuid(),
    grant: z
      .object({
        assignmentId: z.uuid(),
        nodeId: z.uuid(),
        roleId: z.uuid(),
        roleName: z.string(),
        source: z.enum(["direct", "invitation", "idp"]),
        expiresAt: timestamp.nullable(),
      })
      .optional()
      .meta({ description: "The assignment that grants it (the nearest one), when allowed." }),
    inherited: z.boolean().optional(),
    reason: z.enum(["other-account", "principal-inactive", "capability-missing", "assignment-expired", "no-assignment"]).optional(),
    capability: z.enum(CAPABILITIES).optional(),
    message: z.string().optional(),
  })
  .meta({ id: "Explanation" });

const description = "Asking about yourself needs tenant.read on the node; about another principal, member.read there.";

export const check = defineOperation({
  operationId: "checkAccess",
  method: "POST",
  path: "/authz/check",
  tag: "Authorization",
  summary: "May a principal use a permission on a node?",
  description,
  permission: "tenant.read",
  body: explainAccessInput,
  response: { status: 200, schema: checkResultSchema, description: "The decision." },
});

export const explain = defineOperation({
  operationId: "explainAccess",
  method: "POST",
  path: "/authz/explain",
  tag: "Authorization",
  summary: "Why may (or may not) a principal use a permission on a node?",
  description,
  permission: "tenant.read",
  body: explainAccessInput,
  response: { status: 200, schema: explanationSchema, description: "The granting assignment, or the reason for the denial." },
});

import { z } from "zod";
import { assignRoleInput, changeAssignmentInput } from "@/lib/access/schemas";
import { defineOperation } from "../operation";
import { idParams, pageOf, pageQuery, timestamp } from "./common";
import { accessEntrySchema } from "./nodes";

export const assignmentSchema = z
  .object({
    id: z.uuid(),
    principalId: z.uuid(),
    nodeId: z.uuid(),
    roleId: z.uuid(),
    expiresAt: timestamp.nullable(),
    source: z.enum(["direct", "invitation", "idp"]),
    createdBy: z.uuid().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Assignment" });

const rules = "Creating, changing or removing an assignment follows the grant rules: nobody hands out more than they hold on the node, only an Owner grants Owner, nobody touches someone who outranks them, the account keeps an Owner.";

export const whoHasAccess = defineOperation({
  operationId: "listNodeAccess",
  method: "GET",
  path: "/nodes/{id}/access",
  tag: "Access",
  summary: "Who has access to a node, and through which assignments",
  description: "Every principal with any effective permission on the node, with the assignments it comes from (on the node or inherited).",
  permission: "member.read",
  params: idParams,
  response: { status: 200, schema: z.object({ items: z.array(accessEntrySchema) }).meta({ id: "AccessList" }), description: "Principals and their grants." },
});

export const listAssignments = defineOperation({
  operationId: "listNodeAssignments",
  method: "GET",
  path: "/nodes/{id}/assignments",
  tag: "Access",
  summary: "The role assignments held directly on a node",
  description:
    "Expired ones included: they are still there to change or remove. In a stable order, a page at a time. What a principal inherits from above is in `/nodes/{id}/access`.",
  permission: "member.read",
  params: idParams,
  query: z.object(pageQuery),
  response: { status: 200, schema: pageOf(assignmentSchema, "AssignmentPage"), description: "A page of assignments; the ETag changes with its content." },
});

export const getAssignment = defineOperation({
  operationId: "getAssignment",
  method: "GET",
  path: "/assignments/{id}",
  tag: "Access",
  summary: "Read a role assignment",
  description: "Needs member.read on the assignment's node.",
  permission: "member.read",
  params: idParams,
  response: { status: 200, schema: assignmentSchema, description: "The assignment; its ETag changes with its content." },
});

export const assign = defineOperation({
  operationId: "createAssignment",
  method: "POST",
  path: "/nodes/{id}/assignments",
  tag: "Access",
  summary: "Give a principal a role on a node",
  description: rules,
  permission: "role.assign",
  params: idParams,
  body: assignRoleInput.omit({ nodeId: true }),
  response: { status: 201, schema: assignmentSchema, description: "The created assignment, with the ETag a read of it answers." },
  etag: "read",
});

export const change = defineOperation({
  operationId: "updateAssignment",
  method: "PATCH",
  path: "/assignments/{id}",
  tag: "Access",
  summary: "Change the role or expiry of an assignment",
  description: rules,
  permission: "role.assign",
  params: idParams,
  body: changeAssignmentInput.omit({ assignmentId: true }),
  response: { status: 200, schema: assignmentSchema, description: "The changed assignment." },
});

export const revoke = defineOperation({
  operationId: "deleteAssignment",
  method: "DELETE",
  path: "/assignments/{id}",
  tag: "Access",
  summary: "Remove an assignment (or leave, when it is your own)",
  description: rules,
  permission: "role.assign",
  params: idParams,
  response: { status: 204, schema: z.null(), description: "Removed." },
});

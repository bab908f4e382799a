import { z } from "zod";
import { memberFilters } from "@/lib/members/list";
import { defineOperation } from "../operation";
import { idParams, pageOf, pageQuery, timestamp } from "./common";

const principalKind = z.enum(["user", "api_client"]);
const principalStatus = z.enum(["invited", "active", "disabled"]);
const source = z.enum(["direct", "invitation", "idp"]);
const heldRole = {
  assignmentId: z.uuid(),
  nodeId: z.uuid(),
  nodeName: z.string(),
  roleId: z.uuid(),
  roleKey: z.string(),
  roleName: z.string(),
  source,
  expiresAt: timestamp.nullable(),
};

export const memberSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    kind: principalKind,
    status: principalStatus,
    twoStepEnrolled: z.boolean(),
    lastSignInAt: timestamp.nullable(),
    here: z.array(z.object({ ...heldRole, inherited: z.boolean() })).meta({ description: "Roles in force on the node, held there or above it, nearest first." }),
    direct: z
      .object({ ...heldRole, expired: z.boolean() })
      .nullable()
      .meta({ description: "The assignment on this very node, even an expired one: what a change or a removal acts on." }),
    below: z.number().int().meta({ description: "How many assignments the member holds below the node." }),
  })
  .meta({ id: "Member" });

export const memberDetailSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    kind: principalKind,
    status: principalStatus,
    homeNodeId: z.uuid(),
    lastSignInAt: timestamp.nullable(),
    twoStepEnrolled: z.boolean(),
    assignments: z
      .array(
        z.object({
          id: z.uuid(),
          nodeId: z.uuid(),
          nodePath: z.array(z.string()).meta({ description: "Names from the account down to the node." }),
          roleId: z.uuid(),
          roleName: z.string(),
          source,
          expiresAt: timestamp.nullable(),
          expired: z.boolean(),
          mayChange: z.boolean().meta({ description: "Whether you may change or remove it under the grant rules." }),
        }),
      )
      .meta({ description: "The member's assignments on nodes where you may read members, outermost first." }),
  })
  .meta({ id: "MemberDetail" });

export const list = defineOperation({
  operationId: "listMembers",
  method: "GET",
  path: "/nodes/{id}/members",
  tag: "Members",
  summary: "The members of a node, filtered and sorted as in the portal",
  description:
    "Every principal with a role on the node, inherited from above it, or held below it; at the account, every principal of the account. " +
    "`roleId` and `source` match any of those roles. Pages follow a cursor of the same sort and direction.",
  permission: "member.read",
  params: idParams,
  query: memberFilters.omit({ nodeId: true }).extend(pageQuery),
  response: { status: 200, schema: pageOf(memberSchema, "MemberPage"), description: "A page of members; the ETag changes with its content." },
});

export const get = defineOperation({
  operationId: "getMember",
  method: "GET",
  path: "/members/{id}",
  tag: "Members",
  summary: "Read a member: a user or API client of the account, with the roles you may see",
  description:
    "Visible to whoever may read members on the member's home node or on a node where one of the member's roles is; " +
    "with `nodeId`, also where the member has access on that node (as the members list of that node shows them).",
  permission: "member.read",
  params: idParams,
  query: z.object({ nodeId: z.uuid("Not a valid id.").optional().meta({ description: "The node whose members list you came from." }) }),
  response: { status: 200, schema: memberDetailSchema, description: "The member; the ETag changes with its content." },
});

const rule = "Needs member.manage on the member's home node, and holding everything the member holds there.";

function memberAction(operationId: string, path: string, summary: string) {
  return defineOperation({
    operationId,
    method: "POST",
    path: `/members/{id}/${path}`,
    tag: "Members",
    summary,
    description: rule,
    permission: "member.manage",
    params: idParams,
    response: { status: 204, schema: z.null(), description: "Done." },
  });
}

export const signOutEverywhere = memberAction("signOutMemberEverywhere", "sign-out-everywhere", "End every session of a user, on every instance");
export const passwordReset = memberAction("requestMemberPasswordReset", "password-reset", "Mail a user a single-use link (30 minutes) to set a new password");
export const secondFactorReset = memberAction("resetMemberSecondFactor", "second-factor-reset", "Remove a user's authenticator: their next sign-in enrols again");

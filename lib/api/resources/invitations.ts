import { z } from "zod";
import { inviteInput } from "@/lib/members/schemas";
import { defineOperation } from "../operation";
import { idParams, pageOf, pageQuery, timestamp } from "./common";

const state = z.enum(["pending", "expired", "accepted", "declined", "revoked"]);

export const invitationSchema = z
  .object({ id: z.uuid(), email: z.string(), nodeId: z.uuid(), roleId: z.uuid(), state, expiresAt: timestamp, createdAt: timestamp })
  .meta({ id: "Invitation" });

const invitationRowSchema = z
  .object({ id: z.uuid(), email: z.string(), roleName: z.string(), state, expiresAt: timestamp, createdAt: timestamp })
  .meta({ id: "InvitationSummary" });

export const list = defineOperation({
  operationId: "listInvitations",
  method: "GET",
  path: "/nodes/{id}/invitations",
  tag: "Invitations",
  summary: "The invitations to a node, newest first",
  permission: "member.read",
  params: idParams,
  query: z.object(pageQuery),
  response: { status: 200, schema: pageOf(invitationRowSchema, "InvitationPage"), description: "A page of invitations and their state." },
});

export const invite = defineOperation({
  operationId: "createInvitation",
  method: "POST",
  path: "/nodes/{id}/invitations",
  tag: "Invitations",
  summary: "Invite an email address to a role on a node",
  description: "The role passes the grant rules. The link (7 days, single use) is mailed to the invitee, never returned.",
  permission: "member.invite",
  params: idParams,
  body: inviteInput.omit({ nodeId: true }),
  response: { status: 201, schema: invitationSchema, description: "The invitation, with its ETag." },
  etag: "read",
});

export const revoke = defineOperation({
  operationId: "revokeInvitation",
  method: "POST",
  path: "/invitations/{id}/revoke",
  tag: "Invitations",
  summary: "Withdraw a pending invitation: its link stops working",
  permission: "member.invite",
  params: idParams,
  response: { status: 204, schema: z.null(), description: "Withdrawn." },
});

export const resend = defineOperation({
  operationId: "resendInvitation",
  method: "POST",
  path: "/invitations/{id}/resend",
  tag: "Invitations",
  summary: "Send an invitation again with a new link valid 7 days",
  permission: "member.invite",
  params: idParams,
  response: { status: 204, schema: z.null(), description: "Sent again." },
});

import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invitations, localCredentials, nodes, principals, roleAssignments, roles, type Invitation } from "@/db/schema";
import { authorize, insertAuditEvent, recordAudit, recordDenial } from "@/lib/audit/record";
import { checkAssignmentChange, isPermission, type AuthContext, type Permission } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { DEFAULT_PAGE_SIZE, loadTreeNode, MAX_PAGE_SIZE } from "@/lib/authz/queries";
import { hashPassword } from "@/lib/auth/password";
import type { ClientInfo } from "@/lib/auth/sessions";
import { hashLinkToken, isLinkToken, newLinkToken } from "@/lib/auth/tokens";
import { decodeCursor, encodeCursor, invalidCursor } from "@/lib/cursor";
import { DomainError, notFound } from "@/lib/errors";
import { sendMail } from "@/lib/mail/send";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { acceptInvitationInput, invitationIdInput, inviteInput } from "./schemas";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationState = "pending" | "expired" | "accepted" | "declined" | "revoked";

export function invitationState(invitation: Pick<Invitation, "status" | "expiresAt">, now: Date): InvitationState {
  return invitation.status === "pending" && invitation.expiresAt <= now ? "expired" : invitation.status;
}

async function loadRole(ctx: ServiceContext, roleId: string) {
  const [role] = await ctx.db
    .select({ id: roles.id, key: roles.key, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.id, roleId), or(isNull(roles.accountId), eq(roles.accountId, ctx.authz.principal.accountId))));
  if (!role) throw notFound("role");
  return role;
}

/**
 * Invites an email to a role on a node (member.invite; the role must pass the grant rules). A new
 * email becomes an invited user whose home is that node; the link, valid 7 days, is mailed.
 */
export async function inviteMember(ctx: ServiceContext, raw: unknown, links: { baseUrl: string }): Promise<Invitation> {
  const input = parseInput(inviteInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "member.invite", "member.invite", node);
  const role = await loadRole(ctx, input.roleId);
  const [existing] = await ctx.db
    .select({ id: principals.id, accountId: principals.accountId, status: principals.status })
    .from(principals)
    .where(sql`lower(${principals.email}) = ${input.email}`);
  if (existing && existing.accountId !== node!.accountId) {
    throw new DomainError("conflict", "This email cannot be invited here.", { fieldErrors: { email: ["Cannot be invited here."] } });
  }
  if (existing?.status === "disabled") throw new DomainError("conflict", "This user is disabled.", { fieldErrors: { email: ["Disabled user."] } });
  // Someone invited before who never joined (no password, no role, nothing pending) is invited
  // afresh: their home moves to this node.
  const placeholder = existing ? await isUnusedPlaceholder(ctx, existing.id) : false;
  const member = existing && !placeholder ? existing : undefined;

  const target: AuthContext = member
    ? (await loadAuthContext(ctx.db, member.id, ctx.authz.now))!
    : { principal: { id: "new", accountId: node!.accountId, homeNodeId: node!.id, kind: "user", status: "invited", name: input.email, email: input.email }, grants: [], now: ctx.authz.now };
  const [home] = await ctx.db.select({ path: nodes.path }).from(nodes).where(eq(nodes.id, target.principal.homeNodeId));
  const verdict = checkAssignmentChange({
    kind: "create",
    actor: ctx.authz,
    target,
    node: { ...node!, isAccount: node!.kind === "account" },
    targetHomePath: home!.path,
    role: { key: role.key, permissions: new Set(role.permissions.filter(isPermission)) as ReadonlySet<Permission> },
  });
  if (!verdict.ok) {
    await recordDenial(ctx, { action: "member.invite", nodeId: node!.id, reason: verdict.message, targetType: "email", targetId: input.email });
    throw new DomainError("forbidden", verdict.message, { rule: verdict.rule });
  }
  if (member && target.grants.some((grant) => grant.nodeId === node!.id)) {
    throw new DomainError("conflict", "This user already has a role here; change it instead.", { fieldErrors: { email: ["Already has a role here."] } });
  }
  if (member && (await hasPendingInvitation(ctx, member.id, node!.id))) {
    throw new DomainError("conflict", "This user already has a pending invitation here; resend it instead.", { fieldErrors: { email: ["Already invited here."] } });
  }

  const { token, hash } = newLinkToken();
  return ctx.db.transaction(async (tx) => {
    if (placeholder) await tx.update(principals).set({ homeNodeId: node!.id, updatedAt: ctx.authz.now }).where(eq(principals.id, existing!.id));
    const principalId =
      existing?.id ??
      (
        await tx
          .insert(principals)
          .values({ accountId: node!.accountId, homeNodeId: node!.id, kind: "user", email: input.email, name: input.name ?? input.email.split("@")[0]!, status: "invited" })
          .returning({ id: principals.id })
      )[0]!.id;
    const [invitation] = await tx
      .insert(invitations)
      .values({
        accountId: node!.accountId,
        nodeId: node!.id,
        roleId: role.id,
        principalId,
        email: input.email,
        invitedBy: ctx.authz.principal.id,
        tokenHash: hash,
        expiresAt: new Date(ctx.authz.now.getTime() + INVITATION_LIFETIME_MS),
      })
      .returning();
    await mailInvitation(tx, invitation!, { inviter: ctx.authz.principal.name, nodeName: node!.name, roleName: role.name, token, baseUrl: links.baseUrl });
    await recordAudit(tx, ctx, { action: "member.invite", nodeId: node!.id, targetType: "principal", targetId: principalId, after: { email: input.email, role: role.name } });
    return invitation!;
  });
}

async function isUnusedPlaceholder(ctx: ServiceContext, principalId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({
      status: principals.status,
      credential: localCredentials.principalId,
      assignments: sql<number>`(select count(*)::int from ${roleAssignments} where ${roleAssignments.principalId} = ${principals.id})`,
      pending: sql<number>`(select count(*)::int from ${invitations} where ${invitations.principalId} = ${principals.id} and ${invitations.status} = 'pending' and ${invitations.expiresAt} > ${ctx.authz.now})`,
    })
    .from(principals)
    .leftJoin(localCredentials, eq(localCredentials.principalId, principals.id))
    .where(eq(principals.id, principalId));
  return row !== undefined && row.status === "invited" && row.credential === null && row.assignments === 0 && row.pending === 0;
}

async function hasPendingInvitation(ctx: ServiceContext, principalId: string, nodeId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.principalId, principalId), eq(invitations.nodeId, nodeId), eq(invitations.status, "pending"), sql`${invitations.expiresAt} > ${ctx.authz.now}`))
    .limit(1);
  return row !== undefined;
}

function mailInvitation(
  db: Parameters<typeof sendMail>[0],
  invitation: Invitation,
  about: { inviter: string; nodeName: string; roleName: string; token: string; baseUrl: string },
) {
  return sendMail(db, {
    accountId: invitation.accountId,
    to: invitation.email,
    subject: `${about.inviter} invited you to ${about.nodeName} on Arbor`,
    text: [
      `${about.inviter} invited you to ${about.nodeName} as ${about.roleName}.`,
      "",
      `Accept here (valid for 7 days, once):`,
      `${about.baseUrl}/invite/${about.token}`,
    ].join("\n"),
  });
}

export interface InvitationRow {
  id: string;
  email: string;
  roleName: string;
  state: InvitationState;
  expiresAt: Date;
  createdAt: Date;
}

/** The invitations to a node, newest first, with their state: pending, expired, accepted, declined or revoked. */
export async function listInvitations(ctx: ServiceContext, nodeId: string): Promise<InvitationRow[]> {
  return (await selectInvitations(ctx, nodeId, 200, null)).rows;
}

export const invitationPageInput = z.object({
  nodeId: z.uuid("Not a valid id."),
  cursor: z.string().min(1).max(2_000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** A page ends on an invitation: its id alone, so a tampered cursor can name nothing but a row. */
const invitationCursor = z.object({ id: z.uuid() });

/** The invitations to a node as `listInvitations` orders them, a keyset page at a time. */
export async function listInvitationPage(ctx: ServiceContext, raw: unknown): Promise<{ items: InvitationRow[]; nextCursor: string | null }> {
  const input = parseInput(invitationPageInput, raw);
  const after = input.cursor ? decodeCursor(input.cursor, invitationCursor).id : null;
  const { rows, more } = await selectInvitations(ctx, input.nodeId, input.limit, after);
  return { items: rows, nextCursor: more ? encodeCursor({ id: rows.at(-1)!.id }) : null };
}

async function selectInvitations(ctx: ServiceContext, nodeId: string, limit: number, afterId: string | null) {
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: nodeId }, ctx.authz.now);
  await authorize(ctx, "member.invitations", "member.read", node);
  const here = and(eq(invitations.accountId, node!.accountId), eq(invitations.nodeId, node!.id));
  // The creation time as PostgreSQL's text keeps the microseconds a JavaScript Date would drop.
  const [after] = afterId
    ? await ctx.db.select({ at: sql<string>`${invitations.createdAt}::text`, id: invitations.id }).from(invitations).where(and(here, eq(invitations.id, afterId)))
    : [];
  if (afterId && !after) throw invalidCursor();
  const found = await ctx.db
    .select({ id: invitations.id, email: invitations.email, roleName: roles.name, status: invitations.status, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(and(here, after ? sql`(${invitations.createdAt}, ${invitations.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(limit + 1);
  return {
    rows: found.slice(0, limit).map(({ status, ...row }) => ({ ...row, state: invitationState({ status, expiresAt: row.expiresAt }, ctx.authz.now) })),
    more: found.length > limit,
  };
}

async function loadForChange(ctx: ServiceContext, action: string, invitationId: string): Promise<Invitation> {
  const [invitation] = await ctx.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.accountId, ctx.authz.principal.accountId), eq(invitations.id, invitationId)));
  const node = invitation ? await loadTreeNode(ctx.db, invitation.accountId, { id: invitation.nodeId }, ctx.authz.now) : null;
  await authorize(ctx, action, "member.invite", node);
  if (invitation!.status !== "pending") throw new DomainError("invalid", `This invitation was already ${invitation!.status}.`);
  return invitation!;
}

/** Withdraws a pending invitation: its link stops working. */
export async function revokeInvitation(ctx: ServiceContext, raw: unknown): Promise<void> {
  const { invitationId } = parseInput(invitationIdInput, raw);
  const invitation = await loadForChange(ctx, "member.invitation-revoke", invitationId);
  await ctx.db.transaction(async (tx) => {
    await tx.update(invitations).set({ status: "revoked", respondedAt: ctx.authz.now, updatedAt: ctx.authz.now }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, ctx, { action: "member.invitation-revoke", nodeId: invitation.nodeId, targetType: "invitation", targetId: invitation.id });
  });
}

/** Sends a pending (or expired) invitation again with a new link valid 7 days; the old link stops working. */
export async function resendInvitation(ctx: ServiceContext, raw: unknown, links: { baseUrl: string }): Promise<void> {
  const { invitationId } = parseInput(invitationIdInput, raw);
  const invitation = await loadForChange(ctx, "member.invitation-resend", invitationId);
  const [about] = await ctx.db
    .select({ nodeName: nodes.name, roleName: roles.name })
    .from(invitations)
    .innerJoin(nodes, eq(nodes.id, invitations.nodeId))
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(eq(invitations.id, invitation.id));
  const { token, hash } = newLinkToken();
  await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(invitations)
      .set({ tokenHash: hash, expiresAt: new Date(ctx.authz.now.getTime() + INVITATION_LIFETIME_MS), updatedAt: ctx.authz.now })
      .where(eq(invitations.id, invitation.id))
      .returning();
    await mailInvitation(tx, updated!, { inviter: ctx.authz.principal.name, ...about!, token, baseUrl: links.baseUrl });
    await recordAudit(tx, ctx, { action: "member.invitation-resend", nodeId: invitation.nodeId, targetType: "invitation", targetId: invitation.id });
  });
}

export interface OpenInvitation {
  invitation: Invitation;
  email: string;
  name: string;
  nodeName: string;
  roleName: string;
  /** A new user sets a password through the link; an existing one only accepts. */
  needsPassword: boolean;
}

/** The pending, unexpired invitation behind a link, or null. */
export async function findOpenInvitation(db: Database, token: string, now: Date): Promise<OpenInvitation | null> {
  if (!isLinkToken(token)) return null;
  const [row] = await db
    .select({ invitation: invitations, name: principals.name, status: principals.status, nodeName: nodes.name, roleName: roles.name, credential: localCredentials.principalId })
    .from(invitations)
    .innerJoin(principals, eq(principals.id, invitations.principalId))
    .innerJoin(nodes, eq(nodes.id, invitations.nodeId))
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .leftJoin(localCredentials, eq(localCredentials.principalId, invitations.principalId))
    .where(eq(invitations.tokenHash, hashLinkToken(token)));
  if (!row || invitationState(row.invitation, now) !== "pending" || row.status === "disabled") return null;
  return {
    invitation: row.invitation,
    email: row.invitation.email,
    name: row.name,
    nodeName: row.nodeName,
    roleName: row.roleName,
    needsPassword: row.status === "invited" && row.credential === null,
  };
}

/** Accepts through the link: a new user sets their password here; the role is granted (source invitation). */
export async function acceptInvitation(db: Database, raw: unknown, client: ClientInfo, now: Date): Promise<{ email: string; newUser: boolean }> {
  const input = parseInput(acceptInvitationInput, raw);
  const open = await findOpenInvitation(db, input.token, now);
  if (!open) throw new DomainError("invalid", "This invitation has expired, was withdrawn or was already answered.");
  if (open.needsPassword && !input.password) {
    throw new DomainError("invalid", "Choose a password.", { fieldErrors: { password: ["Use at least 12 characters."] } });
  }
  const passwordHash = open.needsPassword ? await hashPassword(input.password!) : null;
  const { invitation } = open;
  await db.transaction(async (tx) => {
    const claimed = await tx
      .update(invitations)
      .set({ status: "accepted", respondedAt: now, updatedAt: now })
      .where(and(eq(invitations.id, invitation.id), eq(invitations.tokenHash, invitation.tokenHash), eq(invitations.status, "pending")))
      .returning({ id: invitations.id });
    if (claimed.length === 0) throw new DomainError("invalid", "This invitation was already answered.");
    if (passwordHash) {
      await tx.insert(localCredentials).values({ principalId: invitation.principalId, accountId: invitation.accountId, passwordHash });
    }
    await tx
      .update(principals)
      .set({ status: "active", updatedAt: now })
      .where(and(eq(principals.id, invitation.principalId), eq(principals.status, "invited")));
    const granted = await tx
      .insert(roleAssignments)
      .values({ accountId: invitation.accountId, principalId: invitation.principalId, nodeId: invitation.nodeId, roleId: invitation.roleId, source: "invitation", createdBy: invitation.invitedBy })
      .onConflictDoNothing()
      .returning({ id: roleAssignments.id });
    if (granted.length === 0) {
      throw new DomainError("conflict", "You already have a role here, so this invitation cannot add one. Ask for it to be changed instead.");
    }
    await insertAuditEvent(tx, {
      accountId: invitation.accountId,
      actorId: invitation.principalId,
      actingAs: "user",
      nodeId: invitation.nodeId,
      action: "invitation.accept",
      targetType: "invitation",
      targetId: invitation.id,
      address: client.address,
      userAgent: client.userAgent,
    });
  });
  return { email: open.email, newUser: open.needsPassword };
}

/** Declines through the link. */
export async function declineInvitation(db: Database, token: string, client: ClientInfo, now: Date): Promise<void> {
  const open = await findOpenInvitation(db, token, now);
  if (!open) throw new DomainError("invalid", "This invitation has expired, was withdrawn or was already answered.");
  await db.transaction(async (tx) => {
    const claimed = await tx
      .update(invitations)
      .set({ status: "declined", respondedAt: now, updatedAt: now })
      .where(and(eq(invitations.id, open.invitation.id), eq(invitations.tokenHash, open.invitation.tokenHash), eq(invitations.status, "pending")))
      .returning({ id: invitations.id });
    if (claimed.length === 0) throw new DomainError("invalid", "This invitation was already answered.");
    await insertAuditEvent(tx, {
      accountId: open.invitation.accountId,
      actorId: open.invitation.principalId,
      actingAs: "user",
      nodeId: open.invitation.nodeId,
      action: "invitation.decline",
      targetType: "invitation",
      targetId: open.invitation.id,
      address: client.address,
      userAgent: client.userAgent,
    });
  });
}

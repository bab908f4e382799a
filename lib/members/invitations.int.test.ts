import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { auditEvents, invitations, localCredentials, mailOutbox, nodes, principals, roleAssignments, roles } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { auditCounts, lastDenial, refusalCheck } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { passwordStep } from "@/lib/auth/sign-in";
import type { ClientInfo } from "@/lib/auth/sessions";
import { hashLinkToken } from "@/lib/auth/tokens";
import { loadAuthContext } from "@/lib/authz/load-context";
import { childPath } from "@/lib/authz/paths";
import { DomainError } from "@/lib/errors";
import { startSmtpServer, tokenFromLink } from "@/lib/mail/testing/smtp-server";
import type { ServiceContext } from "@/lib/service-context";
import {
  acceptInvitation,
  declineInvitation,
  findOpenInvitation,
  INVITATION_LIFETIME_MS,
  invitationState,
  inviteMember,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from "./invitations";

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const DISABLED = "oscar.lindqvist@northwind.example";
const BASE_URL = "https://portal.test";
const LINKS = { baseUrl: BASE_URL };
const CLIENT: ClientInfo = { address: "198.51.100.9", userAgent: "vitest browser" };
const NEW_PASSWORD = "a-new-long-password-42";
const SECOND = 1000;

let connection: DatabaseConnection;
const db = (): Database => connection.db;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let accountId: string;

beforeAll(async () => {
  connection = await createTestDatabase();
  accountId = (await seedDemo(connection.db, { password: "test-password-123" })).accountId;
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
  await connection?.close();
});
beforeEach(() => {
  vi.stubEnv("SMTP_URL", smtp.url);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function contextAt(email: string, now: Date): Promise<ServiceContext> {
  const authz = await loadAuthContext(db(), await principalId(db(), email), now);
  return { db: db(), authz: authz!, request: { address: "203.0.113.7", userAgent: "vitest" } };
}

async function invitationRow(id: string) {
  const [row] = await db().select().from(invitations).where(eq(invitations.id, id));
  return row!;
}

async function principalByEmail(email: string) {
  const [row] = await db().select().from(principals).where(sql`lower(${principals.email}) = lower(${email})`);
  return row;
}

async function assignmentsOf(principal: string, node: string) {
  return db()
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.principalId, principal), eq(roleAssignments.nodeId, node)));
}

/** Everything an invitation flow writes, to prove that a refusal wrote nothing but its denial. */
async function snapshot() {
  const [row] = await db()
    .select({
      principals: sql<string>`(select md5(coalesce(string_agg(p.id::text || p.status::text || p.session_version::text, ',' order by p.id), '')) from principals p)`,
      credentials: sql<number>`(select count(*)::int from local_credentials)`,
      invitations: sql<string>`(select md5(coalesce(string_agg(i.id::text || i.status::text || i.token_hash || i.expires_at::text, ',' order by i.id), '')) from invitations i)`,
      assignments: sql<string>`(select md5(coalesce(string_agg(a.id::text || a.role_id::text, ',' order by a.id), '')) from role_assignments a)`,
      outbox: sql<number>`(select count(*)::int from mail_outbox)`,
      ...auditCounts(),
    })
    .from(sql`(select 1) as one`);
  return { ...row!, mails: smtp.received.length };
}

/** Runs a refused call: checks its error, and that it wrote nothing but (when `denial`) one `.denied` event. */
const expectRefusal = refusalCheck(snapshot);

/** Invites and returns the invitation together with the token of the link that arrived by mail. */
async function invite(actorEmail: string, input: { email: string; node: string; role: "owner" | "manager" | "viewer"; name?: string }) {
  const ctx = await contextFor(db(), actorEmail);
  const invitation = await inviteMember(ctx, { email: input.email, name: input.name, nodeId: await nodeId(db(), input.node), roleId: await builtinRoleId(db(), input.role) }, LINKS);
  const token = tokenFromLink(smtp.lastMailTo(invitation.email).text, "invite", BASE_URL);
  return { ctx, invitation, token };
}

describe("inviting a new user", () => {
  it("creates an invited user homed at the node, stores only the link's hash and mails the link over SMTP", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const elbe = await nodeId(db(), "elbe-chemie");
    const viewer = await builtinRoleId(db(), "viewer");
    const mailsBefore = smtp.received.length;
    const invitation = await inviteMember(ctx, { email: "  Nina.Neu@Elbe-Chemie.example ", name: "Nina Neu", nodeId: elbe, roleId: viewer }, LINKS);

    expect(invitation).toMatchObject({ accountId, nodeId: elbe, roleId: viewer, email: "nina.neu@elbe-chemie.example", status: "pending", invitedBy: ctx.authz.principal.id });
    expect(invitation.expiresAt.getTime()).toBe(ctx.authz.now.getTime() + INVITATION_LIFETIME_MS);
    const invitee = await principalByEmail("nina.neu@elbe-chemie.example");
    expect(invitee).toMatchObject({ id: invitation.principalId, accountId, homeNodeId: elbe, kind: "user", status: "invited", name: "Nina Neu" });
    expect(await db().select().from(localCredentials).where(eq(localCredentials.principalId, invitee!.id))).toEqual([]);
    expect(await assignmentsOf(invitee!.id, elbe)).toEqual([]);

    expect(smtp.received.length).toBe(mailsBefore + 1);
    const mail = smtp.lastMailTo("nina.neu@elbe-chemie.example");
    expect(mail.subject).toBe("Emma Schulz invited you to Elbe Chemie on Arbor");
    expect(mail.text).toContain("as Viewer");
    const token = tokenFromLink(mail.text, "invite", BASE_URL);
    expect((await invitationRow(invitation.id)).tokenHash).toBe(hashLinkToken(token));
    const [{ copies }] = (await db()
      .select({
        copies: sql<number>`(select count(*)::int from (
          select row_to_json(t)::text as r from invitations t
          union all select row_to_json(t)::text from principals t
          union all select row_to_json(t)::text from audit_events t
          union all select row_to_json(t)::text from mail_outbox t
        ) everything where position(${token} in r) > 0)`,
      })
      .from(sql`(select 1) as one`)) as [{ copies: number }];
    expect(copies).toBe(0);
    expect(await db().select().from(mailOutbox)).toEqual([]);

    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "member.invite"), eq(auditEvents.targetId, invitee!.id)));
    expect(event).toMatchObject({ actorId: ctx.authz.principal.id, nodeId: elbe, targetType: "principal", address: "203.0.113.7" });
    expect(event!.summary).toEqual({ after: { email: "nina.neu@elbe-chemie.example", role: "Viewer" } });

    const open = await findOpenInvitation(db(), token, new Date());
    expect(open).toMatchObject({ email: "nina.neu@elbe-chemie.example", name: "Nina Neu", nodeName: "Elbe Chemie", roleName: "Viewer", needsPassword: true });
    const listed = await listInvitations(ctx, elbe);
    expect(listed.find((row) => row.id === invitation.id)).toMatchObject({ email: "nina.neu@elbe-chemie.example", roleName: "Viewer", state: "pending" });
  });

  it("accepts through the mailed link once: the user becomes active with a password and holds the role by invitation", async () => {
    const { ctx, invitation, token } = await invite(EMEA_ADMIN, { email: "otto.neumann@elbe-chemie.example", node: "elbe-chemie", role: "viewer" });
    const now = new Date();
    await expectRefusal(() => acceptInvitation(db(), { token }, CLIENT, now), { code: "invalid", field: "password" }, false);
    await expectRefusal(() => acceptInvitation(db(), { token, password: "too-short" }, CLIENT, now), { code: "invalid", field: "password" }, false);
    await expectRefusal(() => acceptInvitation(db(), { token, password: "            x" }, CLIENT, now), { code: "invalid", field: "password" }, false);

    expect(await acceptInvitation(db(), { token, password: NEW_PASSWORD }, CLIENT, now)).toEqual({ email: "otto.neumann@elbe-chemie.example", newUser: true });

    const invitee = await principalByEmail("otto.neumann@elbe-chemie.example");
    expect(invitee!.status).toBe("active");
    expect(await db().select().from(localCredentials).where(eq(localCredentials.principalId, invitee!.id))).toHaveLength(1);
    const [assignment] = await assignmentsOf(invitee!.id, invitation.nodeId);
    expect(assignment).toMatchObject({ roleId: invitation.roleId, source: "invitation", createdBy: ctx.authz.principal.id, expiresAt: null });
    expect(await invitationRow(invitation.id)).toMatchObject({ status: "accepted", respondedAt: now });

    const signIn = await passwordStep(db(), { email: "otto.neumann@elbe-chemie.example", password: NEW_PASSWORD }, CLIENT, new Date());
    expect(signIn).toMatchObject({ ok: true, principalId: invitee!.id, next: "enroll" });

    expect(await findOpenInvitation(db(), token, new Date())).toBeNull();
    await expectRefusal(() => acceptInvitation(db(), { token, password: "another-password-99" }, CLIENT, new Date()), { code: "invalid" }, false);
    await expectRefusal(() => declineInvitation(db(), token, CLIENT, new Date()), { code: "invalid" }, false);

    const events = await db()
      .select({ action: auditEvents.action, actorId: auditEvents.actorId, nodeId: auditEvents.nodeId, targetId: auditEvents.targetId, address: auditEvents.address })
      .from(auditEvents)
      .where(sql`${auditEvents.targetId} in (${invitee!.id}, ${invitation.id}) and ${auditEvents.action} in ('member.invite', 'invitation.accept')`)
      .orderBy(asc(auditEvents.id));
    expect(events).toEqual([
      { action: "member.invite", actorId: ctx.authz.principal.id, nodeId: invitation.nodeId, targetId: invitee!.id, address: "203.0.113.7" },
      { action: "invitation.accept", actorId: invitee!.id, nodeId: invitation.nodeId, targetId: invitation.id, address: CLIENT.address },
    ]);
    expect((await listInvitations(ctx, invitation.nodeId)).find((row) => row.id === invitation.id)?.state).toBe("accepted");
  });

  it("refuses a token that is not a link token, or one that matches no invitation", async () => {
    const now = new Date();
    expect(await findOpenInvitation(db(), "not-a-token", now)).toBeNull();
    expect(await findOpenInvitation(db(), "A".repeat(43), now)).toBeNull();
    await expectRefusal(() => acceptInvitation(db(), { token: "A".repeat(43), password: NEW_PASSWORD }, CLIENT, now), { code: "invalid" }, false);
    await expectRefusal(() => declineInvitation(db(), "'; drop table invitations; --", CLIENT, now), { code: "invalid" }, false);
  });

  it("lets an account Manager invite a Viewer at the account itself (rule 3 allows roles without role.assign)", async () => {
    const { invitation } = await invite(ACCOUNT_MANAGER, { email: "vera.viewer@northwind.example", node: "northwind", role: "viewer" });
    expect(invitation).toMatchObject({ nodeId: accountId, status: "pending" });
    expect((await principalByEmail("vera.viewer@northwind.example"))!.homeNodeId).toBe(accountId);
  });
});

describe("inviting an existing user", () => {
  it("accepts without a password: the user keeps their password and gains the role", async () => {
    const grace = await principalByEmail("grace.kim@northwind.example");
    const [credentialBefore] = await db().select().from(localCredentials).where(eq(localCredentials.principalId, grace!.id));
    const { invitation, token } = await invite(OWNER, { email: "Grace.Kim@northwind.example", node: "emea", role: "manager" });
    expect(invitation.principalId).toBe(grace!.id);
    expect(smtp.lastMailTo("grace.kim@northwind.example").subject).toBe("Ava Thompson invited you to EMEA on Arbor");

    expect(await findOpenInvitation(db(), token, new Date())).toMatchObject({ needsPassword: false, roleName: "Manager", nodeName: "EMEA" });
    expect(await acceptInvitation(db(), { token }, CLIENT, new Date())).toEqual({ email: "grace.kim@northwind.example", newUser: false });

    const [assignment] = await assignmentsOf(grace!.id, invitation.nodeId);
    expect(assignment).toMatchObject({ roleId: await builtinRoleId(db(), "manager"), source: "invitation" });
    expect((await principalByEmail("grace.kim@northwind.example"))!.status).toBe("active");
    const [credentialAfter] = await db().select().from(localCredentials).where(eq(localCredentials.principalId, grace!.id));
    expect(credentialAfter!.passwordHash).toBe(credentialBefore!.passwordHash);
    expect(await passwordStep(db(), { email: "grace.kim@northwind.example", password: "test-password-123" }, CLIENT, new Date())).toMatchObject({ ok: true });
    await expectRefusal(() => acceptInvitation(db(), { token }, CLIENT, new Date()), { code: "invalid" }, false);
  });

  it("declines through the link: the invitation is declined and no role is granted", async () => {
    const ethan = await principalId(db(), "ethan.brooks@northwind.example");
    const { ctx, invitation, token } = await invite(EMEA_ADMIN, { email: "ethan.brooks@northwind.example", node: "baltic-freight-lines", role: "viewer" });
    const assignmentsBefore = (await snapshot()).assignments;
    const now = new Date();
    await declineInvitation(db(), token, CLIENT, now);

    expect(await invitationRow(invitation.id)).toMatchObject({ status: "declined", respondedAt: now });
    expect(await assignmentsOf(ethan, invitation.nodeId)).toEqual([]);
    expect((await snapshot()).assignments).toBe(assignmentsBefore);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "invitation.decline"), eq(auditEvents.targetId, invitation.id)));
    expect(event).toMatchObject({ actorId: ethan, nodeId: invitation.nodeId, address: CLIENT.address });

    expect(await findOpenInvitation(db(), token, new Date())).toBeNull();
    await expectRefusal(() => acceptInvitation(db(), { token }, CLIENT, new Date()), { code: "invalid" }, false);
    await expectRefusal(() => declineInvitation(db(), token, CLIENT, new Date()), { code: "invalid" }, false);
    expect((await listInvitations(ctx, invitation.nodeId)).find((row) => row.id === invitation.id)?.state).toBe("declined");
  });
});

describe("refused invitations", () => {
  async function input(email: string, node: string, role: "owner" | "manager" | "viewer") {
    return { email, nodeId: await nodeId(db(), node), roleId: await builtinRoleId(db(), role) };
  }

  it("refuses a viewer who invites (forbidden) and records the denial", async () => {
    const ctx = await contextFor(db(), CUSTOMER_VIEWER);
    await expectRefusal(() => inviteMember(ctx, { email: "friend@adler-logistik.example", nodeId: ctx.authz.principal.homeNodeId, roleId: ctx.authz.grants[0]!.roleId }, LINKS), { code: "forbidden" }, true);
    expect(await lastDenial(db())).toMatchObject({ action: "member.invite.denied", actorId: ctx.authz.principal.id, nodeId: ctx.authz.principal.homeNodeId });
    expect(await principalByEmail("friend@adler-logistik.example")).toBeUndefined();
  });

  it("answers not-found to the EMEA admin who invites to an Americas node", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    await expectRefusal(async () => inviteMember(ctx, await input("someone@pioneer-rail.example", "pioneer-rail", "viewer"), LINKS), { code: "not_found" }, true);
    expect(await lastDenial(db())).toMatchObject({ action: "member.invite.denied", actorId: ctx.authz.principal.id });
    await expectRefusal(async () => inviteMember(ctx, { ...(await input("someone@pioneer-rail.example", "pioneer-rail", "viewer")), nodeId: crypto.randomUUID() }, LINKS), { code: "not_found" }, true);
  });

  it("refuses an account Manager who invites as Owner (grant rules: more than they hold)", async () => {
    const ctx = await contextFor(db(), ACCOUNT_MANAGER);
    await expectRefusal(async () => inviteMember(ctx, await input("new.owner@elbe-chemie.example", "elbe-chemie", "owner"), LINKS), { code: "forbidden", rule: 1 }, true);
    expect(await lastDenial(db())).toMatchObject({ action: "member.invite.denied", targetType: "email", targetId: "new.owner@elbe-chemie.example" });
    await expectRefusal(async () => inviteMember(ctx, await input("grace.kim@northwind.example", "northwind", "owner"), LINKS), { code: "forbidden" }, true);
  });

  it("refuses an account Manager who invites a Manager at the account (rule 3)", async () => {
    const ctx = await contextFor(db(), ACCOUNT_MANAGER);
    await expectRefusal(async () => inviteMember(ctx, await input("new.manager@northwind.example", "northwind", "manager"), LINKS), { code: "forbidden", rule: 3 }, true);
    expect(await principalByEmail("new.manager@northwind.example")).toBeUndefined();
  });

  it("refuses an email that belongs to another account (conflict)", async () => {
    await otherAccount();
    const ctx = await contextFor(db(), OWNER);
    const error = await expectRefusal(async () => inviteMember(ctx, await input("Carla.Other@contoso.example", "emea", "viewer"), LINKS), { code: "conflict", field: "email" }, false);
    expect(error.message).not.toContain("Contoso");
  });

  it("refuses a disabled user (conflict)", async () => {
    const ctx = await contextFor(db(), OWNER);
    await expectRefusal(async () => inviteMember(ctx, await input(DISABLED, "emea", "viewer"), LINKS), { code: "conflict", field: "email" }, false);
  });

  it("refuses a malformed email with a field error", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    await expectRefusal(async () => inviteMember(ctx, await input("not-an-email", "elbe-chemie", "viewer"), LINKS), { code: "invalid", field: "email" }, false);
    await expectRefusal(async () => inviteMember(ctx, { email: "ok@elbe-chemie.example", nodeId: "elbe-chemie", roleId: "viewer" }, LINKS), { code: "invalid", field: "nodeId" }, false);
  });

  it("refuses a user who already has a role on that node (conflict)", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    await expectRefusal(async () => inviteMember(ctx, await input(CUSTOMER_VIEWER, "adler-logistik", "manager"), LINKS), { code: "conflict", field: "email" }, false);
  });

  it("answers not-found for a role of another account", async () => {
    const ctx = await contextFor(db(), OWNER);
    const [foreignRole] = await db()
      .insert(roles)
      .values({ accountId: await otherAccount(), key: "foreign-role", name: "Foreign", permissions: ["tenant.read"] })
      .returning({ id: roles.id });
    await expectRefusal(async () => inviteMember(ctx, { ...(await input("x@elbe-chemie.example", "elbe-chemie", "viewer")), roleId: foreignRole!.id }, LINKS), { code: "not_found" }, false);
  });
});

let contoso: Promise<string> | undefined;

/** A second account, Contoso, with one user, made by direct inserts. */
function otherAccount(): Promise<string> {
  contoso ??= (async () => {
    const id = crypto.randomUUID();
    await db().insert(nodes).values({ id, accountId: id, kind: "account", name: "Contoso MSP", slug: "contoso", path: childPath(null, id), depth: 0 });
    await db().insert(principals).values({ accountId: id, homeNodeId: id, kind: "user", email: "carla.other@contoso.example", name: "Carla Other", status: "active" });
    return id;
  })();
  return contoso;
}

describe("expiry, resend and revoke", () => {
  it("refuses the link 7 days and 1 second later and lists the invitation as expired", async () => {
    const { ctx, invitation, token } = await invite(EMEA_ADMIN, { email: "late.comer@galway-medtech.example", node: "galway-medtech", role: "viewer" });
    const lastMoment = new Date(ctx.authz.now.getTime() + INVITATION_LIFETIME_MS - SECOND);
    const later = new Date(ctx.authz.now.getTime() + INVITATION_LIFETIME_MS + SECOND);
    expect(await findOpenInvitation(db(), token, lastMoment)).not.toBeNull();
    expect(await findOpenInvitation(db(), token, later)).toBeNull();
    await expectRefusal(() => acceptInvitation(db(), { token, password: NEW_PASSWORD }, CLIENT, later), { code: "invalid" }, false);
    await expectRefusal(() => declineInvitation(db(), token, CLIENT, later), { code: "invalid" }, false);
    expect((await principalByEmail("late.comer@galway-medtech.example"))!.status).toBe("invited");

    const laterCtx = await contextAt(EMEA_ADMIN, later);
    expect((await listInvitations(laterCtx, invitation.nodeId)).find((row) => row.id === invitation.id)?.state).toBe("expired");
    expect((await listInvitations(ctx, invitation.nodeId)).find((row) => row.id === invitation.id)?.state).toBe("pending");
  });

  it("resends an expired invitation with a new link and a new mail: the old link stops working, the new one works", async () => {
    const { ctx, invitation, token: oldToken } = await invite(EMEA_ADMIN, { email: "second.chance@galway-medtech.example", node: "galway-medtech", role: "viewer" });
    const later = new Date(ctx.authz.now.getTime() + INVITATION_LIFETIME_MS + SECOND);
    const laterCtx = await contextAt(EMEA_ADMIN, later);
    const mailsBefore = smtp.received.length;
    await resendInvitation(laterCtx, { invitationId: invitation.id }, LINKS);

    expect(smtp.received.length).toBe(mailsBefore + 1);
    const mail = smtp.lastMailTo("second.chance@galway-medtech.example");
    expect(mail.subject).toBe("Emma Schulz invited you to Galway Medtech on Arbor");
    const newToken = tokenFromLink(mail.text, "invite", BASE_URL);
    expect(newToken).not.toBe(oldToken);
    const row = await invitationRow(invitation.id);
    expect(row).toMatchObject({ status: "pending", tokenHash: hashLinkToken(newToken) });
    expect(row.expiresAt.getTime()).toBe(later.getTime() + INVITATION_LIFETIME_MS);
    expect((await listInvitations(laterCtx, invitation.nodeId)).find((entry) => entry.id === invitation.id)?.state).toBe("pending");

    expect(await findOpenInvitation(db(), oldToken, ctx.authz.now)).toBeNull();
    await expectRefusal(() => acceptInvitation(db(), { token: oldToken, password: NEW_PASSWORD }, CLIENT, later), { code: "invalid" }, false);
    expect(await findOpenInvitation(db(), newToken, later)).toMatchObject({ needsPassword: true });
    await acceptInvitation(db(), { token: newToken, password: NEW_PASSWORD }, CLIENT, later);
    expect((await principalByEmail("second.chance@galway-medtech.example"))!.status).toBe("active");
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "member.invitation-resend"), eq(auditEvents.targetId, invitation.id)));
    expect(event).toMatchObject({ actorId: ctx.authz.principal.id, nodeId: invitation.nodeId });
  });

  it("resends a pending invitation too, and refuses to resend an answered one", async () => {
    const { ctx, invitation, token } = await invite(EMEA_ADMIN, { email: "resend.pending@galway-medtech.example", node: "galway-medtech", role: "viewer" });
    await resendInvitation(ctx, { invitationId: invitation.id }, LINKS);
    const newToken = tokenFromLink(smtp.lastMailTo("resend.pending@galway-medtech.example").text, "invite", BASE_URL);
    expect(await findOpenInvitation(db(), token, new Date())).toBeNull();
    await acceptInvitation(db(), { token: newToken, password: NEW_PASSWORD }, CLIENT, new Date());
    await expectRefusal(() => resendInvitation(ctx, { invitationId: invitation.id }, LINKS), { code: "invalid" }, false);
  });

  it("revokes: the link stops working, the list shows revoked, and a second revoke is invalid", async () => {
    const { ctx, invitation, token } = await invite(EMEA_ADMIN, { email: "withdrawn@galway-medtech.example", node: "galway-medtech", role: "viewer" });
    await revokeInvitation(ctx, { invitationId: invitation.id });

    expect(await invitationRow(invitation.id)).toMatchObject({ status: "revoked" });
    expect(await findOpenInvitation(db(), token, new Date())).toBeNull();
    await expectRefusal(() => acceptInvitation(db(), { token, password: NEW_PASSWORD }, CLIENT, new Date()), { code: "invalid" }, false);
    await expectRefusal(() => declineInvitation(db(), token, CLIENT, new Date()), { code: "invalid" }, false);
    expect((await listInvitations(ctx, invitation.nodeId)).find((row) => row.id === invitation.id)?.state).toBe("revoked");
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "member.invitation-revoke"), eq(auditEvents.targetId, invitation.id)));
    expect(event).toMatchObject({ actorId: ctx.authz.principal.id, nodeId: invitation.nodeId });

    await expectRefusal(() => revokeInvitation(ctx, { invitationId: invitation.id }), { code: "invalid" }, false);
    await expectRefusal(() => resendInvitation(ctx, { invitationId: invitation.id }, LINKS), { code: "invalid" }, false);
  });

  it("answers not-found to an actor who revokes or resends an invitation outside their subtree, and to an unknown id", async () => {
    const { invitation, token } = await invite(EMEA_ADMIN, { email: "kept@galway-medtech.example", node: "galway-medtech", role: "viewer" });
    const outsider = await contextFor(db(), "lucas.oliveira@northwind.example");
    await expectRefusal(() => revokeInvitation(outsider, { invitationId: invitation.id }), { code: "not_found" }, true);
    await expectRefusal(() => resendInvitation(outsider, { invitationId: invitation.id }, LINKS), { code: "not_found" }, true);
    await expectRefusal(() => revokeInvitation(outsider, { invitationId: crypto.randomUUID() }), { code: "not_found" }, true);
    await expectRefusal(() => revokeInvitation(outsider, { invitationId: "nope" }), { code: "invalid", field: "invitationId" }, false);
    expect(await findOpenInvitation(db(), token, new Date())).not.toBeNull();
  });

  it("refuses a viewer who revokes an invitation on their own node (forbidden)", async () => {
    const { invitation } = await invite(EMEA_ADMIN, { email: "colleague@adler-logistik.example", node: "adler-logistik", role: "viewer" });
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    await expectRefusal(() => revokeInvitation(viewer, { invitationId: invitation.id }), { code: "forbidden" }, true);
    expect((await listInvitations(viewer, invitation.nodeId)).find((row) => row.id === invitation.id)?.state).toBe("pending");
  });

  it("names the state of an invitation at a given time", () => {
    const expiresAt = new Date("2030-01-08T00:00:00.000Z");
    expect(invitationState({ status: "pending", expiresAt }, new Date(expiresAt.getTime() - 1))).toBe("pending");
    expect(invitationState({ status: "pending", expiresAt }, expiresAt)).toBe("expired");
    expect(invitationState({ status: "accepted", expiresAt }, new Date(expiresAt.getTime() + SECOND))).toBe("accepted");
    expect(invitationState({ status: "declined", expiresAt }, new Date(expiresAt.getTime() + SECOND))).toBe("declined");
    expect(invitationState({ status: "revoked", expiresAt }, new Date(expiresAt.getTime() + SECOND))).toBe("revoked");
  });
});

describe("consistency of answers", () => {
  it("answers a link that is accepted and declined at the same moment once: accepted with the role, or declined without it", async () => {
    const ctx = await contextFor(db(), OWNER);
    const grace = await principalId(db(), "grace.kim@northwind.example");
    for (const slug of ["adler-logistik", "castellane-assurances", "duna-energetika", "harbour-lane-dental", "isar-bakery-group", "jura-watchworks"]) {
      const invitation = await inviteMember(ctx, { email: "grace.kim@northwind.example", nodeId: await nodeId(db(), slug), roleId: await builtinRoleId(db(), "viewer") }, LINKS);
      const token = tokenFromLink(smtp.lastMailTo("grace.kim@northwind.example").text, "invite", BASE_URL);
      const now = new Date();
      const [accepted, declined] = await Promise.allSettled([acceptInvitation(db(), { token }, CLIENT, now), declineInvitation(db(), token, CLIENT, now)]);
      const { status } = await invitationRow(invitation.id);
      const held = (await assignmentsOf(grace, invitation.nodeId)).length;
      const answers = await db()
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, invitation.id), sql`${auditEvents.action} in ('invitation.accept', 'invitation.decline')`));
      expect({ slug, outcomes: [accepted.status, declined.status].sort(), consistent: status === "accepted" ? held === 1 : held === 0, answers: answers.length }).toEqual({
        slug,
        outcomes: ["fulfilled", "rejected"],
        consistent: true,
        answers: 1,
      });
    }
  });

  it("never reports an invitation accepted while the invited role is not held", async () => {
    const { invitation, token } = await invite(OWNER, { email: "noah.becker@northwind.example", node: "fjord-maritime", role: "manager" });
    // Meanwhile somebody gives Noah another role on the same node.
    await db().insert(roleAssignments).values({ accountId, principalId: invitation.principalId, nodeId: invitation.nodeId, roleId: await builtinRoleId(db(), "viewer"), source: "direct" });
    const outcome = await acceptInvitation(db(), { token }, CLIENT, new Date()).then(
      () => "accepted",
      (error: unknown) => (error instanceof DomainError ? error.code : "crashed"),
    );
    const [assignment] = await assignmentsOf(invitation.principalId, invitation.nodeId);
    const { status } = await invitationRow(invitation.id);
    if (outcome === "accepted") expect({ status, roleId: assignment!.roleId }).toEqual({ status: "accepted", roleId: invitation.roleId });
    else expect({ outcome, status }).toMatchObject({ outcome: expect.stringMatching(/^(conflict|invalid)$/), status: expect.not.stringMatching(/^accepted$/) });
  });

  it("lets an admin invite a new email to another node after revoking a mistaken invitation", async () => {
    const { ctx, invitation } = await invite(EMEA_ADMIN, { email: "wrong.node@example.org", node: "elbe-chemie", role: "viewer" });
    await revokeInvitation(ctx, { invitationId: invitation.id });
    const corrected = await inviteMember(ctx, { email: "wrong.node@example.org", nodeId: await nodeId(db(), "galway-medtech"), roleId: await builtinRoleId(db(), "viewer") }, LINKS);
    const token = tokenFromLink(smtp.lastMailTo("wrong.node@example.org").text, "invite", BASE_URL);
    await acceptInvitation(db(), { token, password: NEW_PASSWORD }, CLIENT, new Date());
    expect(await assignmentsOf(corrected.principalId, corrected.nodeId)).toHaveLength(1);
  });
});

describe("mail without a server", () => {
  it("keeps the invitation mail in the outbox when SMTP_URL is unset, and its link works", async () => {
    vi.stubEnv("SMTP_URL", undefined);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const mailsBefore = smtp.received.length;
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const invitation = await inviteMember(ctx, { email: "outbox.reader@fjord-maritime.example", nodeId: await nodeId(db(), "fjord-maritime"), roleId: await builtinRoleId(db(), "viewer") }, LINKS);

    expect(smtp.received.length).toBe(mailsBefore);
    const [kept] = await db().select().from(mailOutbox).where(eq(mailOutbox.recipient, "outbox.reader@fjord-maritime.example"));
    expect(kept).toMatchObject({ accountId, subject: "Emma Schulz invited you to Fjord Maritime on Arbor" });
    expect(kept!.bodyText).toMatch(new RegExp(`${BASE_URL}/invite/[A-Za-z0-9_-]{43}`));
    const token = tokenFromLink(kept!.bodyText, "invite", BASE_URL);
    expect((await invitationRow(invitation.id)).tokenHash).toBe(hashLinkToken(token));
    await acceptInvitation(db(), { token, password: NEW_PASSWORD }, CLIENT, new Date());
    expect((await principalByEmail("outbox.reader@fjord-maritime.example"))!.status).toBe("active");
  });
});

import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { auditEvents, localCredentials, mailOutbox, nodes, passwordResets, principals, recoveryCodes, roleAssignments, totpCredentials } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { auditCounts, lastDenial, refusalCheck } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { findLiveSession, openSession, type ClientInfo } from "@/lib/auth/sessions";
import { beginEnrolment, completeSignIn, confirmEnrolment, passwordStep } from "@/lib/auth/sign-in";
import { hashLinkToken } from "@/lib/auth/tokens";
import { totpCodeAt } from "@/lib/auth/totp";
import { childPath } from "@/lib/authz/paths";
import { DomainError } from "@/lib/errors";
import { startSmtpServer, tokenFromLink } from "@/lib/mail/testing/smtp-server";
import { findUsableReset, requestPasswordReset, RESET_LIFETIME_MS, resetPassword, resetSecondFactor, signOutEverywhere } from "./security";
import { loadManagedPrincipal } from "./target";

const PASSWORD = "test-password-123";
const NEW_PASSWORD = "a-brand-new-password-77";
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const DISABLED = "oscar.lindqvist@northwind.example";
const BASE_URL = "https://portal.test";
const LINKS = { baseUrl: BASE_URL };
const SECOND = 1000;
let nextAddress = 1;

/** A client at an address no other test uses, so that no rate limit of one test touches another. */
function newClient(): ClientInfo {
  const n = nextAddress++;
  return { address: `198.51.100.${n}`, userAgent: `vitest client ${n}` };
}

let connection: DatabaseConnection;
const db = (): Database => connection.db;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let accountId: string;

beforeAll(async () => {
  connection = await createTestDatabase();
  accountId = (await seedDemo(connection.db, { password: PASSWORD })).accountId;
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
});

async function user(email: string) {
  const [row] = await db().select().from(principals).where(eq(principals.email, email));
  if (!row) throw new Error(`no principal ${email}`);
  return row;
}

/** Opens a complete session for the user directly, as a past sign-in would have. */
async function openCompleteSession(email: string, now = new Date()): Promise<string> {
  return openSession(db(), await user(email), "complete", newClient(), now);
}

/** Signs in by password for the first time and enrols TOTP through the sign-in services; returns the complete session. */
async function enrol(email: string): Promise<string> {
  const client = newClient();
  const now = new Date();
  const pending = await passwordStep(db(), { email, password: PASSWORD }, client, now);
  if (!pending.ok || pending.next !== "enroll") throw new Error(`password step for ${email}: ${JSON.stringify(pending)}`);
  const begun = await beginEnrolment(db(), pending, now);
  if (!begun.ok) throw new Error(`enrolment refused: ${begun.reason}`);
  const confirmed = await confirmEnrolment(db(), { ...pending, code: totpCodeAt(begun.secret, now) }, client, now);
  if (!confirmed.ok) throw new Error(`enrolment not confirmed: ${confirmed.reason}`);
  const sessionId = await completeSignIn(db(), pending, client, now);
  if (!sessionId) throw new Error("sign-in not completed");
  return sessionId;
}

async function isLive(sessionId: string, email: string): Promise<boolean> {
  return (await findLiveSession(db(), sessionId, (await user(email)).id, new Date())) !== null;
}

async function secondFactorRows(principal: string) {
  const totp = await db().select().from(totpCredentials).where(eq(totpCredentials.principalId, principal));
  const codes = await db().select().from(recoveryCodes).where(eq(recoveryCodes.principalId, principal));
  return { totp: totp.length, confirmed: totp[0]?.confirmedAt != null, codes: codes.length };
}

/** Everything these services write, to prove that a refusal wrote nothing but its denial. */
async function snapshot() {
  const [row] = await db()
    .select({
      principals: sql<string>`(select md5(coalesce(string_agg(p.id::text || p.status::text || p.session_version::text, ',' order by p.id), '')) from principals p)`,
      credentials: sql<string>`(select md5(coalesce(string_agg(c.principal_id::text || c.password_hash, ',' order by c.principal_id), '')) from local_credentials c)`,
      sessions: sql<string>`(select md5(coalesce(string_agg(s.id::text, ',' order by s.id), '')) from auth_sessions s)`,
      totp: sql<number>`(select count(*)::int from totp_credentials)`,
      recoveryCodes: sql<number>`(select count(*)::int from recovery_codes)`,
      resets: sql<string>`(select md5(coalesce(string_agg(r.id::text || coalesce(r.used_at::text, ''), ',' order by r.id), '')) from password_resets r)`,
      outbox: sql<number>`(select count(*)::int from mail_outbox)`,
      ...auditCounts(),
    })
    .from(sql`(select 1) as one`);
  return { ...row!, mails: smtp.received.length };
}

const expectRefusal = refusalCheck(snapshot);

describe("requestPasswordReset and resetPassword", () => {
  const TARGET = "hannah.weber@adler-logistik.example";

  it("mails a 30-minute reset link over SMTP, stores only its hash and ends the user's sessions at once", async () => {
    const enrolledSession = await enrol(TARGET);
    const otherSessions = [await openCompleteSession(TARGET), await openCompleteSession(TARGET)];
    for (const sessionId of [enrolledSession, ...otherSessions]) expect(await isLive(sessionId, TARGET)).toBe(true);
    const versionBefore = (await user(TARGET)).sessionVersion;
    const bystander = await openCompleteSession("rafael.costa@adler-logistik.example");

    const ctx = await contextFor(db(), OWNER);
    const target = await user(TARGET);
    const mailsBefore = smtp.received.length;
    await requestPasswordReset(ctx, { principalId: target.id }, LINKS);

    expect(smtp.received.length).toBe(mailsBefore + 1);
    const mail = smtp.lastMailTo(TARGET);
    expect(mail.subject).toBe("Set a new Arbor password");
    expect(mail.text).toContain("Hello Hannah Weber,");
    const token = tokenFromLink(mail.text, "reset", BASE_URL);

    for (const sessionId of [enrolledSession, ...otherSessions]) expect(await isLive(sessionId, TARGET)).toBe(false);
    expect((await user(TARGET)).sessionVersion).toBe(versionBefore + 1);
    expect(await isLive(bystander, "rafael.costa@adler-logistik.example")).toBe(true);

    const [reset] = await db().select().from(passwordResets).where(eq(passwordResets.principalId, target.id));
    expect(reset).toMatchObject({ accountId, requestedBy: ctx.authz.principal.id, tokenHash: hashLinkToken(token), usedAt: null });
    expect(reset!.expiresAt.getTime()).toBe(ctx.authz.now.getTime() + RESET_LIFETIME_MS);
    const [{ copies }] = (await db()
      .select({
        copies: sql<number>`(select count(*)::int from (
          select row_to_json(t)::text as r from password_resets t
          union all select row_to_json(t)::text from audit_events t
          union all select row_to_json(t)::text from mail_outbox t
        ) everything where position(${token} in r) > 0)`,
      })
      .from(sql`(select 1) as one`)) as [{ copies: number }];
    expect(copies).toBe(0);

    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "member.password-reset"), eq(auditEvents.targetId, target.id)));
    expect(event).toMatchObject({ actorId: ctx.authz.principal.id, nodeId: target.homeNodeId, targetType: "principal" });
    expect(await findUsableReset(db(), token, new Date())).toMatchObject({ id: reset!.id, principalId: target.id, email: TARGET });
  });

  it("sets the new password through the link once: the old password stops working, the new one works, and TOTP stays", async () => {
    const target = await user(TARGET);
    if (!(await secondFactorRows(target.id)).confirmed) await enrol(TARGET);
    const factorsBefore = await secondFactorRows(target.id);
    expect(factorsBefore).toEqual({ totp: 1, confirmed: true, codes: 10 });
    const ctx = await contextFor(db(), OWNER);
    await requestPasswordReset(ctx, { principalId: target.id }, LINKS);
    const token = tokenFromLink(smtp.lastMailTo(TARGET).text, "reset", BASE_URL);
    const sessionOpenedMeanwhile = await openCompleteSession(TARGET);

    const client = newClient();
    const now = new Date();
    expect(await resetPassword(db(), { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, client, now)).toEqual({ email: TARGET });

    const [reset] = await db().select().from(passwordResets).where(eq(passwordResets.tokenHash, hashLinkToken(token)));
    expect(reset!.usedAt).toEqual(now);
    expect(await isLive(sessionOpenedMeanwhile, TARGET)).toBe(false);
    expect(await findUsableReset(db(), token, new Date())).toBeNull();
    await expectRefusal(() => resetPassword(db(), { token, password: "yet-another-password-1", confirm: "yet-another-password-1" }, newClient(), new Date()), { code: "invalid" }, false);

    expect(await passwordStep(db(), { email: TARGET, password: PASSWORD }, newClient(), new Date())).toMatchObject({ ok: false, reason: "invalid" });
    expect(await passwordStep(db(), { email: TARGET, password: NEW_PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true, principalId: target.id, next: "verify" });
    expect(await secondFactorRows(target.id)).toEqual(factorsBefore);
    expect((await user(TARGET)).status).toBe("active");

    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "password.reset"), eq(auditEvents.targetId, target.id)));
    expect(event).toMatchObject({ actorId: target.id, address: client.address, userAgent: client.userAgent });
  });

  it("refuses the link 30 minutes and 1 second later, and the password stays as it was", async () => {
    const email = "mateo.silva@baltic-freight-lines.example";
    const ctx = await contextFor(db(), OWNER);
    await requestPasswordReset(ctx, { principalId: (await user(email)).id }, LINKS);
    const token = tokenFromLink(smtp.lastMailTo(email).text, "reset", BASE_URL);
    const lastMoment = new Date(ctx.authz.now.getTime() + RESET_LIFETIME_MS - SECOND);
    const later = new Date(ctx.authz.now.getTime() + RESET_LIFETIME_MS + SECOND);

    expect(await findUsableReset(db(), token, lastMoment)).not.toBeNull();
    expect(await findUsableReset(db(), token, later)).toBeNull();
    await expectRefusal(() => resetPassword(db(), { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, newClient(), later), { code: "invalid" }, false);
    expect(await passwordStep(db(), { email, password: PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true });
  });

  it("refuses a confirmation that differs and a short password, and the link still works afterwards", async () => {
    const email = "chloe.dubois@castellane-assurances.example";
    const ctx = await contextFor(db(), OWNER);
    await requestPasswordReset(ctx, { principalId: (await user(email)).id }, LINKS);
    const token = tokenFromLink(smtp.lastMailTo(email).text, "reset", BASE_URL);
    const now = new Date();

    await expectRefusal(() => resetPassword(db(), { token, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` }, newClient(), now), { code: "invalid", field: "confirm" }, false);
    await expectRefusal(() => resetPassword(db(), { token, password: "short-pw", confirm: "short-pw" }, newClient(), now), { code: "invalid", field: "password" }, false);
    await expectRefusal(() => resetPassword(db(), { token, password: "   a    b   c  ", confirm: "   a    b   c  " }, newClient(), now), { code: "invalid", field: "password" }, false);
    await expectRefusal(() => resetPassword(db(), { token: "A".repeat(43), password: NEW_PASSWORD, confirm: NEW_PASSWORD }, newClient(), now), { code: "invalid" }, false);
    await expectRefusal(() => resetPassword(db(), { token: "not a token", password: NEW_PASSWORD, confirm: NEW_PASSWORD }, newClient(), now), { code: "invalid" }, false);

    expect(await findUsableReset(db(), token, new Date())).not.toBeNull();
    await resetPassword(db(), { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, newClient(), new Date());
    expect(await passwordStep(db(), { email, password: NEW_PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true, next: "enroll" });
  });

  it("refuses a reset for a disabled user, and for an id that is not a user of the account", async () => {
    const ctx = await contextFor(db(), OWNER);
    await expectRefusal(async () => requestPasswordReset(ctx, { principalId: await principalId(db(), DISABLED) }, LINKS), { code: "invalid" }, false);
    await expectRefusal(() => requestPasswordReset(ctx, { principalId: crypto.randomUUID() }, LINKS), { code: "not_found" }, false);
    await expectRefusal(() => requestPasswordReset(ctx, { principalId: "nobody" }, LINKS), { code: "invalid", field: "principalId" }, false);
    const otherAccount = crypto.randomUUID();
    await db().insert(nodes).values({ id: otherAccount, accountId: otherAccount, kind: "account", name: "Contoso MSP", slug: "contoso", path: childPath(null, otherAccount), depth: 0 });
    const [stranger] = await db()
      .insert(principals)
      .values({ accountId: otherAccount, homeNodeId: otherAccount, kind: "user", email: "carla.other@contoso.example", name: "Carla Other", status: "active" })
      .returning();
    await expectRefusal(() => requestPasswordReset(ctx, { principalId: stranger!.id }, LINKS), { code: "not_found" }, false);
    await expectRefusal(() => signOutEverywhere(ctx, { principalId: stranger!.id }), { code: "not_found" }, false);
    await expectRefusal(() => resetSecondFactor(ctx, { principalId: stranger!.id }), { code: "not_found" }, false);
  });
});

describe("a reset for a user who has not accepted their invitation", () => {
  it("never leaves the invited user with a password they cannot sign in with: the reset is refused, or its password works", async () => {
    const email = "priya.nair@northwind.example";
    const priya = await user(email);
    expect(priya.status).toBe("invited");
    const requested = await requestPasswordReset(await contextFor(db(), OWNER), { principalId: priya.id }, LINKS).then(
      () => "requested",
      (error: unknown) => (error instanceof DomainError ? error.code : "crashed"),
    );
    if (requested !== "requested") {
      expect(requested).toBe("invalid");
      return;
    }
    const token = tokenFromLink(smtp.lastMailTo(email).text, "reset", BASE_URL);
    await resetPassword(db(), { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, newClient(), new Date());
    expect({ status: (await user(email)).status, signIn: await passwordStep(db(), { email, password: NEW_PASSWORD }, newClient(), new Date()) }).toMatchObject({
      status: "active",
      signIn: { ok: true },
    });
  });
});

describe("who may act on whom (member.manage on the home node, grant rule 4)", () => {
  const operations = [
    ["requestPasswordReset", "member.password-reset"],
    ["signOutEverywhere", "member.sign-out-everywhere"],
    ["resetSecondFactor", "member.second-factor-reset"],
  ] as const;

  function run(operation: (typeof operations)[number][0], ctx: Awaited<ReturnType<typeof contextFor>>, principal: string) {
    if (operation === "requestPasswordReset") return requestPasswordReset(ctx, { principalId: principal }, LINKS);
    if (operation === "signOutEverywhere") return signOutEverywhere(ctx, { principalId: principal });
    return resetSecondFactor(ctx, { principalId: principal });
  }

  it("answers not-found to the EMEA admin who acts on the account owner homed at the account", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const ava = await user(OWNER);
    const avasSession = await openCompleteSession(OWNER);
    for (const [operation, action] of operations) {
      await expectRefusal(() => run(operation, ctx, ava.id), { code: "not_found" }, true);
      expect(await lastDenial(db())).toMatchObject({ action: `${action}.denied`, actorId: ctx.authz.principal.id, nodeId: accountId });
    }
    expect(await isLive(avasSession, OWNER)).toBe(true);
    await expectRefusal(() => loadManagedPrincipal(ctx, "member.probe", "member.manage", ava.id), { code: "not_found" }, true);
  });

  it("refuses the EMEA admin who acts on an Owner homed in EMEA (rule 4)", async () => {
    const fjord = await nodeId(db(), "fjord-maritime");
    const [owner] = await db()
      .insert(principals)
      .values({ accountId, homeNodeId: fjord, kind: "user", email: "olga.owner@fjord-maritime.example", name: "Olga Owner", status: "active" })
      .returning();
    await db().insert(roleAssignments).values({ accountId, principalId: owner!.id, nodeId: fjord, roleId: await builtinRoleId(db(), "owner"), source: "direct" });
    const olgasSession = await openCompleteSession("olga.owner@fjord-maritime.example");

    const ctx = await contextFor(db(), EMEA_ADMIN);
    for (const [operation, action] of operations) {
      await expectRefusal(() => run(operation, ctx, owner!.id), { code: "forbidden", rule: 4 }, true);
      expect(await lastDenial(db())).toMatchObject({ action: `${action}.denied`, actorId: ctx.authz.principal.id, nodeId: fjord, targetType: "principal", targetId: owner!.id });
    }
    expect(await isLive(olgasSession, "olga.owner@fjord-maritime.example")).toBe(true);

    // The account owner outranks nobody there and may act on Olga.
    const ownerCtx = await contextFor(db(), OWNER);
    expect((await loadManagedPrincipal(ownerCtx, "member.probe", "member.manage", owner!.id)).home.id).toBe(fjord);
  });

  it("refuses a viewer who acts on a manager of their own organization", async () => {
    const ctx = await contextFor(db(), "arjun.patel@duna-energetika.example");
    const manager = await user("aisha.rahman@duna-energetika.example");
    for (const [operation, action] of operations) {
      await expectRefusal(() => run(operation, ctx, manager.id), { code: "forbidden" }, true);
      expect(await lastDenial(db())).toMatchObject({ action: `${action}.denied`, actorId: ctx.authz.principal.id, nodeId: manager.homeNodeId });
    }
  });

  it("lets the EMEA admin act on a manager homed in EMEA, who holds no more than the admin there", async () => {
    const ctx = await contextFor(db(), EMEA_ADMIN);
    const managed = await loadManagedPrincipal(ctx, "member.probe", "member.manage", await principalId(db(), "henrik.nilsen@elbe-chemie.example"));
    expect(managed).toMatchObject({ home: { id: await nodeId(db(), "elbe-chemie") }, hasPassword: true, target: { principal: { email: "henrik.nilsen@elbe-chemie.example" } } });
  });
});

describe("signOutEverywhere", () => {
  it("ends every session of the target, raises the session version, and touches nobody else", async () => {
    const target = "rafael.costa@adler-logistik.example";
    const sessions = [await openCompleteSession(target), await openCompleteSession(target), await openCompleteSession(target)];
    const bystander = "sienna.rossi@baltic-freight-lines.example";
    const bystanderSession = await openCompleteSession(bystander);
    const before = await user(target);
    const bystanderVersion = (await user(bystander)).sessionVersion;

    const ctx = await contextFor(db(), EMEA_ADMIN);
    await signOutEverywhere(ctx, { principalId: before.id });

    for (const sessionId of sessions) expect(await isLive(sessionId, target)).toBe(false);
    expect((await user(target)).sessionVersion).toBe(before.sessionVersion + 1);
    expect(await isLive(bystanderSession, bystander)).toBe(true);
    expect((await user(bystander)).sessionVersion).toBe(bystanderVersion);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "member.sign-out-everywhere"), eq(auditEvents.targetId, before.id)));
    expect(event).toMatchObject({ actorId: ctx.authz.principal.id, nodeId: before.homeNodeId, address: "203.0.113.7" });
    // The user may sign in again afterwards.
    expect(await passwordStep(db(), { email: target, password: PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true });
  });
});

describe("resetSecondFactor", () => {
  it("removes the authenticator and recovery codes of the target and ends their sessions: the next sign-in enrols", async () => {
    const target = "yuki.sato@isar-bakery-group.example";
    const bystander = "bruno.moreau@isar-bakery-group.example";
    const session = await enrol(target);
    await enrol(bystander);
    const targetId = (await user(target)).id;
    const bystanderId = (await user(bystander)).id;
    expect(await secondFactorRows(targetId)).toEqual({ totp: 1, confirmed: true, codes: 10 });
    expect(await passwordStep(db(), { email: target, password: PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true, next: "verify" });
    const versionBefore = (await user(target)).sessionVersion;

    const ctx = await contextFor(db(), EMEA_ADMIN);
    await resetSecondFactor(ctx, { principalId: targetId });

    expect(await secondFactorRows(targetId)).toEqual({ totp: 0, confirmed: false, codes: 0 });
    expect(await secondFactorRows(bystanderId)).toEqual({ totp: 1, confirmed: true, codes: 10 });
    expect(await isLive(session, target)).toBe(false);
    expect((await user(target)).sessionVersion).toBe(versionBefore + 1);
    const [credential] = await db().select().from(localCredentials).where(eq(localCredentials.principalId, targetId));
    expect(credential).toBeDefined();
    expect(await passwordStep(db(), { email: target, password: PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true, next: "enroll" });

    const events = await db()
      .select({ actorId: auditEvents.actorId, summary: auditEvents.summary })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "member.second-factor-reset"), eq(auditEvents.targetId, targetId)))
      .orderBy(asc(auditEvents.id));
    expect(events).toEqual([{ actorId: ctx.authz.principal.id, summary: { before: { enrolled: true } } }]);

    // A second reset finds nothing to remove, and says so.
    await resetSecondFactor(ctx, { principalId: targetId });
    const [, second] = await db()
      .select({ summary: auditEvents.summary })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "member.second-factor-reset"), eq(auditEvents.targetId, targetId)))
      .orderBy(asc(auditEvents.id));
    expect(second!.summary).toEqual({ before: { enrolled: false } });
  });
});

describe("mail without a server", () => {
  it("keeps the reset mail in the outbox when SMTP_URL is unset, and its link works", async () => {
    vi.stubEnv("SMTP_URL", undefined);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const email = "marta.novak@jura-watchworks.example";
    const mailsBefore = smtp.received.length;
    await requestPasswordReset(await contextFor(db(), OWNER), { principalId: (await user(email)).id }, LINKS);
    log.mockRestore();
    expect(smtp.received.length).toBe(mailsBefore);
    const [kept] = await db().select().from(mailOutbox).where(eq(mailOutbox.recipient, email));
    expect(kept).toMatchObject({ accountId, subject: "Set a new Arbor password" });
    const token = tokenFromLink(kept!.bodyText, "reset", BASE_URL);
    await resetPassword(db(), { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, newClient(), new Date());
    expect(await passwordStep(db(), { email, password: NEW_PASSWORD }, newClient(), new Date())).toMatchObject({ ok: true });
  });
});

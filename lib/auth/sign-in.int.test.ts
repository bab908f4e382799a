import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerDatabase, type Database, type DatabaseConnection } from "@/db/client";
import { auditEvents, authSessions, principals, rateLimits, recoveryCodes, totpCredentials } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { PASSWORD_PER_ADDRESS, PASSWORD_PER_EMAIL, SECOND_FACTOR_PER_PRINCIPAL } from "./rate-limit";
import { open } from "./secret-box";
import { findLiveSession, type ClientInfo } from "./sessions";
import { beginEnrolment, completeSignIn, confirmEnrolment, passwordStep, signOutSession, verifySecondFactor } from "./sign-in";
import { hashRecoveryCode, normalizeRecoveryCode, totpCodeAt } from "./totp";

const PASSWORD = "test-password-123";
const DISABLED = "oscar.lindqvist@northwind.example";
const INVITED = "priya.nair@northwind.example";
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** Five seconds into a 30-second TOTP step. */
const T0 = new Date("2030-05-06T09:00:05.000Z");

let connection: DatabaseConnection;
let db: Database;
/** A second connection to the same database, as another instance of the app would hold. */
let otherInstance: { db: Database; close(): Promise<void> };
let activeUsers: string[];
let nextUser = 0;
let nextAddress = 1;

type User = { id: string; accountId: string; email: string };

function at(base: Date, ms: number): Date {
  return new Date(base.getTime() + ms);
}

/** A fresh active user with a password for each test: no test sees another's limits, codes or sessions. */
async function takeUser(): Promise<User> {
  const email = activeUsers[nextUser++];
  if (!email) throw new Error("ran out of demo users");
  return userByEmail(email);
}

async function userByEmail(email: string): Promise<User> {
  const [row] = await db.select({ id: principals.id, accountId: principals.accountId, email: principals.email }).from(principals).where(eq(principals.email, email));
  return { ...row!, email: row!.email! };
}

/** A client at an address no other test uses. */
function newClient(): ClientInfo {
  const n = nextAddress++;
  return { address: `198.51.${Math.floor(n / 250)}.${n % 250}`, userAgent: `vitest client ${n}` };
}

async function actionsOf(principalId: string): Promise<string[]> {
  const rows = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.actorId, principalId)).orderBy(asc(auditEvents.id));
  return rows.map((row) => row.action);
}

async function sessionsOf(principalId: string) {
  return db.select().from(authSessions).where(eq(authSessions.principalId, principalId));
}

async function signInPassword(user: User, client: ClientInfo, now: Date, expectedNext: "enroll" | "verify" = "verify") {
  const result = await passwordStep(db, { email: user.email, password: PASSWORD }, client, now);
  if (!result.ok) throw new Error(`password step refused for ${user.email}: ${result.reason}`);
  expect(result.next).toBe(expectedNext);
  return { sessionId: result.sessionId, principalId: result.principalId };
}

/** Signs in for the first time and enrols: the secret and the recovery codes. */
async function enrol(user: User, client: ClientInfo, now: Date) {
  const pending = await signInPassword(user, client, now, "enroll");
  const begun = await beginEnrolment(db, pending, now);
  if (!begun.ok) throw new Error(`enrolment refused: ${begun.reason}`);
  const confirmed = await confirmEnrolment(db, { ...pending, code: totpCodeAt(begun.secret, now) }, client, now);
  if (!confirmed.ok) throw new Error(`enrolment not confirmed: ${confirmed.reason}`);
  return { secret: begun.secret, recoveryCodes: confirmed.recoveryCodes, pending };
}

/** A six-digit code that no step from two before to two after `now` accepts. */
function wrongCode(secret: string, now: Date, salt = 0): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((offset) => totpCodeAt(secret, at(now, offset * 30 * SECOND))));
  for (let candidate = 123_456 + salt * 7_919; ; candidate = (candidate + 1) % 1_000_000) {
    const code = String(candidate).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

async function openOtherInstance(): Promise<{ db: Database; close(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl || connection.kind !== "server") return { db, close: async () => undefined };
  const { rows } = await connection.client.query<{ name: string }>("select current_database() as name");
  const url = new URL(serverUrl);
  url.pathname = `/${rows[0]!.name}`;
  const other = openServerDatabase(url.toString(), { max: 2 });
  if (other.kind === "server") other.client.on("error", () => undefined);
  return other;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  await seedDemo(db, { password: PASSWORD });
  const rows = await db.select({ email: principals.email }).from(principals).where(eq(principals.status, "active")).orderBy(principals.email);
  activeUsers = rows.map((row) => row.email!);
  otherInstance = await openOtherInstance();
});

afterAll(async () => {
  await otherInstance?.close();
  await connection?.close();
});

describe("sign-in with enrolment", () => {
  it("enrols the second factor at the first sign-in and opens a new, complete session", async () => {
    const user = await takeUser();
    const client = newClient();
    const now = T0;

    const password = await passwordStep(db, { email: user.email, password: PASSWORD }, client, now);
    expect(password).toEqual({ ok: true, principalId: user.id, sessionId: expect.any(String), next: "enroll" });
    if (!password.ok) return;
    const pending = { sessionId: password.sessionId, principalId: user.id };
    expect((await sessionsOf(user.id)).map((session) => session.stage)).toEqual(["password"]);

    const begun = await beginEnrolment(db, pending, now);
    expect(begun.ok).toBe(true);
    if (!begun.ok) return;
    expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(begun.uri).toMatch(/^otpauth:\/\/totp\//);
    const uri = new URL(begun.uri);
    expect(uri.searchParams.get("secret")).toBe(begun.secret);
    expect(uri.searchParams.get("issuer")).toBe("Arbor");
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    // Reloading the enrolment page shows the same secret, not a new one.
    expect(await beginEnrolment(db, pending, at(now, 10 * SECOND))).toEqual(begun);

    const confirmed = await confirmEnrolment(db, { ...pending, code: totpCodeAt(begun.secret, now) }, client, now);
    expect(confirmed.ok).toBe(true);
    if (!confirmed.ok) return;
    const codes = confirmed.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.principalId, user.id));
    expect(stored).toHaveLength(10);
    expect(new Set(stored.map((row) => row.codeHash))).toEqual(new Set(codes.map(hashRecoveryCode)));
    const storedText = JSON.stringify(stored);
    for (const code of codes) {
      expect(storedText).not.toContain(code);
      expect(storedText).not.toContain(normalizeRecoveryCode(code));
    }
    expect(stored.every((row) => row.usedAt === null && row.accountId === user.accountId)).toBe(true);

    const [credential] = await db.select().from(totpCredentials).where(eq(totpCredentials.principalId, user.id));
    expect(credential!.confirmedAt).toEqual(now);
    expect(credential!.secretCiphertext).not.toContain(begun.secret);
    expect(credential!.secretCiphertext.toLowerCase()).not.toContain(begun.secret.toLowerCase());
    expect(open(credential!.secretCiphertext)).toBe(begun.secret);
    expect((await sessionsOf(user.id)).map((session) => session.stage)).toEqual(["second_factor"]);

    const completeAt = at(now, 20 * SECOND);
    const sessionId = await completeSignIn(db, pending, client, completeAt);
    expect(sessionId).toEqual(expect.any(String));
    expect(sessionId).not.toBe(pending.sessionId);
    const sessions = await sessionsOf(user.id);
    expect(sessions.map((session) => [session.id, session.stage])).toEqual([[sessionId, "complete"]]);
    expect(sessions[0]!.expiresAt).toEqual(at(completeAt, 12 * 60 * MINUTE));
    expect(await findLiveSession(db, pending.sessionId, user.id, completeAt)).toBeNull();
    expect(await findLiveSession(db, sessionId!, user.id, at(completeAt, MINUTE))).toMatchObject({ id: sessionId, stage: "complete" });

    const [principal] = await db.select().from(principals).where(eq(principals.id, user.id));
    expect(principal!.lastSignInAt).toEqual(completeAt);

    expect(await actionsOf(user.id)).toEqual(["sign-in.password", "second-factor.enrolled", "sign-in"]);
    const [signIn] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "sign-in")));
    expect(signIn).toMatchObject({ accountId: user.accountId, targetType: "principal", targetId: user.id, address: client.address, userAgent: client.userAgent });

    // The complete session cannot be taken through the steps again.
    expect(await completeSignIn(db, { sessionId: sessionId!, principalId: user.id }, client, at(completeAt, SECOND))).toBeNull();
    expect(await verifySecondFactor(db, { sessionId: sessionId!, principalId: user.id, code: totpCodeAt(begun.secret, completeAt) }, client, completeAt)).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("asks an enrolled user for a code at the next sign-in and refuses to enrol again", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, 5 * MINUTE);
    const pending = await signInPassword(user, client, now, "verify");
    expect(await beginEnrolment(db, pending, now)).toEqual({ ok: false, reason: "already-enrolled" });
    expect(await confirmEnrolment(db, { ...pending, code: totpCodeAt(secret, now) }, client, now)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, now) }, client, now)).toEqual({ ok: true, usedRecoveryCode: false });
    expect(await completeSignIn(db, pending, client, now)).toEqual(expect.any(String));
    expect((await actionsOf(user.id)).slice(-3)).toEqual(["second-factor.enrolment-failed", "second-factor.verified", "sign-in"]);
  });

  it("refuses a wrong enrolment code and keeps the enrolment open", async () => {
    const user = await takeUser();
    const client = newClient();
    const pending = await signInPassword(user, client, T0, "enroll");
    const begun = await beginEnrolment(db, pending, T0);
    if (!begun.ok) throw new Error(begun.reason);
    expect(await confirmEnrolment(db, { ...pending, code: wrongCode(begun.secret, T0) }, client, T0)).toEqual({ ok: false, reason: "invalid" });
    const [credential] = await db.select().from(totpCredentials).where(eq(totpCredentials.principalId, user.id));
    expect(credential!.confirmedAt).toBeNull();
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.principalId, user.id))).toEqual([]);
    expect(await completeSignIn(db, pending, client, T0)).toBeNull();
    expect(await actionsOf(user.id)).toContain("second-factor.enrolment-failed");

    const confirmed = await confirmEnrolment(db, { ...pending, code: totpCodeAt(begun.secret, T0) }, client, at(T0, SECOND));
    expect(confirmed.ok).toBe(true);
  });
});

describe("the second step", () => {
  it("refuses a wrong code", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, 2 * MINUTE);
    const pending = await signInPassword(user, client, now);
    expect(await verifySecondFactor(db, { ...pending, code: wrongCode(secret, now) }, client, now)).toEqual({ ok: false, reason: "invalid" });
    expect((await sessionsOf(user.id)).find((session) => session.id === pending.sessionId)?.stage).toBe("password");
    expect(await completeSignIn(db, pending, client, now)).toBeNull();
    expect((await actionsOf(user.id)).at(-1)).toBe("second-factor.failed");
  });

  it("refuses input that is not a code", async () => {
    const user = await takeUser();
    const client = newClient();
    await enrol(user, client, T0);
    const now = at(T0, 2 * MINUTE);
    const pending = await signInPassword(user, client, now);
    for (const code of ["", "12345", "1234567", "abcdef"]) {
      expect(await verifySecondFactor(db, { ...pending, code }, client, now), code).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("refuses the enrolment code when it is entered again at the next sign-in", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, 10 * SECOND);
    const pending = await signInPassword(user, client, now);
    expect(await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, T0) }, client, now)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a code used twice, across two sign-ins", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, 2 * MINUTE);
    const code = totpCodeAt(secret, now);

    const first = await signInPassword(user, client, now);
    expect(await verifySecondFactor(db, { ...first, code }, client, now)).toEqual({ ok: true, usedRecoveryCode: false });
    expect(await completeSignIn(db, first, client, now)).toEqual(expect.any(String));

    const later = at(now, 10 * SECOND);
    const second = await signInPassword(user, newClient(), later);
    expect(await verifySecondFactor(db, { ...second, code }, client, later)).toEqual({ ok: false, reason: "invalid" });
    expect(await completeSignIn(db, second, client, later)).toBeNull();
  });

  it("accepts one code only once when two sign-ins present it at the same time", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, 2 * MINUTE);
    const code = totpCodeAt(secret, now);
    const first = await signInPassword(user, client, now);
    const second = await signInPassword(user, newClient(), now);
    const results = await Promise.all([
      verifySecondFactor(db, { ...first, code }, client, now),
      verifySecondFactor(otherInstance.db, { ...second, code }, client, now),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it("refuses the code of an older step once a newer one was used", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const step = at(T0, 2 * MINUTE);
    const nextStep = at(step, 30 * SECOND);

    const first = await signInPassword(user, client, nextStep);
    expect(await verifySecondFactor(db, { ...first, code: totpCodeAt(secret, nextStep) }, client, nextStep)).toMatchObject({ ok: true });

    // The previous step's code is still inside the drift window, but it is older than the one used.
    const later = at(nextStep, SECOND);
    const second = await signInPassword(user, client, later);
    expect(await verifySecondFactor(db, { ...second, code: totpCodeAt(secret, step) }, client, later)).toEqual({ ok: false, reason: "invalid" });
  });

  it("accepts the code of the next step, for a clock that runs ahead", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, 2 * MINUTE);
    const pending = await signInPassword(user, client, now);
    expect(await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, at(now, 30 * SECOND)) }, client, now)).toMatchObject({ ok: true });
  });

  it("returns null from completeSignIn before the second step passed, and opens no complete session", async () => {
    const user = await takeUser();
    const client = newClient();
    const enrolled = await takeUser();
    await enrol(enrolled, client, T0);

    // Not enrolled yet: the password session may only enrol.
    const fresh = await signInPassword(user, client, T0, "enroll");
    expect(await completeSignIn(db, fresh, client, T0)).toBeNull();
    const begun = await beginEnrolment(db, fresh, T0);
    expect(begun.ok).toBe(true);
    expect(await completeSignIn(db, fresh, client, T0)).toBeNull();

    const now = at(T0, MINUTE);
    const pending = await signInPassword(enrolled, client, now);
    expect(await completeSignIn(db, pending, client, now)).toBeNull();

    for (const principalId of [user.id, enrolled.id]) {
      expect((await sessionsOf(principalId)).filter((session) => session.stage === "complete")).toEqual([]);
      expect(await actionsOf(principalId)).not.toContain("sign-in");
    }
  });

  it("refuses a pending session after 10 minutes", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const start = at(T0, 5 * MINUTE);
    const pending = await signInPassword(user, client, start);
    const expired = at(start, 10 * MINUTE);
    expect(await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, expired) }, client, expired)).toEqual({ ok: false, reason: "expired" });
    expect(await completeSignIn(db, pending, client, expired)).toBeNull();
    // An expired attempt is not a wrong code: it counts against no limit.
    expect(await actionsOf(user.id)).not.toContain("second-factor.failed");
  });

  it("refuses to complete a verified session once 10 minutes have passed since the password", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const start = at(T0, 5 * MINUTE);
    const pending = await signInPassword(user, client, start);
    const verifiedAt = at(start, 9 * MINUTE);
    expect(await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, verifiedAt) }, client, verifiedAt)).toMatchObject({ ok: true });
    expect(await completeSignIn(db, pending, client, at(start, 10 * MINUTE))).toBeNull();
  });

  it("refuses an enrolment begun or confirmed after 10 minutes", async () => {
    const user = await takeUser();
    const client = newClient();
    const pending = await signInPassword(user, client, T0, "enroll");
    const begun = await beginEnrolment(db, pending, T0);
    if (!begun.ok) throw new Error(begun.reason);
    const expired = at(T0, 10 * MINUTE);
    expect(await beginEnrolment(db, pending, expired)).toEqual({ ok: false, reason: "expired" });
    expect(await confirmEnrolment(db, { ...pending, code: totpCodeAt(begun.secret, expired) }, client, expired)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses the second step once the user is disabled", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const now = at(T0, MINUTE);
    const pending = await signInPassword(user, client, now);
    await db.update(principals).set({ status: "disabled" }).where(eq(principals.id, user.id));
    expect(await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, now) }, client, now)).toEqual({ ok: false, reason: "expired" });
    expect(await completeSignIn(db, pending, client, now)).toBeNull();
  });

  it("refuses a session id of another principal", async () => {
    const user = await takeUser();
    const other = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    await enrol(other, client, T0);
    const now = at(T0, MINUTE);
    const pending = await signInPassword(user, client, now);
    const code = totpCodeAt(secret, now);
    expect(await verifySecondFactor(db, { sessionId: pending.sessionId, principalId: other.id, code }, client, now)).toEqual({ ok: false, reason: "expired" });
    expect(await beginEnrolment(db, { sessionId: pending.sessionId, principalId: other.id }, now)).toEqual({ ok: false, reason: "expired" });
  });
});

describe("recovery codes", () => {
  it("accepts each recovery code once, in any case and with or without dashes, and marks it used", async () => {
    const user = await takeUser();
    const client = newClient();
    const { recoveryCodes: codes } = await enrol(user, client, T0);
    const spellings = (code: string, index: number) => [code, code.toUpperCase(), code.replace(/-/g, ""), ` ${code.replace(/-/g, " ")} `][index % 4]!;

    for (const [index, code] of codes.entries()) {
      const now = at(T0, (index + 1) * MINUTE);
      const pending = await signInPassword(user, client, now);
      expect(await verifySecondFactor(db, { ...pending, code: spellings(code, index) }, client, now), code).toEqual({ ok: true, usedRecoveryCode: true });
      expect(await completeSignIn(db, pending, client, now)).toEqual(expect.any(String));
      const [row] = await db
        .select()
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.principalId, user.id), eq(recoveryCodes.codeHash, hashRecoveryCode(code))));
      expect(row!.usedAt).toEqual(now);
      const used = await db
        .select()
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.principalId, user.id), isNotNull(recoveryCodes.usedAt)));
      expect(used).toHaveLength(index + 1);
    }
    expect((await actionsOf(user.id)).filter((action) => action === "second-factor.recovery-code")).toHaveLength(10);
  });

  it("refuses a recovery code used before", async () => {
    const user = await takeUser();
    const client = newClient();
    const { recoveryCodes: codes } = await enrol(user, client, T0);
    const first = await signInPassword(user, client, at(T0, MINUTE));
    expect(await verifySecondFactor(db, { ...first, code: codes[3]! }, client, at(T0, MINUTE))).toEqual({ ok: true, usedRecoveryCode: true });

    const again = at(T0, 2 * MINUTE);
    const second = await signInPassword(user, client, again);
    for (const code of [codes[3]!, codes[3]!.toUpperCase()]) {
      expect(await verifySecondFactor(db, { ...second, code }, client, again)).toEqual({ ok: false, reason: "invalid" });
    }
    const [row] = await db
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.principalId, user.id), eq(recoveryCodes.codeHash, hashRecoveryCode(codes[3]!))));
    expect(row!.usedAt).toEqual(at(T0, MINUTE));
    expect(await verifySecondFactor(db, { ...second, code: codes[4]! }, client, again)).toEqual({ ok: true, usedRecoveryCode: true });
  });

  it("refuses another user's recovery code", async () => {
    const user = await takeUser();
    const other = await takeUser();
    const client = newClient();
    await enrol(user, client, T0);
    const { recoveryCodes: theirs } = await enrol(other, client, T0);
    const now = at(T0, MINUTE);
    const pending = await signInPassword(user, client, now);
    expect(await verifySecondFactor(db, { ...pending, code: theirs[0]! }, client, now)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the password step", () => {
  it("gives the same answer for an unknown email, a wrong password, a disabled user and an invited user", async () => {
    const user = await takeUser();
    const client = newClient();
    const disabled = await userByEmail(DISABLED);
    const invited = await userByEmail(INVITED);
    const results = [
      await passwordStep(db, { email: "nobody@northwind.example", password: PASSWORD }, client, T0),
      await passwordStep(db, { email: user.email, password: "not-the-password" }, client, T0),
      await passwordStep(db, { email: DISABLED, password: PASSWORD }, client, T0),
      await passwordStep(db, { email: INVITED, password: PASSWORD }, client, T0),
      await passwordStep(db, { email: INVITED, password: "" }, client, T0),
    ];
    for (const result of results) expect(result).toStrictEqual({ ok: false, reason: "invalid" });
    for (const principalId of [user.id, disabled.id, invited.id]) expect(await sessionsOf(principalId)).toEqual([]);
  });

  it("audits a failed sign-in of a known user, with the reason", async () => {
    const user = await takeUser();
    const client = newClient();
    const disabled = await userByEmail(DISABLED);
    await passwordStep(db, { email: user.email, password: "not-the-password" }, client, T0);
    await passwordStep(db, { email: DISABLED, password: PASSWORD }, client, T0);

    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(inArray(auditEvents.actorId, [user.id, disabled.id]), eq(auditEvents.action, "sign-in.failed"), eq(auditEvents.address, client.address!)));
    expect(rows).toHaveLength(2);
    const byActor = new Map(rows.map((row) => [row.actorId, row]));
    expect(byActor.get(user.id)).toMatchObject({ accountId: user.accountId, targetId: user.id, address: client.address, userAgent: client.userAgent, summary: { after: { reason: "password" } } });
    expect(byActor.get(disabled.id)).toMatchObject({ summary: { after: { reason: "status disabled" } } });
  });

  it("matches the email whatever its case and surrounding spaces", async () => {
    const user = await takeUser();
    const client = newClient();
    const shouted = `  ${user.email.toUpperCase()} `;
    const result = await passwordStep(db, { email: shouted, password: PASSWORD }, client, T0);
    expect(result).toMatchObject({ ok: true, principalId: user.id, next: "enroll" });
  });

  it("does not trim or fold the password", async () => {
    const user = await takeUser();
    const client = newClient();
    for (const password of [` ${PASSWORD}`, PASSWORD.toUpperCase(), `${PASSWORD} `]) {
      expect(await passwordStep(db, { email: user.email, password }, client, T0)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("opens a password-only session for 10 minutes and audits it", async () => {
    const user = await takeUser();
    const client = newClient();
    const pending = await signInPassword(user, client, T0, "enroll");
    const [session] = await sessionsOf(user.id);
    expect(session).toMatchObject({ id: pending.sessionId, stage: "password", address: client.address, userAgent: client.userAgent });
    expect(session!.expiresAt).toEqual(at(T0, 10 * MINUTE));
    expect(await actionsOf(user.id)).toEqual(["sign-in.password"]);
  });
});

describe("rate limits", () => {
  it("has the documented policies", () => {
    expect(PASSWORD_PER_EMAIL).toEqual({ limit: 5, windowSeconds: 900 });
    expect(PASSWORD_PER_ADDRESS).toEqual({ limit: 20, windowSeconds: 900 });
    expect(SECOND_FACTOR_PER_PRINCIPAL).toEqual({ limit: 5, windowSeconds: 900 });
  });

  it("checks at most 5 of 12 wrong passwords sent for one email at the same moment", async () => {
    const user = await takeUser();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => passwordStep(db, { email: user.email, password: `parallel ${index}` }, newClient(), T0)),
    );
    expect(results.filter((result) => !result.ok && result.reason === "invalid")).toHaveLength(5);
    expect(results.filter((result) => !result.ok && result.reason === "rate_limited")).toHaveLength(7);
  });

  it("refuses an email after 5 wrong passwords, even with the right one, until the window has passed", async () => {
    const user = await takeUser();
    const client = newClient();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const result = await passwordStep(db, { email: user.email, password: `wrong ${attempt}` }, client, at(T0, attempt * SECOND));
      expect(result, `attempt ${attempt}`).toEqual({ ok: false, reason: "invalid" });
      const locked = (await actionsOf(user.id)).filter((action) => action === "sign-in.locked");
      expect(locked, `attempt ${attempt}`).toHaveLength(attempt === 5 ? 1 : 0);
    }

    const sixth = await passwordStep(db, { email: user.email, password: PASSWORD }, client, at(T0, 6 * SECOND));
    expect(sixth).toMatchObject({ ok: false, reason: "rate_limited" });
    if (sixth.ok) return;
    expect(sixth.retryAfter).toBeGreaterThan(0);
    expect(sixth.retryAfter).toBeLessThanOrEqual(900);
    expect((await actionsOf(user.id)).at(-1)).toBe("sign-in.rate-limited");
    expect(await sessionsOf(user.id)).toEqual([]);

    // From another address, and through another instance of the app: still refused.
    const elsewhere = await passwordStep(otherInstance.db, { email: user.email.toUpperCase(), password: PASSWORD }, newClient(), at(T0, 7 * SECOND));
    expect(elsewhere).toMatchObject({ ok: false, reason: "rate_limited" });

    // The window counts from the first failure.
    const justBefore = await passwordStep(db, { email: user.email, password: PASSWORD }, client, at(T0, 15 * MINUTE));
    expect(justBefore).toMatchObject({ ok: false, reason: "rate_limited", retryAfter: 1 });

    const after = await passwordStep(db, { email: user.email, password: PASSWORD }, client, at(T0, 15 * MINUTE + SECOND));
    expect(after).toMatchObject({ ok: true, principalId: user.id });
    // Success forgets the email's failures.
    expect(await db.select().from(rateLimits).where(eq(rateLimits.key, `password:email:${user.email}`))).toEqual([]);
  });

  it("forgets an email's failures after a successful sign-in", async () => {
    const user = await takeUser();
    const client = newClient();
    for (let attempt = 1; attempt <= 4; attempt++) await passwordStep(db, { email: user.email, password: "wrong" }, client, T0);
    expect(await passwordStep(db, { email: user.email, password: PASSWORD }, client, T0)).toMatchObject({ ok: true });
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await passwordStep(db, { email: user.email, password: "wrong" }, client, T0)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await passwordStep(db, { email: user.email, password: PASSWORD }, client, T0)).toMatchObject({ ok: true });
  });

  it("refuses an address after 20 failures across emails, but not the same email from another address", async () => {
    const user = await takeUser();
    const client = newClient();
    for (let attempt = 1; attempt <= 20; attempt++) {
      const result = await passwordStep(db, { email: `nobody-${attempt}@northwind.example`, password: PASSWORD }, client, at(T0, attempt * SECOND));
      expect(result, `attempt ${attempt}`).toEqual({ ok: false, reason: "invalid" });
    }
    const blocked = await passwordStep(db, { email: user.email, password: PASSWORD }, client, at(T0, 21 * SECOND));
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!blocked.ok) {
      expect(blocked.retryAfter).toBeGreaterThan(0);
      expect(blocked.retryAfter).toBeLessThanOrEqual(900);
    }
    expect(await passwordStep(otherInstance.db, { email: user.email, password: PASSWORD }, client, at(T0, 22 * SECOND))).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });

    expect(await passwordStep(db, { email: user.email, password: PASSWORD }, newClient(), at(T0, 23 * SECOND))).toMatchObject({ ok: true, principalId: user.id });
    expect(await passwordStep(db, { email: user.email, password: PASSWORD }, client, at(T0, 15 * MINUTE + 2 * SECOND))).toMatchObject({ ok: true });
  });

  it("refuses the second step after 5 wrong codes, from any address, until the window has passed", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret } = await enrol(user, client, T0);
    const start = at(T0, MINUTE);
    const pending = await signInPassword(user, client, start);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const now = at(start, attempt * SECOND);
      expect(await verifySecondFactor(db, { ...pending, code: wrongCode(secret, now, attempt) }, client, now), `attempt ${attempt}`).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    expect((await actionsOf(user.id)).filter((action) => action === "second-factor.locked")).toHaveLength(1);

    const now = at(start, 6 * SECOND);
    const refused = await verifySecondFactor(db, { ...pending, code: totpCodeAt(secret, now) }, client, now);
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!refused.ok) {
      expect(refused.retryAfter).toBeGreaterThan(0);
      expect(refused.retryAfter).toBeLessThanOrEqual(900);
    }
    expect((await actionsOf(user.id)).at(-1)).toBe("second-factor.rate-limited");

    // A new sign-in from elsewhere, through another instance, does not reset the count.
    const elsewhere = newClient();
    const retry = await signInPassword(user, elsewhere, at(start, 7 * SECOND));
    expect(await verifySecondFactor(otherInstance.db, { ...retry, code: totpCodeAt(secret, now) }, elsewhere, at(start, 7 * SECOND))).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
    const [count] = await otherInstance.db.select().from(rateLimits).where(eq(rateLimits.key, `second-factor:principal:${user.id}`));
    expect(count!.failures).toBeGreaterThan(SECOND_FACTOR_PER_PRINCIPAL.limit);

    const later = at(start, 15 * MINUTE + 2 * SECOND);
    const fresh = await signInPassword(user, client, later);
    expect(await verifySecondFactor(db, { ...fresh, code: totpCodeAt(secret, later) }, client, later)).toEqual({ ok: true, usedRecoveryCode: false });
  });

  it("counts wrong enrolment codes against the second-factor limit", async () => {
    const user = await takeUser();
    const client = newClient();
    const pending = await signInPassword(user, client, T0, "enroll");
    const begun = await beginEnrolment(db, pending, T0);
    if (!begun.ok) throw new Error(begun.reason);
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await confirmEnrolment(db, { ...pending, code: wrongCode(begun.secret, T0, attempt) }, client, T0)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await confirmEnrolment(db, { ...pending, code: totpCodeAt(begun.secret, T0) }, client, T0)).toMatchObject({ ok: false, reason: "rate_limited" });
  });
});

describe("signOutSession", () => {
  it("ends the session and audits the sign-out", async () => {
    const user = await takeUser();
    const client = newClient();
    const { pending } = await enrol(user, client, T0);
    const sessionId = await completeSignIn(db, pending, client, T0);
    expect(sessionId).not.toBeNull();
    const now = at(T0, 5 * MINUTE);
    expect(await findLiveSession(db, sessionId!, user.id, now)).not.toBeNull();

    await signOutSession(db, { sessionId: sessionId!, principalId: user.id, accountId: user.accountId }, client);

    expect(await findLiveSession(db, sessionId!, user.id, now)).toBeNull();
    expect(await sessionsOf(user.id)).toEqual([]);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "sign-out")));
    expect(event).toMatchObject({ accountId: user.accountId, targetId: user.id, address: client.address, userAgent: client.userAgent });
  });

  it("ends only the session it is given", async () => {
    const user = await takeUser();
    const client = newClient();
    const { secret, pending } = await enrol(user, client, T0);
    const first = (await completeSignIn(db, pending, client, T0))!;
    const now = at(T0, MINUTE);
    const other = await signInPassword(user, client, now);
    await verifySecondFactor(db, { ...other, code: totpCodeAt(secret, now) }, client, now);
    const second = (await completeSignIn(db, other, client, now))!;

    await signOutSession(db, { sessionId: first, principalId: user.id, accountId: user.accountId }, client);
    expect(await findLiveSession(db, first, user.id, now)).toBeNull();
    expect(await findLiveSession(db, second, user.id, now)).not.toBeNull();
  });
});

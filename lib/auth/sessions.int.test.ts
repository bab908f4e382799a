import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { authSessions, principals } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { ABSOLUTE_LIFETIME_MS, endAllSessions, endSession, findLiveSession, IDLE_TIMEOUT_MS, openSession, type ClientInfo } from "./sessions";

const T0 = new Date("2030-03-04T08:00:00.000Z");
const CLIENT: ClientInfo = { address: "203.0.113.7", userAgent: "vitest sessions" };
const MINUTE = 60_000;

type PrincipalRef = { id: string; accountId: string; sessionVersion: number };

let connection: DatabaseConnection;
let db: Database;
let activeUsers: string[];
let nextUser = 0;

function at(base: Date, ms: number): Date {
  return new Date(base.getTime() + ms);
}

/** A fresh active principal for each test, so that no test sees another's sessions. */
async function takePrincipal(): Promise<PrincipalRef> {
  const email = activeUsers[nextUser++];
  if (!email) throw new Error("ran out of demo users");
  return principalByEmail(email);
}

async function principalByEmail(email: string): Promise<PrincipalRef> {
  const [row] = await db
    .select({ id: principals.id, accountId: principals.accountId, sessionVersion: principals.sessionVersion })
    .from(principals)
    .where(eq(principals.email, email));
  return row!;
}

async function sessionRow(id: string) {
  const [row] = await db.select().from(authSessions).where(eq(authSessions.id, id));
  return row;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  await seedDemo(db, { password: "test-password-123" });
  const rows = await db.select({ email: principals.email }).from(principals).where(eq(principals.status, "active")).orderBy(principals.email);
  activeUsers = rows.map((row) => row.email!);
});

afterAll(async () => {
  await connection?.close();
});

describe("openSession", () => {
  it("opens a complete session for 12 hours and a pending one for 10 minutes", async () => {
    const principal = await takePrincipal();
    const complete = await openSession(db, principal, "complete", CLIENT, T0);
    const pending = await openSession(db, principal, "password", CLIENT, T0);
    expect(complete).not.toBe(pending);
    const completeRow = (await sessionRow(complete))!;
    expect(completeRow).toMatchObject({
      principalId: principal.id,
      accountId: principal.accountId,
      stage: "complete",
      sessionVersion: principal.sessionVersion,
      address: CLIENT.address,
      userAgent: CLIENT.userAgent,
    });
    expect(completeRow.createdAt).toEqual(T0);
    expect(completeRow.lastSeenAt).toEqual(T0);
    expect(completeRow.expiresAt).toEqual(at(T0, ABSOLUTE_LIFETIME_MS));
    expect((await sessionRow(pending))!.expiresAt).toEqual(at(T0, 10 * MINUTE));
  });

  it("keeps at most 500 characters of the user agent", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", { address: null, userAgent: "x".repeat(2000) }, T0);
    const row = (await sessionRow(id))!;
    expect(row.userAgent).toHaveLength(500);
    expect(row.address).toBeNull();
  });
});

describe("findLiveSession", () => {
  it("returns the session within its limits, with its principal's status", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);
    const live = await findLiveSession(db, id, principal.id, at(T0, 5 * MINUTE));
    expect(live).toMatchObject({ id, principalId: principal.id, accountId: principal.accountId, stage: "complete", principalStatus: "active" });
  });

  it("returns a session at any stage; callers check the stage", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "password", CLIENT, T0);
    expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE))).toMatchObject({ id, stage: "password" });
  });

  it("refreshes last_seen_at only when it is more than a minute old", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);

    expect(await findLiveSession(db, id, principal.id, at(T0, 30_000))).not.toBeNull();
    expect((await sessionRow(id))!.lastSeenAt).toEqual(T0);

    expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE))).not.toBeNull();
    expect((await sessionRow(id))!.lastSeenAt).toEqual(T0);

    expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE + 1_000))).not.toBeNull();
    expect((await sessionRow(id))!.lastSeenAt).toEqual(at(T0, MINUTE + 1_000));

    expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE + 30_000))).not.toBeNull();
    expect((await sessionRow(id))!.lastSeenAt).toEqual(at(T0, MINUTE + 1_000));
  });

  it("keeps a session alive while it is used at least every 30 minutes", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);
    expect(await findLiveSession(db, id, principal.id, at(T0, 29 * MINUTE))).not.toBeNull();
    expect(await findLiveSession(db, id, principal.id, at(T0, 58 * MINUTE))).not.toBeNull();
    expect(await findLiveSession(db, id, principal.id, at(T0, 58 * MINUTE + IDLE_TIMEOUT_MS))).not.toBeNull();
  });

  it("ends a session idle for more than 30 minutes and deletes its row", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);
    expect(await findLiveSession(db, id, principal.id, at(T0, IDLE_TIMEOUT_MS + 1_000))).toBeNull();
    expect(await sessionRow(id)).toBeUndefined();
    // Ended for good: an earlier clock does not bring it back.
    expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE))).toBeNull();
  });

  it("ends a session after 12 hours even if it was used every 10 minutes", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);
    for (let elapsed = 10 * MINUTE; elapsed < ABSOLUTE_LIFETIME_MS; elapsed += 10 * MINUTE) {
      expect(await findLiveSession(db, id, principal.id, at(T0, elapsed)), `after ${elapsed / MINUTE} minutes`).not.toBeNull();
    }
    expect(await findLiveSession(db, id, principal.id, at(T0, ABSOLUTE_LIFETIME_MS - 1_000))).not.toBeNull();
    expect(await findLiveSession(db, id, principal.id, at(T0, ABSOLUTE_LIFETIME_MS))).toBeNull();
    expect(await sessionRow(id)).toBeUndefined();
  });

  it("ends a pending session after 10 minutes", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "password", CLIENT, T0);
    expect(await findLiveSession(db, id, principal.id, at(T0, 10 * MINUTE))).toBeNull();
    expect(await sessionRow(id)).toBeUndefined();
  });

  it("returns null for a session id of another principal, and leaves that session alone", async () => {
    const owner = await takePrincipal();
    const other = await takePrincipal();
    const id = await openSession(db, owner, "complete", CLIENT, T0);
    expect(await findLiveSession(db, id, other.id, at(T0, MINUTE))).toBeNull();
    expect(await sessionRow(id)).toBeDefined();
    expect(await findLiveSession(db, id, owner.id, at(T0, MINUTE))).not.toBeNull();
  });

  it("returns null for an unknown session id", async () => {
    const principal = await takePrincipal();
    expect(await findLiveSession(db, crypto.randomUUID(), principal.id, T0)).toBeNull();
  });

  it.each(["", "not-a-session", "' or 1=1 --", `${crypto.randomUUID()}0`, crypto.randomUUID().slice(1), "x".repeat(36), "-".repeat(36), "0".repeat(36)])(
    "returns null for the malformed id %j",
    async (malformed) => {
      const principal = await takePrincipal();
      await openSession(db, principal, "complete", CLIENT, T0);
      expect(await findLiveSession(db, malformed, principal.id, T0)).toBeNull();
    },
  );

  it("returns null for a malformed principal id", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);
    expect(await findLiveSession(db, id, "garbage", T0)).toBeNull();
  });

  it("returns null after the principal is disabled, and deletes the session", async () => {
    const principal = await takePrincipal();
    const id = await openSession(db, principal, "complete", CLIENT, T0);
    expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE))).not.toBeNull();
    await db.update(principals).set({ status: "disabled" }).where(eq(principals.id, principal.id));
    expect(await findLiveSession(db, id, principal.id, at(T0, 2 * MINUTE))).toBeNull();
    expect(await sessionRow(id)).toBeUndefined();
  });

  it("returns null for a session opened under an older session version", async () => {
    const principal = await takePrincipal();
    const stale = await openSession(db, { ...principal, sessionVersion: principal.sessionVersion - 1 }, "complete", CLIENT, T0);
    expect(await findLiveSession(db, stale, principal.id, at(T0, MINUTE))).toBeNull();
    expect(await sessionRow(stale)).toBeUndefined();
  });
});

describe("endSession", () => {
  it("ends one session and leaves the principal's others", async () => {
    const principal = await takePrincipal();
    const ended = await openSession(db, principal, "complete", CLIENT, T0);
    const kept = await openSession(db, principal, "complete", CLIENT, T0);
    await endSession(db, ended);
    expect(await findLiveSession(db, ended, principal.id, at(T0, MINUTE))).toBeNull();
    expect(await findLiveSession(db, kept, principal.id, at(T0, MINUTE))).not.toBeNull();
  });

  it("does nothing for a session that is already gone", async () => {
    await expect(endSession(db, crypto.randomUUID())).resolves.toBeUndefined();
  });
});

describe("endAllSessions", () => {
  it("bumps the session version and ends every session of the principal, and only of that principal", async () => {
    const principal = await takePrincipal();
    const other = await takePrincipal();
    const mine = [
      await openSession(db, principal, "complete", CLIENT, T0),
      await openSession(db, principal, "complete", { address: "198.51.100.1", userAgent: "another browser" }, T0),
      await openSession(db, principal, "password", CLIENT, T0),
    ];
    const theirs = await openSession(db, other, "complete", CLIENT, T0);

    await endAllSessions(db, principal.id);

    expect((await principalByEmail((await emailOf(principal.id))!)).sessionVersion).toBe(principal.sessionVersion + 1);
    expect(await db.select().from(authSessions).where(inArray(authSessions.id, mine))).toEqual([]);
    for (const id of mine) expect(await findLiveSession(db, id, principal.id, at(T0, MINUTE))).toBeNull();
    expect(await findLiveSession(db, theirs, other.id, at(T0, MINUTE))).not.toBeNull();
    expect((await principalByEmail((await emailOf(other.id))!)).sessionVersion).toBe(other.sessionVersion);
  });

  it("refuses a session that another instance opened with the version read before the bump", async () => {
    const principal = await takePrincipal();
    await endAllSessions(db, principal.id);
    // Opened with the principal as read before the bump, inserted after the delete.
    const late = await openSession(db, principal, "complete", CLIENT, T0);
    expect(await findLiveSession(db, late, principal.id, at(T0, MINUTE))).toBeNull();
    const fresh = await openSession(db, await principalByEmail((await emailOf(principal.id))!), "complete", CLIENT, T0);
    expect(await findLiveSession(db, fresh, principal.id, at(T0, MINUTE))).not.toBeNull();
  });
});

async function emailOf(principalId: string): Promise<string | null> {
  const [row] = await db.select({ email: principals.email }).from(principals).where(eq(principals.id, principalId));
  return row?.email ?? null;
}

import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "./client";
import { auditEvents, nodes } from "./schema";
import { createTestDatabase } from "./testing";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let eventId: number;

/** Every message and SQLSTATE along an error's cause chain (drizzle wraps the driver's error). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const item = current as { message?: string; code?: string; cause?: unknown };
    parts.push(`${item.message ?? String(current)} [${item.code ?? ""}]`);
    current = item.cause;
  }
  return parts.join(" <- ");
}

async function failureOf(statement: () => Promise<unknown>): Promise<string> {
  try {
    await statement();
  } catch (error) {
    return describeError(error);
  }
  throw new Error("the statement succeeded");
}

async function storedEvents() {
  return db.select().from(auditEvents).orderBy(auditEvents.id);
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = crypto.randomUUID();
  await db.insert(nodes).values({ id: accountId, accountId, kind: "account", name: "Audit Test", slug: "audit-test", path: `${accountId}/`, depth: 0 });
  const [event] = await db
    .insert(auditEvents)
    .values({ accountId, action: "tenant.create", nodeId: accountId, targetType: "node", targetId: accountId, summary: { after: { name: "Audit Test" } } })
    .returning({ id: auditEvents.id });
  eventId = event!.id;
});

afterAll(async () => {
  await connection?.close();
});

describe("audit_events", () => {
  it("accepts new events", async () => {
    await db.insert(auditEvents).values({ accountId, action: "member.invite" });
    const events = await storedEvents();
    expect(events.map((event) => event.action)).toEqual(["tenant.create", "member.invite"]);
  });

  it("refuses an UPDATE and leaves the row unchanged", async () => {
    const before = await storedEvents();
    const failure = await failureOf(() => db.update(auditEvents).set({ action: "tenant.delete" }).where(eq(auditEvents.id, eventId)));
    expect(failure).toContain("append-only");
    expect(failure).toContain("42501");
    expect(await storedEvents()).toEqual(before);
  });

  it("refuses a DELETE of one row and leaves it in place", async () => {
    const before = await storedEvents();
    expect(await failureOf(() => db.delete(auditEvents).where(eq(auditEvents.id, eventId)))).toContain("append-only");
    expect(await storedEvents()).toEqual(before);
  });

  it("refuses a DELETE of every row", async () => {
    const before = await storedEvents();
    expect(await failureOf(() => db.delete(auditEvents))).toContain("append-only");
    expect(await storedEvents()).toEqual(before);
  });

  it("refuses a TRUNCATE", async () => {
    const before = await storedEvents();
    expect(await failureOf(() => db.execute(sql`truncate table audit_events`))).toContain("append-only");
    expect(await storedEvents()).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });

  it("refuses an UPDATE inside a transaction and rolls it back", async () => {
    const before = await storedEvents();
    const failure = await failureOf(() =>
      db.transaction(async (tx) => {
        await tx.insert(auditEvents).values({ accountId, action: "role.assign" });
        await tx.update(auditEvents).set({ summary: {} });
      }),
    );
    expect(failure).toContain("append-only");
    expect(await storedEvents()).toEqual(before);
  });
});

import { asc, desc, gt, sql } from "drizzle-orm";
import { expect } from "vitest";
import { DomainError, type ErrorCode } from "@/lib/errors";
import type { Database } from "./client";
import { auditEvents } from "./schema";

// Snapshots of what a service writes, for integration tests that prove a refusal wrote nothing but its denial.

/** The id of the newest audit event, or 0 when there is none. */
export async function lastEventId(db: Database): Promise<number> {
  const [row] = await db.select({ id: auditEvents.id }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return row?.id ?? 0;
}

/** The audit events written after the one with `id`, oldest first. */
export async function eventsSince(db: Database, id: number) {
  return db.select().from(auditEvents).where(gt(auditEvents.id, id)).orderBy(asc(auditEvents.id));
}

/** The newest `.denied` audit event. */
export async function lastDenial(db: Database) {
  const [row] = await db.select().from(auditEvents).where(sql`${auditEvents.action} like '%.denied'`).orderBy(sql`${auditEvents.id} desc`).limit(1);
  return row!;
}

/** Columns for a snapshot's select: how many audit events record changes, and how many record denials. */
export function auditCounts() {
  return {
    changes: sql<number>`(select count(*)::int from audit_events where action not like '%.denied')`,
    denials: sql<number>`(select count(*)::int from audit_events where action like '%.denied')`,
  };
}

/**
 * Checks against `tables`, a snapshot of every row the services under test could write apart from the
 * audit trail: `expectRefused` runs a call that must fail with `code`, leave every row as it was and
 * record no audit event but, where given, its `.denied` one; `expectAudited` runs a call that must
 * succeed and record exactly one audit event.
 */
export function writeChecks(db: () => Database, tables: () => Promise<unknown>) {
  async function expectRefused(work: () => Promise<unknown>, code: ErrorCode, denied?: string) {
    const before = await tables();
    const since = await lastEventId(db());
    let caught: unknown;
    try {
      await work();
    } catch (error) {
      caught = error;
    }
    expect(caught, "the call should have been refused").toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error.code, error.message).toBe(code);
    expect(await tables()).toEqual(before);
    const events = await eventsSince(db(), since);
    expect(events.map((event) => event.action)).toEqual(denied ? [denied] : []);
    return { error, events };
  }

  async function expectAudited<T>(work: () => Promise<T>) {
    const since = await lastEventId(db());
    const result = await work();
    const events = await eventsSince(db(), since);
    expect(events).toHaveLength(1);
    return { result, event: events[0]! };
  }

  return { expectRefused, expectAudited };
}

/**
 * A check against `snapshot`, which must count `.denied` audit events as `denials`: the call must fail
 * with the expected code (and rule, and error on `field`), change nothing else in the snapshot and add
 * exactly one denial when `denial`, none otherwise.
 */
export function refusalCheck(snapshot: () => Promise<{ denials: number }>) {
  return async function expectRefusal(call: () => Promise<unknown>, expected: { code: string; rule?: number; field?: string }, denial: boolean) {
    const before = await snapshot();
    const error = await call().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe(expected.code);
    if (expected.rule !== undefined) expect(domainError.details.rule).toBe(expected.rule);
    if (expected.field !== undefined) expect(domainError.details.fieldErrors?.[expected.field]?.length).toBeGreaterThan(0);
    const after = await snapshot();
    expect({ ...after, denials: before.denials }).toEqual(before);
    expect(after.denials).toBe(before.denials + (denial ? 1 : 0));
    return domainError;
  };
}

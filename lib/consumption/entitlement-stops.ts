import "server-only";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { entitlementStops, usageDaily, type Entitlement } from "@/db/schema";
import { DomainError } from "@/lib/errors";

// The stop periods of an entitlement (db/schema entitlement_stops): it accrues usage through the day it
// stops and again from the day it is reactivated, never in between. The ingest reads the periods to
// refuse usage for those days; the lifecycle writes them here.

/** A stop period as the ingest checks it: days after `from` and before `to` (open when null) accrue nothing. */
export interface StopPeriod {
  from: string;
  to: string | null;
}

/** Why usage for `day` is refused by a stop period, or null when no period holds it. */
export function stoppedProblem(serial: string, stops: readonly StopPeriod[], day: string): string | null {
  const stop = stops.find((period) => day > period.from && (period.to === null || day < period.to));
  if (!stop) return null;
  return stop.to === null
    ? `${day} is after ${serial} was stopped, on ${stop.from}: reactivate it before recording usage for later days.`
    : `${day} is while ${serial} was stopped (from ${stop.from}, reactivated on ${stop.to}).`;
}

/** The latest day with usage after `day`, so that a stop or an expiry never leaves recorded usage outside the active days. */
export async function usageAfter(tx: Transaction, entitlementId: string, day: string): Promise<string | null> {
  const [later] = await tx
    .select({ day: usageDaily.day })
    .from(usageDaily)
    .where(and(eq(usageDaily.entitlementId, entitlementId), gt(usageDaily.day, day)))
    .orderBy(desc(usageDaily.day))
    .limit(1);
  return later?.day ?? null;
}

/**
 * Records that `entitlement` (locked, active) stops after `day`: not before its start or its last
 * reactivation, and not before a day that has usage. Stopping again on the day of a reactivation
 * reopens that period.
 */
export async function recordStop(tx: Transaction, entitlement: Entitlement, day: string): Promise<void> {
  const [last] = await tx
    .select({ reactivatedOn: entitlementStops.reactivatedOn })
    .from(entitlementStops)
    .where(eq(entitlementStops.entitlementId, entitlement.id))
    .orderBy(desc(entitlementStops.stoppedOn))
    .limit(1);
  const since = last?.reactivatedOn ?? entitlement.startDate;
  if (since && day < since) {
    throw new DomainError("invalid", `The stop day cannot be before ${since}, when the entitlement last became active.`, { fieldErrors: { day: ["Before it became active."] } });
  }
  const later = await usageAfter(tx, entitlement.id, day);
  if (later) throw new DomainError("invalid", `Usage is recorded up to ${later}: stop the entitlement on that day or later.`, { fieldErrors: { day: ["Before recorded usage."] } });
  await tx
    .insert(entitlementStops)
    .values({ entitlementId: entitlement.id, accountId: entitlement.accountId, stoppedOn: day })
    .onConflictDoUpdate({ target: [entitlementStops.entitlementId, entitlementStops.stoppedOn], set: { reactivatedOn: null } });
}

/** Closes the open stop period of `entitlement` (locked, stopped) on `day`, which cannot be before the stop. */
export async function recordReactivation(tx: Transaction, entitlement: Entitlement, day: string): Promise<void> {
  const [open] = await tx
    .select({ stoppedOn: entitlementStops.stoppedOn })
    .from(entitlementStops)
    .where(and(eq(entitlementStops.entitlementId, entitlement.id), isNull(entitlementStops.reactivatedOn)));
  // An entitlement stopped before stop periods were recorded has none to close.
  if (!open) return;
  if (day < open.stoppedOn) {
    throw new DomainError("invalid", `The reactivation day cannot be before the stop, on ${open.stoppedOn}.`, { fieldErrors: { day: ["Before the stop."] } });
  }
  await tx
    .update(entitlementStops)
    .set({ reactivatedOn: day })
    .where(and(eq(entitlementStops.entitlementId, entitlement.id), eq(entitlementStops.stoppedOn, open.stoppedOn)));
}

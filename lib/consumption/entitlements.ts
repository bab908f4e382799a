import "server-only";
import { and, desc, eq, like, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { entitlements, flexConfigurations, type Entitlement } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { requireProduct } from "./catalog";
import { dayOf } from "./calendar";
import { recordReactivation, recordStop, usageAfter } from "./entitlement-stops";
import { createEntitlementsInput, transitionEntitlementInput } from "./schemas";
import { authorizeOwned } from "./scope";
import { nextStatus } from "./transitions";

const SERIAL_DIGITS = 6;

/**
 * The next `count` serial numbers for a product prefix in the account: prefix, "TM", the year's two
 * digits and a sequence (FGVMMLTM26000123). The caller holds the prefix's lock, so two creations never
 * pick the same numbers; the unique index would refuse them anyway.
 */
async function nextSerials(tx: Transaction, accountId: string, prefix: string, now: Date, count: number): Promise<string[]> {
  const stem = `${prefix}TM${String(now.getUTCFullYear() % 100).padStart(2, "0")}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`arbor.serial:${accountId}:${stem}`}, 0))`);
  const [last] = await tx
    .select({ serial: entitlements.serialNumber })
    .from(entitlements)
    .where(and(eq(entitlements.accountId, accountId), like(entitlements.serialNumber, `${stem}${"_".repeat(SERIAL_DIGITS)}`)))
    .orderBy(desc(entitlements.serialNumber))
    .limit(1);
  const start = last ? Number(last.serial.slice(stem.length)) + 1 : 1;
  if (start + count - 1 >= 10 ** SERIAL_DIGITS) throw new DomainError("conflict", `The serial numbers ${stem}… are used up for this year.`);
  return Array.from({ length: count }, (_, index) => `${stem}${String(start + index).padStart(SERIAL_DIGITS, "0")}`);
}

/** Creates pending entitlements from a configuration, each with a new serial number; needs entitlement.manage on its organization. */
export async function createEntitlements(ctx: ServiceContext, raw: unknown): Promise<Entitlement[]> {
  const input = parseInput(createEntitlementsInput, raw);
  const accountId = ctx.authz.principal.accountId;
  const [configuration] = await ctx.db
    .select()
    .from(flexConfigurations)
    .where(and(eq(flexConfigurations.accountId, accountId), eq(flexConfigurations.id, input.configurationId)));
  const owner = await authorizeOwned(ctx, "entitlement.create", "entitlement.manage", configuration?.nodeId, "configuration");
  const product = await requireProduct(ctx.db, accountId, configuration!.productId);
  return ctx.db.transaction(async (tx) => {
    const serials = await nextSerials(tx, accountId, product.priceTable.serialPrefix, ctx.authz.now, input.count);
    const created = await tx
      .insert(entitlements)
      .values(serials.map((serialNumber) => ({ accountId, nodeId: owner.id, configurationId: configuration!.id, serialNumber, description: input.description })))
      .returning();
    for (const entitlement of created) {
      await recordAudit(tx, ctx, {
        action: "entitlement.create",
        nodeId: owner.id,
        targetType: "entitlement",
        targetId: entitlement.id,
        after: { serialNumber: entitlement.serialNumber, configurationId: configuration!.id, status: entitlement.status },
      });
    }
    return created;
  });
}

/**
 * Moves an entitlement along its lifecycle (activate, stop, reactivate, expire; see transitions.ts),
 * checking the version the caller saw; needs entitlement.manage on its organization. The day (today
 * unless given, never in the future) is the start when activating, the last day that accrues when
 * stopping or expiring (never before a day that has usage), and the first day that accrues again when
 * reactivating; stop periods are kept (entitlement-stops.ts) so the days between refuse usage.
 */
export async function transitionEntitlement(ctx: ServiceContext, raw: unknown): Promise<Entitlement> {
  const input = parseInput(transitionEntitlementInput, raw);
  const accountId = ctx.authz.principal.accountId;
  const [found] = await ctx.db
    .select({ nodeId: entitlements.nodeId })
    .from(entitlements)
    .where(and(eq(entitlements.accountId, accountId), eq(entitlements.id, input.entitlementId)));
  const owner = await authorizeOwned(ctx, `entitlement.${input.transition}`, "entitlement.manage", found?.nodeId, "entitlement");
  const today = dayOf(ctx.authz.now);
  const day = input.day ?? today;
  if (day > today) throw new DomainError("invalid", `The day cannot be in the future (today is ${today}).`, { fieldErrors: { day: ["Not in the future."] } });

  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(entitlements).where(eq(entitlements.id, input.entitlementId)).for("update");
    if (input.expectedVersion !== undefined && current!.version !== input.expectedVersion) {
      throw new DomainError("precondition_failed", "The entitlement was changed by someone else; reload it and try again.");
    }
    const status = nextStatus(current!.status, input.transition);
    const dates: Partial<Entitlement> = {};
    if (input.transition === "activate") dates.startDate = day;
    if (input.transition === "stop") await recordStop(tx, current!, day);
    if (input.transition === "reactivate") await recordReactivation(tx, current!, day);
    if (input.transition === "expire") {
      if (current!.startDate && day < current!.startDate) {
        throw new DomainError("invalid", `The end day cannot be before the start day, ${current!.startDate}.`, { fieldErrors: { day: ["Before the start."] } });
      }
      const later = await usageAfter(tx, current!.id, day);
      if (later) throw new DomainError("invalid", `Usage is recorded up to ${later}: expire the entitlement on that day or later.`, { fieldErrors: { day: ["Before recorded usage."] } });
      dates.endDate = day;
    }
    const [updated] = await tx
      .update(entitlements)
      .set({ status, ...dates, updatedAt: new Date(), version: current!.version + 1 })
      .where(eq(entitlements.id, current!.id))
      .returning();
    const summary = (entitlement: Entitlement) => ({ status: entitlement.status, startDate: entitlement.startDate, endDate: entitlement.endDate });
    await recordAudit(tx, ctx, {
      action: `entitlement.${input.transition}`,
      nodeId: owner.id,
      targetType: "entitlement",
      targetId: current!.id,
      before: summary(current!),
      after: { serialNumber: current!.serialNumber, ...summary(updated!) },
    });
    return updated!;
  });
}

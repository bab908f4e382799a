import type { Database, Transaction } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { Permission } from "@/lib/authz";
import { checkPermission } from "@/lib/authz/guard";
import type { NodeRef } from "@/lib/authz/decide";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

export interface AuditEntry {
  action: string;
  nodeId: string | null;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

/** Writes an audit event for the context's principal; pass the transaction of the change it records. */
export async function recordAudit(db: Database | Transaction, ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  await insertAuditEvent(db, {
    ...entry,
    accountId: ctx.authz.principal.accountId,
    actorId: ctx.authz.principal.id,
    actingAs: ctx.authz.principal.kind,
    address: ctx.request?.address ?? null,
    userAgent: ctx.request?.userAgent ?? null,
  });
}

/** Writes an audit event with the actor given explicitly: sign-in events happen before there is a context. */
export async function insertAuditEvent(
  db: Database | Transaction,
  event: AuditEntry & { accountId: string; actorId: string | null; actingAs: string | null; address: string | null; userAgent: string | null },
): Promise<void> {
  await db.insert(auditEvents).values({
    accountId: event.accountId,
    actorId: event.actorId,
    actingAs: event.actingAs,
    nodeId: event.nodeId,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    summary: { before: event.before, after: event.after },
    address: event.address,
    userAgent: event.userAgent,
  });
}

/**
 * The shared check for services: refuses (and records the denial, outside any transaction that will
 * roll back) unless the principal holds `permission` on `node`. A service that found the node through
 * a record named by id (an assignment, a user) passes `reachedThrough`, so that a record out of reach
 * is "no such assignment" exactly like one that does not exist, not "no such node".
 */
export async function authorize(ctx: ServiceContext, action: string, permission: Permission, node: NodeRef | null, reachedThrough?: string): Promise<void> {
  const checked = checkPermission(ctx.authz, permission, node);
  if (!checked) return;
  const refusal = reachedThrough && checked.code === "not_found" ? notFound(reachedThrough) : checked;
  await recordDenial(ctx, { action, nodeId: node?.id ?? null, permission, reason: refusal.message });
  throw refusal;
}

/** Records a refused attempt. Written on the main connection so that it survives the refusal. */
export async function recordDenial(
  ctx: ServiceContext,
  denial: { action: string; nodeId: string | null; permission?: Permission; reason: string; targetType?: string; targetId?: string },
): Promise<void> {
  await recordAudit(ctx.db, ctx, {
    action: `${denial.action}.denied`,
    nodeId: denial.nodeId,
    targetType: denial.targetType,
    targetId: denial.targetId,
    after: { permission: denial.permission, reason: denial.reason },
  });
}

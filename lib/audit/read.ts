import { and, desc, eq, gte, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, nodes, principals } from "@/db/schema";
import { subtreeRange } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { authorize } from "./record";

export const auditFilters = z.object({
  nodeId: z.uuid("Not a valid id."),
  actor: z.string().trim().max(320).optional(),
  action: z.string().trim().max(100).optional(),
  from: z.coerce.date({ error: "Not a valid date." }).optional(),
  to: z.coerce.date({ error: "Not a valid date." }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export type AuditFilters = z.input<typeof auditFilters>;

export interface AuditRow {
  id: number;
  createdAt: Date;
  actorName: string | null;
  actorEmail: string | null;
  actingAs: string | null;
  action: string;
  nodeName: string | null;
  targetType: string | null;
  targetId: string | null;
  summary: unknown;
  address: string | null;
}

/**
 * Audit events of a node and everything below it (at the account also those tied to no node, such as
 * sign-ins), newest first, a page at a time; needs audit.read on the node.
 */
export async function listAuditEvents(ctx: ServiceContext, raw: unknown): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const filters = parseInput(auditFilters, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: filters.nodeId }, ctx.authz.now);
  await authorize(ctx, "audit.read", "audit.read", node);
  const { lower, upper } = subtreeRange(node!.path);
  const inSubtree = and(gte(nodes.path, lower), lt(nodes.path, upper));
  const conditions: (SQL | undefined)[] = [
    eq(auditEvents.accountId, node!.accountId),
    node!.kind === "account" ? or(isNull(auditEvents.nodeId), inSubtree) : inSubtree,
  ];
  if (filters.actor) {
    const pattern = `%${filters.actor.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(sql`(${principals.email} ilike ${pattern} or ${principals.name} ilike ${pattern})`);
  }
  if (filters.action) conditions.push(sql`${auditEvents.action} like ${`${filters.action.replace(/[\\%_]/g, (char) => `\\${char}`)}%`}`);
  if (filters.from) conditions.push(gte(auditEvents.createdAt, filters.from));
  if (filters.to) conditions.push(lt(auditEvents.createdAt, filters.to));
  if (filters.before) conditions.push(lt(auditEvents.id, filters.before));
  const rows = await ctx.db
    .select({
      id: auditEvents.id,
      createdAt: auditEvents.createdAt,
      actorName: principals.name,
      actorEmail: principals.email,
      actingAs: auditEvents.actingAs,
      action: auditEvents.action,
      nodeName: nodes.name,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      summary: auditEvents.summary,
      address: auditEvents.address,
    })
    .from(auditEvents)
    .leftJoin(nodes, and(eq(nodes.accountId, auditEvents.accountId), eq(nodes.id, auditEvents.nodeId)))
    .leftJoin(principals, and(eq(principals.accountId, auditEvents.accountId), eq(principals.id, auditEvents.actorId)))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  return { rows: page, nextBefore: rows.length > filters.limit ? page[page.length - 1]!.id : null };
}

const CSV_COLUMNS = ["id", "time", "actor", "actor_email", "acting_as", "action", "node", "target_type", "target_id", "summary", "address"] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  // Quote everything; a leading = + - @ would make a spreadsheet run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Every matching event as CSV, newest first, fetched page by page (up to 100,000 rows). */
export async function auditEventsCsv(ctx: ServiceContext, raw: unknown): Promise<string> {
  const lines = [CSV_COLUMNS.join(",")];
  let before: number | undefined;
  for (let fetched = 0; fetched < 100_000; ) {
    const { rows, nextBefore } = await listAuditEvents(ctx, { ...(raw as object), before, limit: 500 });
    for (const row of rows) {
      lines.push(
        [row.id, row.createdAt.toISOString(), row.actorName, row.actorEmail, row.actingAs, row.action, row.nodeName, row.targetType, row.targetId, row.summary, row.address]
          .map(csvCell)
          .join(","),
      );
    }
    fetched += rows.length;
    if (nextBefore === null) break;
    before = nextBefore;
  }
  return `${lines.join("\r\n")}\r\n`;
}

import "server-only";
import { and, count, eq, ilike, sql, type SQL } from "drizzle-orm";
import { entitlements, flexConfigurations, flexProducts, nodes } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { entitlementIdInput, entitlementListInput, type EntitlementSort } from "./schemas";
import { authorizeOwned, loadNode, readableSubtree } from "./scope";

export interface EntitlementRow {
  id: string;
  serialNumber: string;
  description: string;
  status: "pending" | "active" | "stopped" | "expired";
  startDate: string | null;
  endDate: string | null;
  nodeId: string;
  organization: string;
  configurationId: string;
  configuration: string;
  productId: string;
  productKey: string;
  product: string;
  pointsPerDay: number;
  version: number;
  createdAt: Date;
}

export interface EntitlementPage {
  rows: EntitlementRow[];
  /** Every entitlement that matches the filters, on all pages. */
  total: number;
  page: number;
  pageSize: number;
  /** Continues after the last row in the same order (keyset paging); null on the last page. */
  nextCursor: string | null;
}

const rowColumns = {
  id: entitlements.id,
  serialNumber: entitlements.serialNumber,
  description: entitlements.description,
  status: entitlements.status,
  startDate: entitlements.startDate,
  endDate: entitlements.endDate,
  nodeId: entitlements.nodeId,
  organization: nodes.name,
  configurationId: entitlements.configurationId,
  configuration: flexConfigurations.name,
  productId: flexConfigurations.productId,
  productKey: flexProducts.key,
  product: flexProducts.name,
  pointsPerDay: flexConfigurations.pointsPerDay,
  version: entitlements.version,
  createdAt: entitlements.createdAt,
};

/** Each sort as a non-null expression (missing dates sort last ascending) and the type its cursor value is cast back to. */
const SORTS: Record<EntitlementSort, { expression: SQL; type: SQL }> = {
  serialNumber: { expression: sql`${entitlements.serialNumber}`, type: sql`text` },
  status: { expression: sql`${entitlements.status}`, type: sql`entitlement_status` },
  organization: { expression: sql`${nodes.name}`, type: sql`text` },
  product: { expression: sql`${flexProducts.name}`, type: sql`text` },
  pointsPerDay: { expression: sql`${flexConfigurations.pointsPerDay}`, type: sql`numeric` },
  startDate: { expression: sql`coalesce(${entitlements.startDate}, '9999-12-31'::date)`, type: sql`date` },
  endDate: { expression: sql`coalesce(${entitlements.endDate}, '9999-12-31'::date)`, type: sql`date` },
  createdAt: { expression: sql`${entitlements.createdAt}`, type: sql`timestamptz` },
};

function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && /^[0-9a-f-]{36}$/.test(String(value[1]))) return [value[0], value[1] as string];
  } catch {
    // Falls through to the refusal below.
  }
  throw new DomainError("invalid", "The cursor is not one this list gave out.", { fieldErrors: { cursor: ["Not a cursor of this list."] } });
}

/**
 * The entitlements of the node's organizations (an organization's own; a group's or the account's
 * organizations'), filtered by status, configuration, product and part of the serial number, sorted,
 * a page at a time by offset or by cursor; needs consumption.read on the node.
 */
export async function listEntitlements(ctx: ServiceContext, raw: unknown): Promise<EntitlementPage> {
  const input = parseInput(entitlementListInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "entitlement.list", "consumption.read", node);
  const filters = and(
    eq(entitlements.accountId, node!.accountId),
    await readableSubtree(ctx.db, node!, ctx.authz.now),
    input.status ? eq(entitlements.status, input.status) : undefined,
    input.configurationId ? eq(entitlements.configurationId, input.configurationId) : undefined,
    input.productId ? eq(flexConfigurations.productId, input.productId) : undefined,
    input.q ? ilike(entitlements.serialNumber, `%${input.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`) : undefined,
  );
  const sort = SORTS[input.sort];
  const direction = input.dir === "asc" ? sql`asc` : sql`desc`;
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const afterCursor = after
    ? sql`(${sort.expression}, ${entitlements.id}) ${input.dir === "asc" ? sql`>` : sql`<`} (cast(${after[0]} as ${sort.type}), ${after[1]}::uuid)`
    : undefined;

  const [found, [total]] = await Promise.all([
    ctx.db
      .select({ ...rowColumns, sortKey: sql<string>`(${sort.expression})::text` })
      .from(entitlements)
      .innerJoin(nodes, eq(nodes.id, entitlements.nodeId))
      .innerJoin(flexConfigurations, eq(flexConfigurations.id, entitlements.configurationId))
      .innerJoin(flexProducts, eq(flexProducts.id, flexConfigurations.productId))
      .where(and(filters, afterCursor))
      .orderBy(sql`${sort.expression} ${direction}`, sql`${entitlements.id} ${direction}`)
      .limit(input.pageSize + 1)
      .offset(after ? 0 : (input.page - 1) * input.pageSize),
    ctx.db
      .select({ n: count() })
      .from(entitlements)
      .innerJoin(nodes, eq(nodes.id, entitlements.nodeId))
      .innerJoin(flexConfigurations, eq(flexConfigurations.id, entitlements.configurationId))
      .where(filters),
  ]);
  const rows = found.slice(0, input.pageSize);
  const last = rows[rows.length - 1];
  return {
    rows: rows.map(({ sortKey: _sortKey, ...row }) => row),
    total: total!.n,
    page: after ? 1 : input.page,
    pageSize: input.pageSize,
    nextCursor: found.length > input.pageSize && last ? encodeCursor(last.sortKey, last.id) : null,
  };
}

/** One entitlement; needs consumption.read on its organization (or above it). */
export async function readEntitlement(ctx: ServiceContext, raw: unknown): Promise<EntitlementRow> {
  const { entitlementId } = parseInput(entitlementIdInput, raw);
  const [row] = await ctx.db
    .select(rowColumns)
    .from(entitlements)
    .innerJoin(nodes, eq(nodes.id, entitlements.nodeId))
    .innerJoin(flexConfigurations, eq(flexConfigurations.id, entitlements.configurationId))
    .innerJoin(flexProducts, eq(flexProducts.id, flexConfigurations.productId))
    .where(and(eq(entitlements.accountId, ctx.authz.principal.accountId), eq(entitlements.id, entitlementId)));
  await authorizeOwned(ctx, "entitlement.read", "consumption.read", row?.nodeId, "entitlement");
  return row!;
}

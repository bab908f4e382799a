import "server-only";
import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { pathIds, type Capability, type NodeRef } from "@/lib/authz";
import type { ServiceContext } from "@/lib/service-context";
import { evaluateBudgetAlerts } from "./budget-alerts";
import { monthOf } from "./calendar";
import { pgArray } from "./pg-array";
import { rowsOf } from "./rollup-sums";
import type { StopPeriod } from "./entitlement-stops";
import { applyUsageChanges, type UsageChange } from "./rollups";

// The database half of the usage ingest (usage.ts): the rows' entitlements locked with their
// organizations, where flex is in force, and the accepted rows written with their roll-up deltas.

/** A row's entitlement as the ingest checks it, locked for the transaction. */
export interface LockedEntitlement {
  id: string;
  serial: string;
  status: "pending" | "active" | "stopped" | "expired";
  start: string | null;
  end: string | null;
  organizationId: string;
  organization: string;
  path: string;
  productId: string;
  /** The periods it was stopped, oldest first. */
  stops: StopPeriod[];
}

/** A row that passed every check. */
export interface AcceptedRow {
  index: number;
  entitlement: LockedEntitlement;
  day: string;
  points: string;
}

/**
 * The rows' entitlements, by serial number and by id, locked for the transaction (so that usage and
 * lifecycle changes of an entitlement take turns) with their organizations' node rows held against
 * a concurrent move. Two statements whatever the number of rows.
 */
export async function lockEntitlements(
  tx: Transaction,
  accountId: string,
  rows: readonly { serialNumber: string | null; entitlementId: string | null }[],
): Promise<Map<string, LockedEntitlement>> {
  const serials = [...new Set(rows.flatMap((row) => (row.serialNumber ? [row.serialNumber] : [])))];
  const ids = new Set(rows.flatMap((row) => (row.entitlementId ? [row.entitlementId] : [])));
  if (serials.length > 0) {
    const bySerial = await rowsOf<{ id: string }>(
      tx,
      sql`select id from entitlements where account_id = ${accountId} and serial_number = any(${pgArray(serials)}::text[])`,
    );
    for (const row of bySerial) ids.add(row.id);
  }
  const found = new Map<string, LockedEntitlement>();
  if (ids.size === 0) return found;
  const locked = await rowsOf<LockedEntitlement>(
    tx,
    sql`select e.id, e.serial_number as serial, e.status, e.start_date::text as start, e.end_date::text as "end",
          e.node_id as "organizationId", o.name as organization, o.path, c.product_id as "productId",
          coalesce((select json_agg(json_build_object('from', s.stopped_on::text, 'to', s.reactivated_on::text) order by s.stopped_on)
                    from entitlement_stops s where s.entitlement_id = e.id), '[]'::json) as stops
        from entitlements e
        join flex_configurations c on c.id = e.configuration_id
        join nodes o on o.account_id = e.account_id and o.id = e.node_id
        where e.account_id = ${accountId} and e.id = any(${pgArray([...ids])}::uuid[])
        order by e.id
        for update of e for share of o`,
  );
  for (const entitlement of locked) {
    found.set(entitlement.id, entitlement);
    found.set(entitlement.serial, entitlement);
  }
  return found;
}

/** The nodes on the organizations' paths that have `flex` set and unexpired: a path with all of them has it in force. */
export async function nodesWithFlex(tx: Transaction, ctx: ServiceContext, accountId: string, entitlements: readonly LockedEntitlement[]): Promise<Set<string>> {
  const onPaths = new Set(entitlements.flatMap((entitlement) => pathIds(entitlement.path)));
  if (onPaths.size === 0) return new Set();
  const rows = await rowsOf<{ nodeId: string }>(
    tx,
    sql`select node_id as "nodeId" from node_capabilities
        where account_id = ${accountId} and capability = 'flex' and (expires_at is null or expires_at > ${ctx.authz.now})
          and node_id = any(${pgArray([...onPaths])}::uuid[])`,
  );
  return new Set(rows.map((row) => row.nodeId));
}

/** The archived nodes on the organizations' paths, by id with their names: usage is not recorded under them. */
export async function archivedOnPaths(tx: Transaction, accountId: string, entitlements: readonly LockedEntitlement[]): Promise<Map<string, string>> {
  const onPaths = new Set(entitlements.flatMap((entitlement) => pathIds(entitlement.path)));
  if (onPaths.size === 0) return new Map();
  const rows = await rowsOf<{ id: string; name: string }>(
    tx,
    sql`select id, name from nodes where account_id = ${accountId} and status = 'archived' and id = any(${pgArray([...onPaths])}::uuid[])`,
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

export function organizationRef(accountId: string, entitlement: LockedEntitlement, flexNodes: ReadonlySet<string>): NodeRef {
  const flex = pathIds(entitlement.path).every((id) => flexNodes.has(id));
  return { id: entitlement.organizationId, accountId, path: entitlement.path, capabilities: new Set<Capability>(flex ? ["flex"] : []) };
}

/** What writing the accepted rows would do: each row new, replacing other points, or repeating them. */
async function classifyUsage(tx: Transaction, accepted: readonly AcceptedRow[]) {
  const counts = { inserted: 0, replaced: 0, unchanged: 0 };
  const changed: AcceptedRow[] = [];
  const changes: UsageChange[] = [];
  if (accepted.length === 0) return { counts, changed, changes };
  const entitlementIds = pgArray(accepted.map((row) => row.entitlement.id));
  const days = pgArray(accepted.map((row) => row.day));
  const existing = await rowsOf<{ entitlementId: string; day: string; points: string }>(
    tx,
    sql`select u.entitlement_id as "entitlementId", u.day::text as day, u.points::text as points
        from unnest(${entitlementIds}::uuid[], ${days}::date[]) as k(entitlement_id, day)
        join usage_daily u on u.entitlement_id = k.entitlement_id and u.day = k.day`,
  );
  const before = new Map(existing.map((row) => [`${row.entitlementId}/${row.day}`, row.points]));
  for (const row of accepted) {
    const old = before.get(`${row.entitlement.id}/${row.day}`);
    if (old !== undefined && Number(old) === Number(row.points)) {
      counts.unchanged += 1;
      continue;
    }
    counts[old === undefined ? "inserted" : "replaced"] += 1;
    changed.push(row);
    changes.push({ organizationId: row.entitlement.organizationId, productId: row.entitlement.productId, day: row.day, newPoints: row.points, oldPoints: old ?? "0" });
  }
  return { counts, changed, changes };
}

/** The counts writing the accepted rows would give, writing nothing (a dry run). */
export async function countUsage(tx: Transaction, accepted: readonly AcceptedRow[]) {
  return (await classifyUsage(tx, accepted)).counts;
}

/** Upserts the accepted rows, moves the roll-ups by what changed and evaluates the budgets it touched. */
export async function writeUsage(tx: Transaction, ctx: ServiceContext, accountId: string, accepted: readonly AcceptedRow[]) {
  const { counts, changed, changes } = await classifyUsage(tx, accepted);
  if (changed.length === 0) return counts;
  await tx.execute(sql`
    insert into usage_daily (entitlement_id, day, account_id, node_id, points)
    select r.entitlement_id, r.day, ${accountId}, r.node_id, r.points
    from unnest(
      ${pgArray(changed.map((row) => row.entitlement.id))}::uuid[], ${pgArray(changed.map((row) => row.day))}::date[],
      ${pgArray(changed.map((row) => row.entitlement.organizationId))}::uuid[], ${pgArray(changed.map((row) => row.points))}::numeric[]
    ) as r(entitlement_id, day, node_id, points)
    on conflict (entitlement_id, day) do update set points = excluded.points`);
  await applyUsageChanges(tx, accountId, changes);
  const organizations = [...new Set(changed.map((row) => row.entitlement.path))];
  await evaluateBudgetAlerts(tx, ctx, {
    accountId,
    nodeIds: [...new Set(organizations.flatMap((path) => pathIds(path)))],
    months: [...new Set(changed.map((row) => monthOf(row.day)))],
  });
  return counts;
}

import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { consumptionDaily, consumptionMonthly, nodes } from "@/db/schema";
import { splitRange } from "./calendar";

// Sums over the roll-ups (never raw usage) shared by the dashboard, top consumers and the statement.

/**
 * SQL for (node_id, points) of the nodes of the account matching `nodeCondition` (a condition on
 * `nodes`; null for every node, which saves a join per row when the caller filters afterwards) over
 * the days [from, to]: whole months from the monthly roll-up, with the days to add or take off at
 * either end from the daily one (see splitRange). Points are exact numerics.
 */
export function pointsPerNode(accountId: string, nodeCondition: SQL | null, from: string, to: string): SQL {
  const parts = splitRange(from, to);
  const chosen = (column: typeof consumptionDaily.nodeId | typeof consumptionMonthly.nodeId) =>
    nodeCondition ? sql`and ${column} in (select ${nodes.id} from ${nodes} where ${nodes.accountId} = ${accountId} and ${nodeCondition})` : sql``;
  const pieces: SQL[] = [];
  if (parts.months) {
    pieces.push(sql`select ${consumptionMonthly.nodeId} as node_id, ${consumptionMonthly.points} as points from ${consumptionMonthly}
      where ${consumptionMonthly.accountId} = ${accountId} and ${consumptionMonthly.month} between ${parts.months.from} and ${parts.months.to}
        ${chosen(consumptionMonthly.nodeId)}`);
  }
  const daily = (range: { from: string; to: string }, sign: SQL) =>
    sql`select ${consumptionDaily.nodeId} as node_id, ${sign}${consumptionDaily.points} as points from ${consumptionDaily}
      where ${consumptionDaily.accountId} = ${accountId} and ${consumptionDaily.day} between ${range.from} and ${range.to}
        ${chosen(consumptionDaily.nodeId)}`;
  for (const range of parts.add) pieces.push(daily(range, sql``));
  for (const range of parts.subtract) pieces.push(daily(range, sql`-`));
  return sql`select node_id, sum(points) as points from (${sql.join(pieces, sql` union all `)}) as parts group by node_id`;
}

/**
 * SQL for (node_id, points, name, slug, parent_id) of the own consumption of the organizations that
 * match `shown` (a condition on `nodes`): an organization's roll-up holds its customers' too when it
 * is a reseller, so its customers' roll-ups (shown or not) are taken off. `sums` is `pointsPerNode`
 * over at least those organizations and every customer of a reseller among them. The nodes are
 * joined once, for the filter, the names and the parents alike.
 */
export function ownPoints(accountId: string, sums: SQL, shown: SQL): SQL {
  return sql`with sums as (${sums}),
    organizations as (
      select sums.node_id, sums.points, ${nodes.name} as name, ${nodes.slug} as slug, ${nodes.parentId} as parent_id, (${shown}) as shown
      from sums join ${nodes} on ${nodes.id} = sums.node_id and ${nodes.accountId} = ${accountId}
      where ${nodes.kind} = 'organization'
    ),
    customers as (select parent_id, sum(points) as points from organizations group by parent_id)
    select organizations.node_id, organizations.points - coalesce(customers.points, 0) as points,
      organizations.name, organizations.slug, organizations.parent_id
    from organizations left join customers on customers.parent_id = organizations.node_id
    where organizations.shown`;
}

/** Rows of a raw statement: drizzle's execute answers { rows } on both drivers. */
export async function rowsOf<T>(db: Database | Transaction, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A roll-up sum (numeric text) as a number for charts, kept to the roll-ups' 4 decimals. */
export function pointsNumber(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Math.round(Number(value) * 10_000) / 10_000;
}

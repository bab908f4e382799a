import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { consumptionDaily, consumptionMonthly, consumptionOwnToDate, nodes } from "@/db/schema";
import { addDays, splitRange } from "./calendar";

// Sums over the roll-ups (never raw usage) shared by the dashboard, top consumers and the statement.

/**
 * SQL for the points of one node over the days [from, to]: whole months from the monthly roll-up,
 * with the days to add or take off at either end from the daily one (see splitRange), each read by
 * the roll-ups' keys. Points are an exact numeric.
 */
export function nodePoints(accountId: string, nodeId: string, from: string, to: string): SQL {
  const parts = splitRange(from, to);
  const pieces: SQL[] = [];
  if (parts.months) {
    pieces.push(sql`select ${consumptionMonthly.points} as points from ${consumptionMonthly}
      where ${consumptionMonthly.accountId} = ${accountId} and ${consumptionMonthly.nodeId} = ${nodeId}
        and ${consumptionMonthly.month} between ${parts.months.from} and ${parts.months.to}`);
  }
  const daily = (range: { from: string; to: string }, sign: SQL) =>
    sql`select ${sign}${consumptionDaily.points} as points from ${consumptionDaily}
      where ${consumptionDaily.accountId} = ${accountId} and ${consumptionDaily.nodeId} = ${nodeId}
        and ${consumptionDaily.day} between ${range.from} and ${range.to}`;
  for (const range of parts.add) pieces.push(daily(range, sql``));
  for (const range of parts.subtract) pieces.push(daily(range, sql`-`));
  return sql`select sum(points) as points from (${sql.join(pieces, sql` union all `)}) as parts`;
}

/**
 * SQL for (node_id, name, slug, parent_id, path, points) of the account's organizations matching
 * `chosen` (a condition on `nodes`): each one's OWN points over the days [from, to] (a reseller's
 * customers count for themselves), as its points to date at `to` less those the day before `from`.
 * Each side is one range of the (account, day) index, an entry per organization, whatever the range;
 * a day past the frontier reads the frontier, an organization without a row that day has none yet.
 */
export function ownPoints(accountId: string, chosen: SQL, from: string, to: string): SQL {
  const frontier = sql`(select max(${consumptionOwnToDate.day}) from ${consumptionOwnToDate} where ${consumptionOwnToDate.accountId} = ${accountId})`;
  const toDate = (day: string) =>
    sql`select ${consumptionOwnToDate.organizationId} as organization_id, ${consumptionOwnToDate.pointsToDate} as points from ${consumptionOwnToDate}
      where ${consumptionOwnToDate.accountId} = ${accountId} and ${consumptionOwnToDate.day} = least(${day}::date, ${frontier})`;
  return sql`select ${nodes.id} as node_id, ${nodes.name} as name, ${nodes.slug} as slug, ${nodes.parentId} as parent_id, ${nodes.path} as path,
      coalesce(upto.points, 0) - coalesce(before.points, 0) as points
    from ${nodes}
    left join (${toDate(to)}) as upto on upto.organization_id = ${nodes.id}
    left join (${toDate(addDays(from, -1))}) as before on before.organization_id = ${nodes.id}
    where ${nodes.accountId} = ${accountId} and ${nodes.kind} = 'organization' and ${chosen}`;
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

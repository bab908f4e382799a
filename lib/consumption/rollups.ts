// Not "server-only": the demo seed (run by the CLI) and the benchmarks rebuild roll-ups too.
import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { pathIds } from "@/lib/authz/paths";
import { pgArray } from "./pg-array";

// The roll-ups: points per (node, day | month, product) for the owning organization and every
// ancestor, and each organization's own points to date (for ranking organizations over any range).
// Kept current in the transaction of each change (usage, a move); rebuilt from raw usage with
// set-based SQL when asked.
//
// Concurrency: ingests and moves hold the account's roll-up lock shared, a rebuild holds it alone.
// An ingest locks the organizations' node rows (FOR SHARE) and a move updates every node it moves,
// so a move and an ingest under it take turns, and each sees the paths the other left.

/** Takes the account's roll-up lock for the rest of the transaction: shared for incremental changes, exclusive for a rebuild. */
export async function lockRollups(tx: Database | Transaction, accountId: string, mode: "shared" | "exclusive"): Promise<void> {
  const key = sql`hashtextextended(${`arbor.rollups:${accountId}`}, 0)`;
  await tx.execute(mode === "shared" ? sql`select pg_advisory_xact_lock_shared(${key})` : sql`select pg_advisory_xact_lock(${key})`);
}

/** A day of an entitlement's usage that changed from `oldPoints` to `newPoints` (decimal texts). */
export interface UsageChange {
  organizationId: string;
  productId: string;
  day: string;
  newPoints: string;
  oldPoints: string;
}

/**
 * Adds the changes' differences to the daily and monthly roll-ups of each organization and every
 * ancestor (one upsert statement per table, in a fixed order so that concurrent ingests never
 * deadlock). The caller holds the roll-up lock shared and the organizations' node rows.
 */
export async function applyUsageChanges(tx: Transaction, accountId: string, changes: readonly UsageChange[]): Promise<void> {
  if (changes.length === 0) return;
  const deltas = sql`select a.node_id, c.day, c.product_id, c.new_points - c.old_points as delta
    from unnest(
      ${pgArray(changes.map((change) => change.organizationId))}::uuid[], ${pgArray(changes.map((change) => change.day))}::date[],
      ${pgArray(changes.map((change) => change.productId))}::uuid[], ${pgArray(changes.map((change) => change.newPoints))}::numeric[],
      ${pgArray(changes.map((change) => change.oldPoints))}::numeric[]
    ) as c(organization_id, day, product_id, new_points, old_points)
    join nodes o on o.account_id = ${accountId} and o.id = c.organization_id
    cross join lateral unnest(string_to_array(rtrim(o.path, '/'), '/')::uuid[]) as a(node_id)`;
  await tx.execute(sql`
    insert into consumption_daily (node_id, day, product_id, account_id, points)
    select node_id, day, product_id, ${accountId}, sum(delta) from (${deltas}) as d
    group by node_id, day, product_id order by node_id, day, product_id
    on conflict (node_id, day, product_id) do update set points = consumption_daily.points + excluded.points`);
  await tx.execute(sql`
    insert into consumption_monthly (node_id, month, product_id, account_id, points)
    select node_id, date_trunc('month', day)::date, product_id, ${accountId}, sum(delta) from (${deltas}) as d
    group by node_id, date_trunc('month', day), product_id order by 1, 2, 3
    on conflict (node_id, month, product_id) do update set points = consumption_monthly.points + excluded.points`);
  await applyOwnToDate(tx, accountId, changes);
}

/**
 * Adds the changes to the organizations' own points to date, keeping them dense (see the schema):
 * every organization's figure carried to a later day that the changes bring (the new frontier); a
 * changed organization's missing days from its change to the frontier at zero (before its first usage);
 * then each change added to every row of its organization on or after its day. The carried figures
 * are only right if no other ingest of the account changes them meanwhile, so the account's ingests
 * take turns here (until they commit).
 */
async function applyOwnToDate(tx: Transaction, accountId: string, changes: readonly UsageChange[]): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`arbor.own-to-date:${accountId}`}, 0))`);
  const deltas = sql`select c.organization_id, c.day, sum(c.new_points - c.old_points) as delta
    from unnest(
      ${pgArray(changes.map((change) => change.organizationId))}::uuid[], ${pgArray(changes.map((change) => change.day))}::date[],
      ${pgArray(changes.map((change) => change.newPoints))}::numeric[], ${pgArray(changes.map((change) => change.oldPoints))}::numeric[]
    ) as c(organization_id, day, new_points, old_points)
    group by c.organization_id, c.day having sum(c.new_points - c.old_points) <> 0`;
  const frontier = sql`(select max(day) from consumption_own_to_date where account_id = ${accountId})`;
  const latestChange = sql`(select max(day) from (${deltas}) as d)`;
  await tx.execute(sql`
    insert into consumption_own_to_date (organization_id, day, account_id, points_to_date)
    select t.organization_id, g.day::date, ${accountId}, t.points_to_date
    from consumption_own_to_date t
    cross join lateral generate_series(t.day + 1, ${latestChange}, interval '1 day') as g(day)
    where t.account_id = ${accountId} and t.day = ${frontier}
    order by 1, 2`);
  await tx.execute(sql`
    insert into consumption_own_to_date (organization_id, day, account_id, points_to_date)
    select c.organization_id, g.day::date, ${accountId}, 0
    from (select organization_id, min(day) as day from (${deltas}) as d group by organization_id) as c
    cross join lateral generate_series(c.day, greatest(${frontier}, ${latestChange}), interval '1 day') as g(day)
    order by 1, 2
    on conflict (organization_id, day) do nothing`);
  await tx.execute(sql`
    update consumption_own_to_date t set points_to_date = t.points_to_date + s.delta
    from (
      select r.organization_id, r.day, sum(d.delta) as delta
      from (${deltas}) as d
      join consumption_own_to_date r on r.organization_id = d.organization_id and r.day >= d.day
      group by r.organization_id, r.day
    ) as s
    where t.organization_id = s.organization_id and t.day = s.day`);
}

/**
 * Moves a node's roll-ups with it, in the move's transaction after its nodes are updated: the node's
 * own rows (its subtree's totals) are taken off the ancestors it leaves and added to those it joins;
 * ancestors on both paths, the node itself and its subtree do not change. Own points to date stay:
 * they are each organization's own, wherever it sits.
 */
export async function moveRollups(tx: Transaction, move: { accountId: string; nodeId: string; oldPath: string; newPath: string }): Promise<void> {
  const before = pathIds(move.oldPath).slice(0, -1);
  const after = pathIds(move.newPath).slice(0, -1);
  const left = before.filter((id) => !after.includes(id));
  const joined = after.filter((id) => !before.includes(id));
  if (left.length + joined.length === 0) return;
  await lockRollups(tx, move.accountId, "shared");
  const ancestors = pgArray([...left, ...joined]);
  const signs = pgArray([...left.map(() => -1), ...joined.map(() => 1)]);
  for (const [table, period] of [
    ["consumption_daily", "day"],
    ["consumption_monthly", "month"],
  ] as const) {
    await tx.execute(sql`
      insert into ${sql.identifier(table)} (node_id, ${sql.identifier(period)}, product_id, account_id, points)
      select a.node_id, r.${sql.identifier(period)}, r.product_id, r.account_id, r.points * a.sign
      from ${sql.identifier(table)} r cross join unnest(${ancestors}::uuid[], ${signs}::int[]) as a(node_id, sign)
      where r.node_id = ${move.nodeId} and r.account_id = ${move.accountId}
      order by 1, 2, 3
      on conflict (node_id, ${sql.identifier(period)}, product_id) do update set points = ${sql.identifier(table)}.points + excluded.points`);
  }
}

/**
 * Recomputes every roll-up of the account from raw usage with set-based SQL: usage summed per
 * organization, day and product, then counted for each node of the organization's path; the monthly
 * roll-up summed from the daily one; own points to date as running sums of each organization's days.
 * For the demo seed, benchmarks, and tests that compare it with the incremental maintenance.
 */
export async function rebuildRollups(db: Database | Transaction, accountId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockRollups(tx, accountId, "exclusive");
    // Room to sort and aggregate a year of an account's usage in memory: a third faster embedded.
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`delete from consumption_daily where account_id = ${accountId}`);
    await tx.execute(sql`delete from consumption_monthly where account_id = ${accountId}`);
    await tx.execute(sql`
      insert into consumption_daily (node_id, day, product_id, account_id, points)
      select a.node_id, u.day, u.product_id, ${accountId}, sum(u.points)
      from (
        select u.node_id as organization_id, u.day, c.product_id, sum(u.points) as points
        from usage_daily u
        join entitlements e on e.id = u.entitlement_id
        join flex_configurations c on c.id = e.configuration_id
        where u.account_id = ${accountId}
        group by u.node_id, u.day, c.product_id
      ) as u
      join nodes o on o.account_id = ${accountId} and o.id = u.organization_id
      cross join lateral unnest(string_to_array(rtrim(o.path, '/'), '/')::uuid[]) as a(node_id)
      group by a.node_id, u.day, u.product_id`);
    await tx.execute(sql`
      insert into consumption_monthly (node_id, month, product_id, account_id, points)
      select node_id, date_trunc('month', day)::date, product_id, ${accountId}, sum(points)
      from consumption_daily where account_id = ${accountId}
      group by node_id, date_trunc('month', day), product_id`);
    await rebuildOwnToDate(tx, accountId);
  });
}

/** Recomputes the account's own points to date from raw usage, dense to its latest day (the caller holds the roll-up lock alone). */
async function rebuildOwnToDate(tx: Database | Transaction, accountId: string): Promise<void> {
  await tx.execute(sql`delete from consumption_own_to_date where account_id = ${accountId}`);
  // Each day with usage carries its running sum to the day before the next one (or to the frontier).
  await tx.execute(sql`
    insert into consumption_own_to_date (organization_id, day, account_id, points_to_date)
    select r.node_id, g.day::date, ${accountId}, r.to_date
    from (
      select node_id, day, sum(points) over (partition by node_id order by day) as to_date,
        lead(day) over (partition by node_id order by day) as next_day, max(day) over () as frontier
      from (select node_id, day, sum(points) as points from usage_daily where account_id = ${accountId} group by node_id, day) as days
    ) as r
    cross join lateral generate_series(r.day, coalesce(r.next_day - 1, r.frontier), interval '1 day') as g(day)`);
}

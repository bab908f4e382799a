import { randomUUID } from "node:crypto";
import { isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes, principals, roleAssignments, roles } from "@/db/schema";
import { addDays } from "@/lib/consumption/calendar";
import { insertDefaultCatalog } from "@/lib/consumption/default-catalog";

// The benchmark's account, built with set-based SQL: a tree of regions and tiers over N organizations,
// the default catalog, three configurations and ten entitlements per organization, and a day of usage
// per entitlement for every day of the range.

export interface ConsumptionDataset {
  accountId: string;
  ownerId: string;
  /** A region: two tiers below it, a quarter of the organizations in its subtree. */
  regionId: string;
  /** A tier group with an eighth of the organizations as direct children. */
  tierId: string;
  organizationId: string;
  firstDay: string;
  lastDay: string;
}

export const REGIONS = 4;
export const TIERS_PER_REGION = 2;
export const CONFIGURATIONS_PER_ORG = 3;

const ident = (value: string) => sql.raw(`'${value}'`);

/** The account, its groups and organizations (every node with flex), and its owner. */
export async function seedTree(db: Database, organizations: number): Promise<Omit<ConsumptionDataset, "firstDay" | "lastDay">> {
  const accountId = randomUUID();
  const rows: (typeof nodes.$inferInsert)[] = [{ id: accountId, accountId, kind: "account", name: "Bench MSSP", slug: "bench", path: `${accountId}/`, depth: 0 }];
  const tiers: { id: string; path: string }[] = [];
  for (let r = 0; r < REGIONS; r++) {
    const regionId = randomUUID();
    const regionPath = `${accountId}/${regionId}/`;
    rows.push({ id: regionId, accountId, parentId: accountId, kind: "group", name: `Region ${r + 1}`, slug: `region-${r + 1}`, path: regionPath, depth: 1 });
    for (let t = 0; t < TIERS_PER_REGION; t++) {
      const tierId = randomUUID();
      tiers.push({ id: tierId, path: `${regionPath}${tierId}/` });
      rows.push({ id: tierId, accountId, parentId: regionId, kind: "group", name: `Tier ${r + 1}.${t + 1}`, slug: `tier-${r + 1}-${t + 1}`, path: `${regionPath}${tierId}/`, depth: 2 });
    }
  }
  await db.insert(nodes).values(rows);
  const tierIds = sql.raw(`array[${tiers.map((tier) => `'${tier.id}'`).join(",")}]::uuid[]`);
  const tierPaths = sql.raw(`array[${tiers.map((tier) => `'${tier.path}'`).join(",")}]::text[]`);
  await db.execute(sql`
    insert into nodes (id, account_id, parent_id, kind, name, slug, path, depth)
    select id, ${ident(accountId)}::uuid, (${tierIds})[t], 'organization', 'Customer ' || i, 'customer-' || i, (${tierPaths})[t] || id || '/', 3
    from (select gen_random_uuid() as id, i, 1 + (i - 1) % ${tiers.length} as t from generate_series(1, ${organizations}) as i) as o`);
  await db.execute(sql`insert into node_capabilities (account_id, node_id, capability) select account_id, id, 'flex' from nodes where account_id = ${accountId}`);

  const [owner] = await db
    .insert(principals)
    .values({ accountId, homeNodeId: accountId, kind: "user", email: "owner@bench.example", name: "Bench Owner", status: "active" })
    .returning({ id: principals.id });
  const [ownerRole] = await db.select({ id: roles.id }).from(roles).where(sql`${isNull(roles.accountId)} and ${roles.key} = 'owner'`);
  await db.insert(roleAssignments).values({ accountId, principalId: owner!.id, nodeId: accountId, roleId: ownerRole!.id });
  const [organization] = await db.execute(sql`select id::text from nodes where account_id = ${accountId} and slug = 'customer-1'`).then((result) => (result as unknown as { rows: { id: string }[] }).rows);
  return { accountId, ownerId: owner!.id, regionId: rows[1]!.id!, tierId: tiers[0]!.id, organizationId: organization!.id };
}

/** The default catalog, three configurations per organization (of three different products) and ten entitlements each. */
export async function seedEntitlements(db: Database, accountId: string, entitlementsPerOrg: number): Promise<void> {
  await insertDefaultCatalog(db, accountId);
  await db.execute(sql`
    insert into flex_configurations (account_id, node_id, product_id, name, parameters, points_per_day)
    select o.account_id, o.id, p.id, p.name || ' for ' || o.name, '{}'::jsonb, 2 + (abs(hashtext(o.id::text || p.key)) % 40) / 4.0
    from nodes o
    cross join lateral (
      select id, key, name from flex_products where account_id = o.account_id
      order by abs(hashtext(o.id::text || key)) limit ${CONFIGURATIONS_PER_ORG}
    ) as p
    where o.account_id = ${accountId} and o.kind = 'organization'`);
  // Serial numbers by organization and position, unique in the account; one in twenty stopped.
  await db.execute(sql`
    insert into entitlements (account_id, node_id, configuration_id, serial_number, status, start_date)
    select c.account_id, c.node_id, c.id, 'BENCH' || lpad(o.slug_number::text, 6, '0') || '-' || lpad(e::text, 3, '0'),
           (case when e % 20 = 0 then 'stopped' else 'active' end)::entitlement_status, date '2000-01-01'
    from (select id, substring(slug from 10)::int as slug_number from nodes where account_id = ${accountId} and kind = 'organization') as o
    cross join generate_series(1, ${entitlementsPerOrg}) as e
    join lateral (
      select id, account_id, node_id from flex_configurations where account_id = ${accountId} and node_id = o.id
      order by id offset (e - 1) % ${CONFIGURATIONS_PER_ORG} limit 1
    ) as c on true`);
}

/**
 * One usage row per entitlement per day of [firstDay, lastDay], loaded in chunks of days (the caller
 * has taken the table's indexes and foreign keys off). Points follow the configuration, growing over
 * the range, with day-to-day noise and a spike at one organization in fifty each month.
 */
export async function loadUsageChunk(db: Database, accountId: string, firstDay: string, from: string, to: string, totalDays: number): Promise<void> {
  await db.execute(sql`
    insert into usage_daily (entitlement_id, day, account_id, node_id, points)
    select e.id, d.day::date, e.account_id, e.node_id,
           round((c.points_per_day * (0.6 + 0.4 * (d.day::date - ${firstDay}::date) / ${totalDays})
             * (0.9 + 0.2 * random())
             * (case when abs(hashtext(e.node_id::text)) % 50 = extract(month from d.day)::int then 3 else 1 end))::numeric, 4)
    from entitlements e
    join flex_configurations c on c.id = e.configuration_id
    cross join generate_series(${from}::date, ${to}::date, interval '1 day') as d(day)
    where e.account_id = ${accountId}`);
}

/** [from, to] cut into chunks of `size` days. */
export function dayChunks(firstDay: string, lastDay: string, size: number): { from: string; to: string }[] {
  const chunks: { from: string; to: string }[] = [];
  for (let from = firstDay; from <= lastDay; from = addDays(from, size)) {
    const to = addDays(from, size - 1);
    chunks.push({ from, to: to < lastDay ? to : lastDay });
  }
  return chunks;
}

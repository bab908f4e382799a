import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { nodes, principals, roleAssignments, roles } from "@/db/schema";

export interface MembersDataset {
  accountId: string;
  groupId: string;
  ownerId: string;
  managerRoleId: string;
}

const FIRST = ["Ava", "Liam", "Sofia", "Noah", "Grace", "Ethan", "Emma", "Lucas", "Mei", "Oscar", "Priya", "Nora", "Hannah", "Mateo", "Chloe", "Arjun"];
const LAST = ["Thompson", "Carter", "Martins", "Becker", "Kim", "Brooks", "Schulz", "Oliveira", "Tanaka", "Lindqvist", "Nair", "Fabri", "Weber", "Silva"];

/**
 * One account with `groups` groups of `orgsPerGroup` organizations and `users` principals: one in a
 * hundred at the provider (a role on the account or a group), the rest customer users with a role on
 * their organization. Statuses, sources and sign-ins vary so that filters and sorts have work to do.
 */
export async function seedMembers(db: Database, options: { users: number; groups: number; orgsPerGroup: number }): Promise<MembersDataset> {
  const accountId = randomUUID();
  const rows: (typeof nodes.$inferInsert)[] = [
    { id: accountId, accountId, kind: "account", name: "Bench MSSP", slug: "bench", path: `${accountId}/`, depth: 0 },
  ];
  const groupIds: string[] = [];
  const orgIds: string[] = [];
  for (let g = 0; g < options.groups; g++) {
    const id = randomUUID();
    groupIds.push(id);
    rows.push({ id, accountId, parentId: accountId, kind: "group", name: `Group ${g}`, slug: `group-${g}`, path: `${accountId}/${id}/`, depth: 1 });
    for (let o = 0; o < options.orgsPerGroup; o++) {
      const org = randomUUID();
      orgIds.push(org);
      rows.push({ id: org, accountId, parentId: id, kind: "organization", name: `Customer ${g}-${o}`, slug: `customer-${g}-${o}`, path: `${accountId}/${id}/${org}/`, depth: 2 });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(nodes).values(rows.slice(i, i + 500));

  const builtin = await db.select({ id: roles.id, key: roles.key }).from(roles).where(isNull(roles.accountId));
  const roleId = (key: string) => builtin.find((role) => role.key === key)!.id;
  const provider = Math.max(1, Math.floor(options.users / 100));
  const homes = sql.raw(`array[${orgIds.map((id) => `'${id}'`).join(",")}]::uuid[]`);
  const scopes = sql.raw(`array[${[accountId, ...groupIds].map((id) => `'${id}'`).join(",")}]::uuid[]`);
  const first = sql.raw(`array[${FIRST.map((name) => `'${name}'`).join(",")}]`);
  const last = sql.raw(`array[${LAST.map((name) => `'${name}'`).join(",")}]`);
  await db.execute(sql`
    insert into principals (account_id, home_node_id, kind, email, name, status, last_sign_in_at)
    select ${accountId}::uuid,
           case when g <= ${provider} then ${accountId}::uuid else (${homes})[1 + g % ${orgIds.length}] end,
           'user', 'user' || g || '@bench' || (g % 997) || '.example',
           (${first})[1 + g % ${FIRST.length}] || ' ' || (${last})[1 + (g / ${FIRST.length}) % ${LAST.length}] || ' ' || g,
           (case when g % 50 = 0 then 'disabled' when g % 37 = 0 then 'invited' else 'active' end)::principal_status,
           case when g % 5 = 0 then null else now() - (g % 20000) * interval '1 minute' end
    from generate_series(1, ${options.users}) as g`);
  await db.execute(sql`
    insert into role_assignments (account_id, principal_id, node_id, role_id, source)
    select p.account_id, p.id,
           case when p.home_node_id = ${accountId}::uuid then (${scopes})[1 + abs(hashtext(p.id::text)) % ${groupIds.length + 1}] else p.home_node_id end,
           case when abs(hashtext(p.email)) % 4 = 0 then ${roleId("manager")}::uuid else ${roleId("viewer")}::uuid end,
           (case when abs(hashtext(p.email)) % 10 = 0 then 'invitation' when abs(hashtext(p.email)) % 17 = 0 then 'idp' else 'direct' end)::assignment_source
    from principals p where p.account_id = ${accountId}::uuid`);
  const [owner] = await db
    .insert(principals)
    .values({ accountId, homeNodeId: accountId, kind: "user", email: "owner@bench.example", name: "Bench Owner", status: "active" })
    .returning({ id: principals.id });
  await db.insert(roleAssignments).values({ accountId, principalId: owner!.id, nodeId: accountId, roleId: roleId("owner") });
  const [check] = await db.select({ n: sql<number>`count(*)::int` }).from(principals).where(and(eq(principals.accountId, accountId)));
  if ((check?.n ?? 0) !== options.users + 1) throw new Error(`seeded ${check?.n} principals, expected ${options.users + 1}`);
  return { accountId, groupId: groupIds[0]!, ownerId: owner!.id, managerRoleId: roleId("manager") };
}

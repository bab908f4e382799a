import { and, eq, isNull, sql } from "drizzle-orm";
import { DomainError } from "@/lib/errors";
import type { Database } from "../client";
import { auditEvents, nodes, principals, roles } from "../schema";

export interface ScaleOptions {
  organizations: number;
  users: number;
  /** Groups under the account that hold the organizations; by default one per hundred organizations. */
  groups?: number;
  /** The account's short name, also in every generated email address. */
  slug?: string;
  name?: string;
}

export interface ScaleReport {
  accountId: string;
  groups: number;
  organizations: number;
  users: number;
  assignments: number;
  /** The first user: an Owner on the account. */
  ownerId: string;
  firstGroupId: string;
  managerRoleId: string;
}

export const SCALE_LIMITS = { organizations: 1_000_000, users: 10_000_000, groups: 100_000 } as const;

const FIRST = ["Ava", "Liam", "Sofia", "Noah", "Grace", "Ethan", "Emma", "Lucas", "Mei", "Oscar", "Priya", "Nora", "Hannah", "Mateo", "Chloe", "Arjun"];
const LAST = ["Thompson", "Carter", "Martins", "Becker", "Kim", "Brooks", "Schulz", "Oliveira", "Tanaka", "Lindqvist", "Nair", "Fabri", "Weber", "Silva"];
const REGIONS = ["north", "south", "east", "west", "central"];

const textArray = (values: string[]) => sql.raw(`array[${values.map((value) => `'${value}'`).join(",")}]::text[]`);

/**
 * A generated provider for benchmarks: one account, `groups` groups, `organizations` customer
 * organizations spread over the groups (tagged region:… and tier:…), and `users` users. User 1 is an
 * Owner on the account; one in a hundred works at the provider with a role on the account or a group;
 * the rest are customer users with a role on their organization. Statuses, sources and sign-ins vary
 * so that filters and sorts have work to do. Nobody has a password: a user signs in only after an
 * invitation or reset link. Written with set-based statements (generate_series) in one transaction;
 * refused when the account already exists.
 */
export async function seedScale(db: Database, options: ScaleOptions, progress: (step: string) => void = () => undefined): Promise<ScaleReport> {
  const slug = options.slug ?? "scale";
  const name = options.name ?? "Scale MSSP";
  const organizations = options.organizations;
  const groups = options.groups ?? Math.max(1, Math.round(organizations / 100));
  checkCounts({ organizations, users: options.users, groups });
  const builtin = await db.select({ id: roles.id, key: roles.key }).from(roles).where(isNull(roles.accountId));
  const roleId = (key: string) => builtin.find((role) => role.key === key)?.id ?? fail(`the built-in role ${key} is missing; run migrate first`);

  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: nodes.id }).from(nodes).where(and(eq(nodes.kind, "account"), eq(nodes.slug, slug)));
    if (existing) {
      throw new DomainError("conflict", `The database already holds the generated account "${slug}"; seed a fresh database, or give another --slug.`);
    }
    const accountId = crypto.randomUUID();
    await tx.insert(nodes).values({ id: accountId, accountId, kind: "account", name, slug, path: `${accountId}/`, depth: 0 });
    await tx.execute(sql`
      insert into nodes (id, account_id, parent_id, kind, name, slug, path, depth)
      select id, ${accountId}::uuid, ${accountId}::uuid, 'group', 'Group ' || g, 'group-' || g, ${`${accountId}/`} || id || '/', 1
      from (select gen_random_uuid() as id, g from generate_series(1, ${groups}) as g) as numbered`);
    await tx.execute(sql`
      insert into nodes (id, account_id, parent_id, kind, name, slug, path, depth, tags)
      select o.id, ${accountId}::uuid, g.id, 'organization', 'Customer ' || lpad(o.i::text, 7, '0'), 'customer-' || o.i, g.path || o.id || '/', 2,
             array['region:' || (${textArray(REGIONS)})[1 + o.i % ${REGIONS.length}], case when o.i % 3 = 0 then 'tier:enterprise' else 'tier:smb' end]
      from (select gen_random_uuid() as id, i from generate_series(1, ${organizations}) as i) as o
      join nodes g on g.account_id = ${accountId}::uuid and g.kind = 'group' and g.slug = 'group-' || (1 + (o.i - 1) % ${groups})`);
    progress(`${groups + organizations + 1} nodes (1 account, ${plural(groups, "group")}, ${plural(organizations, "organization")})`);

    // Homes and scopes are numbered from 0 so that user g finds hers by a modulo.
    const provider = Math.max(1, Math.floor(options.users / 100));
    await tx.execute(sql`
      with orgs as (select id, (row_number() over (order by id) - 1)::int as n from nodes where account_id = ${accountId}::uuid and kind = 'organization')
      insert into principals (account_id, home_node_id, kind, email, name, status, last_sign_in_at)
      select ${accountId}::uuid, coalesce(o.id, ${accountId}::uuid), 'user',
             'user' || g || '@' || ${slug} || (g % 997) || '.example',
             (${textArray(FIRST)})[1 + g % ${FIRST.length}] || ' ' || (${textArray(LAST)})[1 + (g / ${FIRST.length}) % ${LAST.length}] || ' ' || g,
             (case when g = 1 then 'active' when g % 50 = 0 then 'disabled' when g % 37 = 0 then 'invited' else 'active' end)::principal_status,
             case when g % 5 = 0 then null else now() - (g % 20000) * interval '1 minute' end
      from generate_series(1, ${options.users}) as g
      left join orgs o on g > ${provider} and o.n = g % ${organizations}`);
    progress(plural(options.users, "user"));

    const owner = roleId("owner");
    await tx.execute(sql`
      with scopes as (select id, (row_number() over (order by path) - 1)::int as n from nodes where account_id = ${accountId}::uuid and kind <> 'organization')
      insert into role_assignments (account_id, principal_id, node_id, role_id, source)
      select p.account_id, p.id,
             case when p.home_node_id = ${accountId}::uuid then s.id else p.home_node_id end,
             case when p.email = ${`user1@${slug}1.example`} then ${owner}::uuid
                  when abs(hashtext(p.email)) % 4 = 0 then ${roleId("manager")}::uuid else ${roleId("viewer")}::uuid end,
             (case when p.email = ${`user1@${slug}1.example`} then 'direct'
                   when abs(hashtext(p.email)) % 10 = 0 then 'invitation' when abs(hashtext(p.email)) % 17 = 0 then 'idp' else 'direct' end)::assignment_source
      from principals p
      left join scopes s on s.n = case when p.email = ${`user1@${slug}1.example`} then 0 else abs(hashtext(p.id::text)) % ${groups + 1} end
      where p.account_id = ${accountId}::uuid`);
    progress(plural(options.users, "role assignment"));

    const report = { groups, organizations, users: options.users, assignments: options.users };
    await tx.insert(auditEvents).values({
      accountId,
      actingAs: "system:seed",
      nodeId: accountId,
      action: "scale.seed",
      targetType: "account",
      targetId: accountId,
      summary: { after: report },
    });
    const [first] = await tx.select({ id: principals.id }).from(principals).where(eq(principals.email, `user1@${slug}1.example`));
    const [firstGroup] = await tx.select({ id: nodes.id }).from(nodes).where(and(eq(nodes.accountId, accountId), eq(nodes.slug, "group-1")));
    return { accountId, ...report, ownerId: first!.id, firstGroupId: firstGroup!.id, managerRoleId: roleId("manager") };
  });
}

function checkCounts(counts: { organizations: number; users: number; groups: number }): void {
  for (const [what, value] of Object.entries(counts) as [keyof typeof SCALE_LIMITS, number][]) {
    if (!Number.isInteger(value) || value < 1 || value > SCALE_LIMITS[what]) {
      throw new DomainError("invalid", `--${what === "organizations" ? "orgs" : what} needs a whole number from 1 to ${SCALE_LIMITS[what].toLocaleString("en")}.`);
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function fail(message: string): never {
  throw new Error(message);
}

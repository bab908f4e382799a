import { and, eq, isNull, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { childPath } from "@/lib/authz/paths";
import type { Database, Transaction } from "../client";
import { auditEvents, localCredentials, nodeCapabilities, nodes, principals, roleAssignments, roles } from "../schema";
import type { Node } from "../schema";
import { syncBuiltinRoles } from "./builtin-roles";
import { seedDemoConsumption, type ConsumptionSeedReport } from "./demo-consumption";
import { ACCOUNT_CAPABILITIES, DEMO_ACCOUNT, HELPDESK_PROFILE, demoNodes, demoUsers } from "./demo-data";

export interface SeedReport {
  accountId: string;
  nodesCreated: number;
  usersCreated: number;
  assignmentsCreated: number;
  /** Present when the consumption demo was asked for. */
  consumption?: ConsumptionSeedReport;
}

/**
 * Creates the Northwind demo provider; running it again adds only what is missing. With
 * `consumption`, also its program, catalog, entitlements, 13 months of usage and budgets (what the
 * portal's demo shows; most tests do without).
 */
export async function seedDemo(db: Database, options: { password: string; consumption?: boolean; now?: Date }): Promise<SeedReport> {
  await syncBuiltinRoles(db);
  const users = demoUsers();

  return db.transaction(async (tx) => {
    const report = { nodesCreated: 0, usersCreated: 0, assignmentsCreated: 0 };
    const account = await ensureAccount(tx, report);
    const bySlug = new Map<string, Node>([[account.slug, account]]);

    await ensureCapabilities(tx, account, ACCOUNT_CAPABILITIES);
    for (const spec of demoNodes()) {
      const parent = bySlug.get(spec.parent);
      if (!parent) throw new Error(`demo data lists ${spec.slug} before its parent ${spec.parent}`);
      const node = await ensureChildNode(tx, parent, spec, report);
      bySlug.set(node.slug, node);
      await ensureCapabilities(tx, node, spec.capabilities);
    }

    const roleIds = await roleIdsByKey(tx, account.id);
    for (const user of users) {
      const home = bySlug.get(user.home);
      const scope = bySlug.get(user.on);
      const roleId = roleIds.get(user.role);
      if (!home || !scope || !roleId) throw new Error(`demo user ${user.email} refers to unknown data`);
      const principalId = await ensureUser(tx, account.id, home.id, user, options.password, report);
      const inserted = await tx
        .insert(roleAssignments)
        .values({ accountId: account.id, principalId, nodeId: scope.id, roleId, source: "direct" })
        .onConflictDoNothing()
        .returning({ id: roleAssignments.id });
      report.assignmentsCreated += inserted.length;
    }

    if (report.nodesCreated + report.usersCreated + report.assignmentsCreated > 0) {
      await tx.insert(auditEvents).values({
        accountId: account.id,
        actingAs: "system:seed",
        nodeId: account.id,
        action: "demo.seed",
        targetType: "account",
        targetId: account.id,
        summary: { after: report },
      });
    }
    if (!options.consumption) return { accountId: account.id, ...report };
    const organizations = [...bySlug.values()].filter((node) => node.kind === "organization");
    const consumption = await seedDemoConsumption(tx, account, organizations, options.now ?? new Date());
    return { accountId: account.id, ...report, consumption };
  });
}

async function ensureAccount(tx: Transaction, report: { nodesCreated: number }): Promise<Node> {
  const [existing] = await tx
    .select()
    .from(nodes)
    .where(and(eq(nodes.kind, "account"), eq(nodes.slug, DEMO_ACCOUNT.slug)));
  if (existing) return existing;
  const id = crypto.randomUUID();
  const [created] = await tx
    .insert(nodes)
    .values({ id, accountId: id, kind: "account", name: DEMO_ACCOUNT.name, slug: DEMO_ACCOUNT.slug, path: childPath(null, id), depth: 0 })
    .returning();
  report.nodesCreated += 1;
  await tx.insert(roles).values({ accountId: id, ...HELPDESK_PROFILE, permissions: [...HELPDESK_PROFILE.permissions] });
  return created!;
}

async function ensureChildNode(
  tx: Transaction,
  parent: Node,
  spec: { slug: string; name: string; kind: "group" | "organization"; tags: string[] },
  report: { nodesCreated: number },
): Promise<Node> {
  const id = crypto.randomUUID();
  const [created] = await tx
    .insert(nodes)
    .values({
      id,
      accountId: parent.accountId,
      parentId: parent.id,
      kind: spec.kind,
      name: spec.name,
      slug: spec.slug,
      path: childPath(parent.path, id),
      depth: parent.depth + 1,
      tags: spec.tags,
    })
    .onConflictDoNothing()
    .returning();
  if (created) {
    report.nodesCreated += 1;
    return created;
  }
  const [existing] = await tx
    .select()
    .from(nodes)
    .where(and(eq(nodes.accountId, parent.accountId), eq(nodes.slug, spec.slug)));
  return existing!;
}

async function ensureCapabilities(tx: Transaction, node: Node, capabilities: readonly (typeof ACCOUNT_CAPABILITIES)[number][]) {
  if (capabilities.length === 0) return;
  await tx
    .insert(nodeCapabilities)
    .values(capabilities.map((capability) => ({ accountId: node.accountId, nodeId: node.id, capability })))
    .onConflictDoNothing();
}

async function roleIdsByKey(tx: Transaction, accountId: string): Promise<Map<string, string>> {
  const rows = await tx
    .select({ id: roles.id, key: roles.key, builtin: roles.builtin })
    .from(roles)
    .where(sql`${roles.accountId} = ${accountId} or ${isNull(roles.accountId)}`);
  // Built-in roles last, so that their keys always name them.
  rows.sort((a, b) => Number(a.builtin) - Number(b.builtin));
  return new Map(rows.map((row) => [row.key, row.id]));
}

async function ensureUser(
  tx: Transaction,
  accountId: string,
  homeNodeId: string,
  user: { email: string; name: string; status: "active" | "invited" | "disabled" },
  password: string,
  report: { usersCreated: number },
): Promise<string> {
  const [created] = await tx
    .insert(principals)
    .values({ accountId, homeNodeId, kind: "user", email: user.email, name: user.name, status: user.status })
    .onConflictDoNothing()
    .returning({ id: principals.id });
  if (!created) {
    const [existing] = await tx
      .select({ id: principals.id, accountId: principals.accountId })
      .from(principals)
      .where(sql`lower(${principals.email}) = lower(${user.email})`);
    // A principal never holds anything in another account (SPEC §3): refuse rather than cross over.
    if (existing!.accountId !== accountId) throw new Error(`${user.email} already belongs to another account`);
    return existing!.id;
  }
  report.usersCreated += 1;
  // An invited user has not chosen a password yet.
  if (user.status !== "invited") {
    await tx.insert(localCredentials).values({ principalId: created.id, accountId, passwordHash: await hashPassword(password) });
  }
  return created.id;
}

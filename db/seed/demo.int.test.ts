import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { auditEvents, localCredentials, nodeCapabilities, nodes, principals, roleAssignments, roles, type Node } from "@/db/schema";
import { createTestDatabase } from "@/db/testing";
import { passwordStep } from "@/lib/auth/sign-in";
import { hashPassword } from "@/lib/auth/password";
import { seedDemo, type SeedReport } from "./demo";

const PASSWORD = "correct-horse-battery-staple";

let connection: DatabaseConnection;
let db: Database;
let firstReport: SeedReport;
let account: Node;
let allNodes: Node[];

async function rowCounts(): Promise<Record<string, number>> {
  const tables = { nodes, principals, localCredentials, roles, roleAssignments, nodeCapabilities, auditEvents };
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ value: count() }).from(table);
    result[name] = row!.value;
  }
  return result;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  firstReport = await seedDemo(db, { password: PASSWORD });
  allNodes = await db.select().from(nodes);
  const accounts = allNodes.filter((node) => node.kind === "account");
  expect(accounts).toHaveLength(1);
  account = accounts[0]!;
});

afterAll(async () => {
  await connection?.close();
});

describe("seedDemo", () => {
  it("creates the Northwind MSSP account", () => {
    expect(account.name).toBe("Northwind MSSP");
    expect(account.slug).toBe("northwind");
    expect(account.parentId).toBeNull();
    expect(account.accountId).toBe(account.id);
    expect(firstReport.accountId).toBe(account.id);
  });

  it("reports what it created", async () => {
    const counts = await rowCounts();
    expect(firstReport.nodesCreated).toBe(counts.nodes);
    expect(firstReport.usersCreated).toBe(counts.principals);
    expect(firstReport.assignmentsCreated).toBe(counts.roleAssignments);
  });

  it("nests groups at least three deep: Regions > EMEA > Enterprise", () => {
    const regions = allNodes.find((node) => node.kind === "group" && node.name === "Regions" && node.parentId === account.id);
    expect(regions).toBeDefined();
    const emea = allNodes.find((node) => node.kind === "group" && node.name === "EMEA" && node.parentId === regions!.id);
    expect(emea).toBeDefined();
    const enterprise = allNodes.find((node) => node.kind === "group" && node.name === "Enterprise" && node.parentId === emea!.id);
    expect(enterprise).toBeDefined();
    expect(allNodes.filter((node) => node.kind === "organization" && node.parentId === enterprise!.id).length).toBeGreaterThan(0);
  });

  it("creates at least 40 organizations", () => {
    expect(allNodes.filter((node) => node.kind === "organization").length).toBeGreaterThanOrEqual(40);
  });

  it("gives exactly one organization the reseller capability, with three child organizations", async () => {
    const resellers = await db
      .select({ id: nodes.id })
      .from(nodeCapabilities)
      .innerJoin(nodes, eq(nodes.id, nodeCapabilities.nodeId))
      .where(and(eq(nodeCapabilities.capability, "reseller"), eq(nodes.kind, "organization")));
    expect(resellers).toHaveLength(1);
    const children = allNodes.filter((node) => node.parentId === resellers[0]!.id);
    expect(children).toHaveLength(3);
    for (const child of children) expect(child.kind).toBe("organization");
  });

  it("gives only reseller organizations child nodes", async () => {
    const resellerIds = new Set(
      (await db.select({ nodeId: nodeCapabilities.nodeId }).from(nodeCapabilities).where(eq(nodeCapabilities.capability, "reseller"))).map(
        (row) => row.nodeId,
      ),
    );
    const kindById = new Map(allNodes.map((node) => [node.id, node.kind]));
    for (const node of allNodes) {
      if (node.parentId && kindById.get(node.parentId) === "organization") {
        expect(resellerIds.has(node.parentId), node.slug).toBe(true);
        expect(resellerIds.has(node.id), `${node.slug} is a reseller below a reseller`).toBe(false);
      }
    }
  });

  it("creates at least 30 users, exactly one of them disabled", async () => {
    const users = await db.select().from(principals).where(eq(principals.kind, "user"));
    expect(users.length).toBeGreaterThanOrEqual(30);
    expect(users.filter((user) => user.status === "disabled")).toHaveLength(1);
  });

  it("defines one custom role on the account", async () => {
    const custom = await db.select().from(roles).where(eq(roles.builtin, false));
    expect(custom).toHaveLength(1);
    expect(custom[0]!.accountId).toBe(account.id);
    expect(custom[0]!.permissions.length).toBeGreaterThan(0);
  });

  it("keeps the account id on every row of tenant data", async () => {
    for (const node of allNodes) expect(node.accountId, node.slug).toBe(account.id);
    for (const row of await db.select({ accountId: principals.accountId }).from(principals)) expect(row.accountId).toBe(account.id);
    for (const row of await db.select({ accountId: roleAssignments.accountId }).from(roleAssignments)) expect(row.accountId).toBe(account.id);
    for (const row of await db.select({ accountId: nodeCapabilities.accountId }).from(nodeCapabilities)) expect(row.accountId).toBe(account.id);
    for (const row of await db.select({ accountId: localCredentials.accountId }).from(localCredentials)) expect(row.accountId).toBe(account.id);
  });

  it("keeps each node's path and depth consistent with its parent", () => {
    const byId = new Map(allNodes.map((node) => [node.id, node]));
    expect(account.path).toBe(`${account.id}/`);
    expect(account.depth).toBe(0);
    for (const node of allNodes) {
      if (!node.parentId) continue;
      const parent = byId.get(node.parentId);
      expect(parent, node.slug).toBeDefined();
      expect(node.path, node.slug).toBe(`${parent!.path}${node.id}/`);
      expect(node.depth, node.slug).toBe(parent!.depth + 1);
    }
  });

  it("creates nothing when run a second time", async () => {
    const before = await rowCounts();
    const second = await seedDemo(db, { password: "another-password-entirely" });
    expect(second).toEqual({ accountId: account.id, nodesCreated: 0, usersCreated: 0, assignmentsCreated: 0 });
    expect(await rowCounts()).toEqual(before);
    // The second run does not reset passwords either.
    expect(await verifyCredentials(db, "ava.thompson@northwind.example", PASSWORD)).not.toBeNull();
  });
});

describe("seeded credentials", () => {
  it("verifies every active user with the demo password", async () => {
    const active = await db
      .select({ id: principals.id, email: principals.email })
      .from(principals)
      .where(and(eq(principals.kind, "user"), eq(principals.status, "active")));
    expect(active.length).toBeGreaterThanOrEqual(30);
    for (const user of active) {
      expect(await verifyCredentials(db, user.email!, PASSWORD), user.email!).toEqual({ id: user.id });
    }
  });

  it("matches the email case-insensitively", async () => {
    const [ava] = await db.select({ id: principals.id }).from(principals).where(eq(principals.email, "ava.thompson@northwind.example"));
    expect(ava).toBeDefined();
    expect(await verifyCredentials(db, "Ava.Thompson@NORTHWIND.example", PASSWORD)).toEqual({ id: ava!.id });
  });

  it("refuses a wrong password", async () => {
    expect(await verifyCredentials(db, "ava.thompson@northwind.example", `${PASSWORD}x`)).toBeNull();
  });

  it("refuses an unknown email", async () => {
    expect(await verifyCredentials(db, "nobody@northwind.example", PASSWORD)).toBeNull();
  });

  it("refuses the disabled user with the right password", async () => {
    const [disabled] = await db.select({ email: principals.email }).from(principals).where(eq(principals.status, "disabled"));
    expect(disabled?.email).toBeTruthy();
    const [credential] = await db
      .select({ count: count() })
      .from(localCredentials)
      .innerJoin(principals, eq(principals.id, localCredentials.principalId))
      .where(eq(principals.status, "disabled"));
    expect(credential!.count).toBe(1);
    expect(await verifyCredentials(db, disabled!.email!, PASSWORD)).toBeNull();
  });

  it("refuses the invited user", async () => {
    const invited = await db.select({ email: principals.email }).from(principals).where(eq(principals.status, "invited"));
    expect(invited.length).toBeGreaterThan(0);
    for (const user of invited) expect(await verifyCredentials(db, user.email!, PASSWORD)).toBeNull();
  });

  it("refuses an invited user even when a password is on file", async () => {
    const [invited] = await db
      .select({ id: principals.id, accountId: principals.accountId, email: principals.email })
      .from(principals)
      .where(eq(principals.status, "invited"));
    await db
      .insert(localCredentials)
      .values({ principalId: invited!.id, accountId: invited!.accountId, passwordHash: await hashPassword(PASSWORD) });
    expect(await verifyCredentials(db, invited!.email!, PASSWORD)).toBeNull();
  });

  it("records no sign-in time after the password step alone", async () => {
    const lastSignIn = async (email: string) =>
      (await db.select({ at: principals.lastSignInAt }).from(principals).where(sql`lower(${principals.email}) = ${email}`))[0]!.at;
    expect(await verifyCredentials(db, "oscar.lindqvist@northwind.example", PASSWORD)).toBeNull();
    expect(await lastSignIn("oscar.lindqvist@northwind.example")).toBeNull();
    expect(await verifyCredentials(db, "grace.kim@northwind.example", PASSWORD)).not.toBeNull();
    expect(await lastSignIn("grace.kim@northwind.example")).toBeNull();
  });
});

/** The password step of sign-in, reduced to "whose password is this": the principal, or null. */
async function verifyCredentials(db: Database, email: string, password: string): Promise<{ id: string } | null> {
  const result = await passwordStep(db, { email, password }, { address: "198.51.100.1", userAgent: "vitest" }, new Date());
  return result.ok ? { id: result.principalId } : null;
}

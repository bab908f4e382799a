import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { auditEvents, localCredentials, nodes, principals, roleAssignments, roles } from "@/db/schema";
import type { ScaleReport } from "@/db/seed/scale";
import { createTestDatabase } from "@/db/testing";
import { passwordStep } from "@/lib/auth/sign-in";
import { can } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode } from "@/lib/authz/queries";
import { listMembers } from "@/lib/members/list";
import { seedScaleCommand } from "./seed-scale";
import { runCli } from "./testing/run-cli";

let connection: DatabaseConnection;
let report: ScaleReport;
const lines: string[] = [];

beforeAll(async () => {
  connection = await createTestDatabase();
  report = await seedScaleCommand(connection, { orgs: "30", users: "700", groups: "4" }, (line) => lines.push(line));
});
afterAll(async () => connection?.close());

const count = async (table: typeof nodes | typeof principals | typeof roleAssignments, where = sql`true`) =>
  (await connection.db.select({ n: sql<number>`count(*)::int` }).from(table).where(where))[0]!.n;

describe("seed --scale", () => {
  it("writes the counts asked for, and says so step by step", async () => {
    const { accountId } = report;
    expect(report).toMatchObject({ groups: 4, organizations: 30, users: 700, assignments: 700 });
    expect(await count(nodes, eq(nodes.accountId, accountId))).toBe(1 + 4 + 30);
    expect(await count(principals, eq(principals.accountId, accountId))).toBe(700);
    expect(await count(roleAssignments, eq(roleAssignments.accountId, accountId))).toBe(700);
    expect(lines[0]).toMatch(/^Generating 30 organizations and 700 users/);
    expect(lines.some((line) => /35 nodes .* \(\d+\.\d s\)$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Done in \d+\.\d s\. Account [\w-]+: groups 4, organizations 30, users 700, role assignments 700\./);
    const [event] = await connection.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.action, "scale.seed")));
    expect(event?.summary).toEqual({ after: { groups: 4, organizations: 30, users: 700, assignments: 700 } });
  });

  it("builds groups of organizations under the account, every path and depth consistent, organizations spread evenly", async () => {
    const rows = await connection.db.select().from(nodes).where(eq(nodes.accountId, report.accountId));
    const byId = new Map(rows.map((row) => [row.id, row]));
    const perGroup = new Map<string, number>();
    for (const row of rows) {
      if (row.kind === "account") {
        expect(row).toMatchObject({ id: report.accountId, path: `${row.id}/`, depth: 0 });
        continue;
      }
      const parent = byId.get(row.parentId!)!;
      expect(parent.kind).toBe(row.kind === "group" ? "account" : "group");
      expect(row.path).toBe(`${parent.path}${row.id}/`);
      expect(row.depth).toBe(parent.depth + 1);
      if (row.kind === "organization") {
        perGroup.set(parent.id, (perGroup.get(parent.id) ?? 0) + 1);
        expect(row.tags).toEqual([expect.stringMatching(/^region:/), expect.stringMatching(/^tier:/)]);
      }
    }
    expect([...perGroup.values()].sort()).toEqual([7, 7, 8, 8]);
  });

  it("gives every user one role: the first an Owner on the account, staff on the account or a group, customers on their organization", async () => {
    const rows = await connection.db
      .select({ principalId: principals.id, home: principals.homeNodeId, node: roleAssignments.nodeId, kind: nodes.kind, role: roles.key, status: principals.status })
      .from(principals)
      .innerJoin(roleAssignments, eq(roleAssignments.principalId, principals.id))
      .innerJoin(nodes, eq(nodes.id, roleAssignments.nodeId))
      .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
      .where(eq(principals.accountId, report.accountId));
    expect(new Set(rows.map((row) => row.principalId)).size).toBe(700);
    const owner = rows.find((row) => row.principalId === report.ownerId)!;
    expect(owner).toMatchObject({ home: report.accountId, node: report.accountId, role: "owner", status: "active" });
    const staff = rows.filter((row) => row.home === report.accountId);
    expect(staff).toHaveLength(7);
    expect(staff.every((row) => row.kind !== "organization")).toBe(true);
    const customers = rows.filter((row) => row.home !== report.accountId);
    expect(customers.every((row) => row.node === row.home && row.kind === "organization" && row.role !== "owner")).toBe(true);
    expect(new Set(customers.map((row) => row.home)).size).toBe(30);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(["active", "invited", "disabled"]));
  });

  it("makes an owner who sees the whole tree and a members list to page through", async () => {
    const authz = (await loadAuthContext(connection.db, report.ownerId))!;
    const account = (await loadTreeNode(connection.db, report.accountId, { id: report.accountId }))!;
    expect(can(authz, "member.manage", account)).toBe(true);
    const group = await listMembers({ db: connection.db, authz }, { nodeId: report.firstGroupId, pageSize: 25 });
    expect(group.total).toBeGreaterThan(100);
  });

  it("lets nobody sign in with a password: none was set, so only an invitation or reset link lets them in", async () => {
    expect((await connection.db.select().from(localCredentials).where(eq(localCredentials.accountId, report.accountId))).length).toBe(0);
    const [user] = await connection.db.select({ email: principals.email }).from(principals).where(eq(principals.id, report.ownerId));
    for (const password of ["", "northwind-demo-2026", user!.email!]) {
      const step = await passwordStep(connection.db, { email: user!.email!, password }, { address: "198.51.100.9", userAgent: "vitest" }, new Date());
      expect(step).toMatchObject({ ok: false, reason: "invalid" });
    }
  });

  it("refuses to run twice, and refuses counts out of range, writing nothing", async () => {
    const before = [await count(nodes), await count(principals), await count(roleAssignments)];
    await expect(seedScaleCommand(connection, { orgs: "30", users: "700" }, () => undefined)).rejects.toMatchObject({ code: "conflict" });
    for (const args of [{ orgs: "0", users: "5" }, { orgs: "3", users: "ten" }, { orgs: "3", users: "5", groups: "-1" }, { orgs: "3" }]) {
      await expect(seedScaleCommand(connection, args, () => undefined)).rejects.toMatchObject({ code: "invalid" });
    }
    expect([await count(nodes), await count(principals), await count(roleAssignments)]).toEqual(before);
  });
});

describe("npm run arbor -- seed --scale", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "arbor-scale-"));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it("prints its progress and a summary, then refuses clearly when run again", async () => {
    const first = await runCli(["seed", "--scale", "--orgs", "12", "--users", "40"], dataDir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("14 nodes (1 account, 1 group, 12 organizations)");
    expect(first.stdout).toMatch(/Done in .*groups 1, organizations 12, users 40, role assignments 40\./);
    const again = await runCli(["seed", "--scale", "--orgs", "12", "--users", "40"], dataDir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('arbor: The database already holds the generated account "scale"');
    const usage = await runCli(["seed", "--scale", "--orgs", "12"], dataDir);
    expect([usage.status, usage.stderr.trim()]).toEqual([1, "arbor: seed --scale needs --orgs <n> and --users <n>."]);
  }, 240_000);
});

import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { auditEvents, principals, roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { assignRole, changeAssignment, revokeAssignment } from "@/lib/access/service";
import { assignmentId, builtinRoleId, contextFor, nodeId, principalId, writeCounts } from "@/lib/access/test-support";
import { findLiveSession, openSession } from "@/lib/auth/sessions";
import { DomainError } from "@/lib/errors";
import { disableMembers, removeAccess } from "./bulk";

let connection: DatabaseConnection;
const db = () => connection.db;

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const AMERICAS_ADMIN = "lucas.oliveira@northwind.example";
const RESELLER_OWNER = "nora.fabri@fabrikam-partners.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const CUSTOMER_MANAGER = "rafael.costa@adler-logistik.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

const ids = (emails: string[]) => Promise.all(emails.map((email) => principalId(db(), email)));

/** Everything a bulk action could write besides its denials: assignments, statuses, session versions, change events. */
async function snapshot() {
  const counts = await writeCounts(db());
  const [people] = await db()
    .select({ v: sql<string>`md5(string_agg(${principals.id}::text || ${principals.status} || ${principals.sessionVersion}, ',' order by ${principals.id}))` })
    .from(principals);
  return { ...counts, people: people!.v };
}

/** Runs a refused call: it fails with `code`, writes nothing, and records one denial per refused principal. */
async function expectRefused(call: () => Promise<unknown>, code: string, deniedRows: number) {
  const before = await snapshot();
  const error = await call().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  const after = await snapshot();
  expect({ ...after, denials: before.denials }).toEqual(before);
  expect(after.denials).toBe(before.denials + deniedRows);
  return error as DomainError;
}

describe("disableMembers", () => {
  it("disables the selected users at once: their sessions end and each change is audited", async () => {
    const owner = await contextFor(db(), OWNER);
    const targets = await ids(["mateo.silva@baltic-freight-lines.example", "sienna.rossi@baltic-freight-lines.example"]);
    const [mateo] = await db().select().from(principals).where(eq(principals.id, targets[0]!));
    const session = await openSession(db(), mateo!, "complete", { address: "192.0.2.1", userAgent: "vitest" }, new Date());
    const result = await disableMembers(owner, { nodeId: await nodeId(db(), "baltic-freight-lines"), principalIds: targets });
    expect(result).toEqual({ disabled: 2 });
    const rows = await db().select({ status: principals.status }).from(principals).where(inArray(principals.id, targets));
    expect(rows.map((row) => row.status)).toEqual(["disabled", "disabled"]);
    expect(await findLiveSession(db(), session, mateo!.id, new Date())).toBeNull();
    const events = await db().select().from(auditEvents).where(eq(auditEvents.action, "member.disable"));
    expect(events.map((event) => event.targetId).sort()).toEqual([...targets].sort());
  });

  it("refuses a principal without member.manage on the node, writing nothing", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    await expectRefused(async () => disableMembers(viewer, { nodeId: await nodeId(db(), "adler-logistik"), principalIds: await ids([CUSTOMER_MANAGER]) }), "forbidden", 1);
  });

  it("refuses the whole batch when one user lives where the actor may not manage, naming that user", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const [viewer, outsider] = await ids([CUSTOMER_VIEWER, AMERICAS_ADMIN]);
    const error = await expectRefused(async () => disableMembers(admin, { nodeId: await nodeId(db(), "emea"), principalIds: [viewer!, outsider!] }), "forbidden", 1);
    expect(Object.keys(error.details.fieldErrors!)).toEqual([outsider]);
    expect(error.details.fieldErrors![outsider!]![0]).toMatch(/Northwind MSSP/);
  });

  it("refuses to disable someone who outranks the actor (rule 4)", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const manager = await principalId(db(), CUSTOMER_MANAGER);
    await db()
      .update(roleAssignments)
      .set({ roleId: await builtinRoleId(db(), "owner") })
      .where(eq(roleAssignments.id, await assignmentId(db(), CUSTOMER_MANAGER, "adler-logistik")));
    const error = await expectRefused(async () => disableMembers(admin, { nodeId: await nodeId(db(), "adler-logistik"), principalIds: [manager] }), "forbidden", 1);
    expect(error.details.fieldErrors![manager]![0]).toMatch(/holds more than you/);
  });

  it("refuses to disable the last active direct Owner of a reseller (rule 6), and oneself", async () => {
    const owner = await contextFor(db(), OWNER);
    const nora = await principalId(db(), RESELLER_OWNER);
    const error = await expectRefused(async () => disableMembers(owner, { nodeId: await nodeId(db(), "fabrikam-partners"), principalIds: [nora] }), "forbidden", 1);
    expect(error.details.fieldErrors![nora]![0]).toMatch(/no active, direct, human Owner/);
    const self = await expectRefused(async () => disableMembers(owner, { nodeId: owner.authz.principal.accountId, principalIds: [owner.authz.principal.id] }), "forbidden", 1);
    expect(self.details.fieldErrors![owner.authz.principal.id]![0]).toMatch(/yourself/);
  });
});

describe("removeAccess", () => {
  it("removes the selected principals' roles on the node, each audited as a revocation", async () => {
    const owner = await contextFor(db(), OWNER);
    const targets = await ids(["chloe.dubois@castellane-assurances.example", "jonas.berg@castellane-assurances.example"]);
    const result = await removeAccess(owner, { nodeId: await nodeId(db(), "castellane-assurances"), principalIds: targets });
    expect(result).toEqual({ removed: 2 });
    const left = await db().select().from(roleAssignments).where(inArray(roleAssignments.principalId, targets));
    expect(left).toEqual([]);
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "role.revoke"), inArray(auditEvents.targetId, targets)));
    expect(events).toHaveLength(2);
  });

  it("refuses a principal without role.assign on the node, writing nothing", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    await expectRefused(async () => removeAccess(viewer, { nodeId: await nodeId(db(), "adler-logistik"), principalIds: await ids([CUSTOMER_MANAGER]) }), "forbidden", 1);
  });

  it("removes nothing when one of the selection outranks the actor (rule 4), and says which", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const [viewer, manager] = await ids([CUSTOMER_VIEWER, CUSTOMER_MANAGER]);
    const error = await expectRefused(async () => removeAccess(admin, { nodeId: await nodeId(db(), "adler-logistik"), principalIds: [viewer!, manager!] }), "forbidden", 1);
    expect(Object.keys(error.details.fieldErrors!)).toEqual([manager]);
  });

  it("refuses removing the last Owner of a reseller (rule 6) and an access that is only inherited", async () => {
    const owner = await contextFor(db(), OWNER);
    const [nora, emma] = await ids([RESELLER_OWNER, EMEA_ADMIN]);
    const last = await expectRefused(async () => removeAccess(owner, { nodeId: await nodeId(db(), "fabrikam-partners"), principalIds: [nora!] }), "forbidden", 1);
    expect(last.details.fieldErrors![nora!]![0]).toMatch(/no active, direct, human Owner/);
    const inherited = await expectRefused(async () => removeAccess(owner, { nodeId: await nodeId(db(), "adler-logistik"), principalIds: [emma!] }), "forbidden", 1);
    expect(inherited.details.fieldErrors![emma!]![0]).toMatch(/no role on Adler Logistik itself/);
  });
});

describe("the role dialog's services", () => {
  it("refuse a principal without role.assign to assign, change or revoke, writing nothing", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    const adler = await nodeId(db(), "adler-logistik");
    const target = await principalId(db(), "mateo.silva@baltic-freight-lines.example");
    const viewerRole = await builtinRoleId(db(), "viewer");
    await expectRefused(() => assignRole(viewer, { principalId: target, nodeId: adler, roleId: viewerRole }), "forbidden", 1);
    const assignment = await assignmentId(db(), CUSTOMER_MANAGER, "adler-logistik");
    await expectRefused(() => changeAssignment(viewer, { assignmentId: assignment, roleId: viewerRole }), "forbidden", 1);
    await expectRefused(() => revokeAssignment(viewer, { assignmentId: assignment }), "forbidden", 1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { explainAccess, visibleAssignments } from "./assignments";

let connection: DatabaseConnection;
const db = () => connection.db;

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const DISABLED = "oscar.lindqvist@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

describe("visibleAssignments", () => {
  it("lists a member's assignments with their node path, and whether the actor may change them", async () => {
    const owner = await contextFor(db(), OWNER);
    const { assignments } = await visibleAssignments(owner, await principalId(db(), EMEA_ADMIN));
    expect(assignments).toMatchObject([{ nodePath: ["Northwind MSSP", "Regions", "EMEA"], roleName: "Manager", source: "direct", expired: false, mayChange: true }]);
  });

  it("hides assignments on nodes where the actor may not read members, and offers no change to an outranking one", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    expect((await visibleAssignments(viewer, await principalId(db(), EMEA_ADMIN))).assignments).toEqual([]);
    const admin = await contextFor(db(), EMEA_ADMIN);
    expect((await visibleAssignments(admin, await principalId(db(), OWNER))).assignments).toEqual([]);
    const own = await visibleAssignments(admin, await principalId(db(), CUSTOMER_VIEWER));
    expect(own.assignments).toMatchObject([{ roleName: "Viewer", mayChange: true }]);
    const viewerOwn = await visibleAssignments(viewer, await principalId(db(), CUSTOMER_VIEWER));
    expect(viewerOwn.assignments).toMatchObject([{ roleName: "Viewer", mayChange: false }]);
  });
});

describe("explainAccess", () => {
  it("names the granting assignment, its node and whether it is inherited", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const answer = await explainAccess(admin, { principalId: await principalId(db(), CUSTOMER_VIEWER), permission: "tenant.read", nodeId: await nodeId(db(), "adler-logistik") });
    expect(answer).toMatchObject({ allowed: true, nodeName: "Adler Logistik", grantNodeName: "Adler Logistik", inherited: false, grant: { roleName: "Viewer" } });
    const inherited = await explainAccess(admin, { principalId: admin.authz.principal.id, permission: "role.assign", nodeId: await nodeId(db(), "adler-logistik") });
    expect(inherited).toMatchObject({ allowed: true, grantNodeName: "EMEA", inherited: true });
  });

  it("gives the reason for a denial: no assignment, or a disabled principal", async () => {
    const owner = await contextFor(db(), OWNER);
    const adler = await nodeId(db(), "adler-logistik");
    const none = await explainAccess(owner, { principalId: await principalId(db(), CUSTOMER_VIEWER), permission: "role.assign", nodeId: adler });
    expect(none).toMatchObject({ allowed: false, reason: "no-assignment" });
    const disabled = await explainAccess(owner, { principalId: await principalId(db(), DISABLED), permission: "tenant.read", nodeId: adler });
    expect(disabled).toMatchObject({ allowed: false, reason: "principal-inactive" });
  });

  it("refuses to explain on a node where the actor may not read members, and an unknown permission", async () => {
    const viewer = await contextFor(db(), CUSTOMER_VIEWER);
    const target = await principalId(db(), OWNER);
    await expect(explainAccess(viewer, { principalId: target, permission: "tenant.read", nodeId: await nodeId(db(), "emea") })).rejects.toMatchObject({ code: "not_found" });
    await expect(explainAccess(viewer, { principalId: target, permission: "tenant.fly", nodeId: await nodeId(db(), "adler-logistik") })).rejects.toMatchObject({
      code: "invalid",
      details: { fieldErrors: { permission: ["Choose a permission of the catalog."] } },
    });
  });
});

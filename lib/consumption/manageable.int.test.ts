import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId, principalId } from "@/lib/access/test-support";
import { createNode } from "@/lib/tenants/service";
import { organizationsWith } from "./manageable";
import { PEOPLE } from "./write-test-support";

// The entitlements table offers lifecycle buttons per row: on the organizations the principal may
// manage, whatever it may do on the node of the page.

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let ids: Record<"adler" | "baltic" | "orchard" | "emeaSmb", string>;

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  ids = {
    adler: await nodeId(db, "adler-logistik"),
    baltic: await nodeId(db, "baltic-freight-lines"),
    orchard: await nodeId(db, "orchard-health-systems"),
    emeaSmb: await nodeId(db, "emea-smb"),
  };
});

afterAll(async () => {
  await connection?.close();
});

describe("organizationsWith", () => {
  it("gives an account viewer who manages one organization that organization only", async () => {
    const viewer = PEOPLE.accountViewer;
    await db.insert(roleAssignments).values({ accountId, principalId: await principalId(db, viewer), nodeId: ids.adler, roleId: await builtinRoleId(db, "manager"), source: "direct" });
    const ctx = await contextFor(db, viewer);
    expect(await organizationsWith(ctx, "entitlement.manage", [ids.adler, ids.baltic, ids.orchard, ids.adler])).toEqual(new Set([ids.adler]));
    expect(await organizationsWith(ctx, "consumption.read", [ids.adler, ids.baltic, ids.orchard])).toEqual(new Set([ids.adler, ids.baltic, ids.orchard]));
  });

  it("follows the tree and the flex capability: the EMEA admin manages EMEA's organizations that have flex, a viewer none", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const flexless = await createNode(owner, { parentId: ids.emeaSmb, kind: "organization", name: "No Flex GmbH" });
    const admin = await contextFor(db, PEOPLE.emeaAdmin);
    expect(await organizationsWith(admin, "entitlement.manage", [ids.adler, ids.baltic, ids.orchard, flexless.id])).toEqual(new Set([ids.adler, ids.baltic]));
    expect(await organizationsWith(await contextFor(db, PEOPLE.adlerViewer), "entitlement.manage", [ids.adler])).toEqual(new Set());
    expect(await organizationsWith(admin, "entitlement.manage", [])).toEqual(new Set());
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { HELPDESK_PROFILE } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { assignRole } from "./service";
import { createProfile } from "./profiles";
import { loadTreeNode } from "@/lib/authz/queries";
import { findCustomProfile, listCustomProfiles, mayViewRoles } from "./profile-read";
import { builtinRoleId, contextFor, nodeId, principalId } from "./test-support";

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

describe("listCustomProfiles", () => {
  it("lists the account's custom profiles with their assignments and the nodes they are used on", async () => {
    const owner = await contextFor(db(), OWNER);
    const auditor = await createProfile(owner, { name: "Regional auditor", permissions: ["tenant.read", "audit.read"] });
    await assignRole(owner, { principalId: await principalId(db(), "lucas.oliveira@northwind.example"), nodeId: await nodeId(db(), "americas-smb"), roleId: auditor.id });

    const profiles = await listCustomProfiles(db(), owner.authz);
    expect(profiles.map((profile) => profile.name)).toEqual([HELPDESK_PROFILE.name, "Regional auditor"]);
    const helpdesk = profiles[0]!;
    expect(helpdesk).toMatchObject({ assignments: 1, ssoRules: 0, usedOn: [{ nodeName: "Northwind MSSP", nodeSlug: "northwind", assignments: 1 }] });
    expect([...helpdesk.permissions].sort()).toEqual([...HELPDESK_PROFILE.permissions].sort());
    const regional = profiles[1]!;
    expect(regional).toMatchObject({ assignments: 1, usedOn: [{ nodeSlug: "americas-smb", nodeName: "SMB", assignments: 1 }] });
  });

  it("names to the EMEA admin only the nodes they may read, while counting every assignment", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const profiles = await listCustomProfiles(db(), admin.authz);
    const helpdesk = profiles.find((profile) => profile.name === HELPDESK_PROFILE.name)!;
    expect(helpdesk.assignments).toBe(1);
    expect(helpdesk.usedOn).toEqual([]);
    const regional = profiles.find((profile) => profile.name === "Regional auditor")!;
    expect(regional.usedOn.some((use) => use.nodeSlug === "americas-smb")).toBe(false);
  });

  it("finds one profile by id, and no built-in role", async () => {
    const owner = await contextFor(db(), OWNER);
    const [helpdesk] = await listCustomProfiles(db(), owner.authz);
    expect((await findCustomProfile(db(), owner.authz, helpdesk!.id))?.name).toBe(HELPDESK_PROFILE.name);
    expect(await findCustomProfile(db(), owner.authz, await builtinRoleId(db(), "owner"))).toBeNull();
  });
});

describe("mayViewRoles", () => {
  it("lets in who may read members on the node, and nobody on a node they cannot read", async () => {
    const node = async (slug: string) => (await loadTreeNode(db(), (await contextFor(db(), OWNER)).authz.principal.accountId, { id: await nodeId(db(), slug) }))!;
    const admin = (await contextFor(db(), EMEA_ADMIN)).authz;
    expect(mayViewRoles(admin, await node("emea"))).toBe(true);
    expect(mayViewRoles(admin, await node("northwind"))).toBe(false);
    expect(mayViewRoles(admin, await node("americas"))).toBe(false);
    const viewer = (await contextFor(db(), "hannah.weber@adler-logistik.example")).authz;
    expect(mayViewRoles(viewer, await node("adler-logistik"))).toBe(true);
    expect(mayViewRoles(viewer, await node("baltic-freight-lines"))).toBe(false);
  });
});

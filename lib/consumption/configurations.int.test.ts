import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { createNode } from "@/lib/tenants/service";
import { createConfiguration, listConfigurations, readConfiguration, updateConfiguration } from "./configurations";
import { catalogIds, consumptionSnapshot, PEOPLE } from "./write-test-support";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let products: Record<string, string>;
let adler: string;
let baltic: string;
let noFlexOrg: string;

const { expectRefused, expectAudited } = writeChecks(() => db, () => consumptionSnapshot(db));

const firewall = (nodeId: string, name = "Edge firewall") => ({ nodeId, productId: products["fortigate-vm"]!, name, parameters: { cpu: "4", service: "utp" } });

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  products = await catalogIds(db, accountId);
  adler = await nodeId(db, "adler-logistik");
  baltic = await nodeId(db, "baltic-freight-lines");
  // A new organization has no capabilities until someone gives it some: here, no flex.
  noFlexOrg = (await createNode(await contextFor(db, PEOPLE.owner), { parentId: await nodeId(db, "emea-smb"), kind: "organization", name: "No Flex GmbH" })).id;
});

afterAll(async () => {
  await connection?.close();
});

describe("createConfiguration", () => {
  it("lets the organization's manager create one, priced from the catalog, with an audit event", async () => {
    const manager = await contextFor(db, PEOPLE.adlerManager);
    const { result, event } = await expectAudited(() => createConfiguration(manager, firewall(adler)));
    expect(result).toMatchObject({ accountId, nodeId: adler, name: "Edge firewall", parameters: { cpu: "4", service: "utp" }, pointsPerDay: 6.4, version: 1 });
    expect(event).toMatchObject({ action: "configuration.create", nodeId: adler, targetType: "flex_configuration", targetId: result.id, actorId: manager.authz.principal.id });
  });

  it("stores quantities as numbers and refuses parameters the price table does not allow, per field", async () => {
    const manager = await contextFor(db, PEOPLE.adlerManager);
    const analyzer = await createConfiguration(manager, { nodeId: adler, productId: products["fortianalyzer-vm"]!, name: "Logs", parameters: { storage_gb: "100", adoms: "2" } });
    expect(analyzer.parameters).toEqual({ storage_gb: 100, adoms: 2 });
    expect(analyzer.pointsPerDay).toBe(3.2);
    const { error } = await expectRefused(() => createConfiguration(manager, { ...firewall(adler), parameters: { cpu: "3" } }), "invalid");
    expect(error.details.fieldErrors).toEqual({ "parameters.cpu": ["vCPUs must be one of 1, 2, 4, 8, 16, 32."], "parameters.service": ["Choose Service bundle."] });
  });

  it("refuses a group or the account: only organizations own configurations", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const group = await expectRefused(async () => createConfiguration(owner, firewall(await nodeId(db, "emea"))), "invalid");
    expect(group.error.message).toMatch(/^Only an organization owns configurations, and EMEA is a group/);
    await expectRefused(() => createConfiguration(owner, firewall(accountId)), "invalid");
  });

  it("refuses a product of no catalog of the account", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const { error } = await expectRefused(() => createConfiguration(owner, { ...firewall(adler), productId: crypto.randomUUID() }), "not_found");
    expect(error.message).toBe("No such product, or you do not have access to it.");
  });

  it("refuses a viewer, a manager of another organization and an organization without flex, writing only the denial", async () => {
    await expectRefused(async () => createConfiguration(await contextFor(db, PEOPLE.adlerViewer), firewall(adler)), "forbidden", "configuration.create.denied");
    await expectRefused(async () => createConfiguration(await contextFor(db, PEOPLE.balticManager), firewall(adler)), "not_found", "configuration.create.denied");
    const noFlex = await expectRefused(async () => createConfiguration(await contextFor(db, PEOPLE.owner), firewall(noFlexOrg)), "forbidden", "configuration.create.denied");
    expect(noFlex.error.message).toMatch(/needs the flex capability/);
  });
});

describe("updateConfiguration", () => {
  it("prices the configuration again when its parameters change, at the version the caller saw", async () => {
    const manager = await contextFor(db, PEOPLE.adlerManager);
    const created = await createConfiguration(manager, firewall(adler, "Branch firewall"));
    const { result, event } = await expectAudited(() =>
      updateConfiguration(manager, { configurationId: created.id, parameters: { cpu: "8", service: "ent" }, expectedVersion: 1 }),
    );
    expect(result).toMatchObject({ name: "Branch firewall", parameters: { cpu: "8", service: "ent" }, pointsPerDay: 16, version: 2 });
    expect(event.summary).toMatchObject({ before: { pointsPerDay: 6.4 }, after: { pointsPerDay: 16 } });
    await expectRefused(() => updateConfiguration(manager, { configurationId: created.id, name: "Stale", expectedVersion: 1 }), "precondition_failed");
    const renamed = await updateConfiguration(manager, { configurationId: created.id, name: "Main firewall" });
    expect(renamed).toMatchObject({ name: "Main firewall", pointsPerDay: 16, version: 3 });
  });

  it("answers a configuration of another organization like one that does not exist, and refuses its viewer", async () => {
    const created = await createConfiguration(await contextFor(db, PEOPLE.adlerManager), firewall(adler, "Private"));
    const stranger = await contextFor(db, PEOPLE.balticManager);
    const theirs = await expectRefused(() => updateConfiguration(stranger, { configurationId: created.id, name: "Mine" }), "not_found", "configuration.update.denied");
    const missing = await expectRefused(() => updateConfiguration(stranger, { configurationId: crypto.randomUUID(), name: "Mine" }), "not_found", "configuration.update.denied");
    expect(theirs.error.message).toBe(missing.error.message);
    await expectRefused(async () => updateConfiguration(await contextFor(db, PEOPLE.adlerViewer), { configurationId: created.id, name: "Mine" }), "forbidden", "configuration.update.denied");
  });
});

describe("reading configurations", () => {
  it("lists an organization's own and, above it, its organizations', never another organization's", async () => {
    await createConfiguration(await contextFor(db, PEOPLE.balticManager), firewall(baltic, "Baltic firewall"));
    const adlerNames = (await listConfigurations(await contextFor(db, PEOPLE.adlerViewer), { nodeId: adler })).rows.map((row) => `${row.organization}: ${row.name}`);
    expect(adlerNames).toEqual(["Adler Logistik: Edge firewall", "Adler Logistik: Logs", "Adler Logistik: Main firewall", "Adler Logistik: Private"]);
    const emea = await listConfigurations(await contextFor(db, PEOPLE.emeaAdmin), { nodeId: await nodeId(db, "emea") });
    expect(emea.total).toBe(5);
    expect(new Set(emea.rows.map((row) => row.organization))).toEqual(new Set(["Adler Logistik", "Baltic Freight Lines"]));
    const americas = await listConfigurations(await contextFor(db, PEOPLE.americasAdmin), { nodeId: await nodeId(db, "americas") });
    expect(americas.rows).toEqual([]);
  });

  it("pages the list and filters it by product", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const first = await listConfigurations(owner, { nodeId: accountId, pageSize: 2 });
    const second = await listConfigurations(owner, { nodeId: accountId, pageSize: 2, page: 2 });
    expect(first.total).toBe(5);
    expect(first.rows).toHaveLength(2);
    expect(second.rows.map((row) => row.id)).not.toContain(first.rows[0]!.id);
    const analyzers = await listConfigurations(owner, { nodeId: accountId, productId: products["fortianalyzer-vm"] });
    expect(analyzers.rows.map((row) => row.name)).toEqual(["Logs"]);
  });

  it("reads one for whoever reads consumption on its organization, and no one else", async () => {
    const [edge] = (await listConfigurations(await contextFor(db, PEOPLE.adlerViewer), { nodeId: adler })).rows.filter((row) => row.name === "Edge firewall");
    const read = await readConfiguration(await contextFor(db, PEOPLE.adlerViewer), { configurationId: edge!.id });
    expect(read).toMatchObject({ product: "FortiGate VM", productKey: "fortigate-vm", pointsPerDay: 6.4, entitlements: 0 });
    await expectRefused(async () => readConfiguration(await contextFor(db, PEOPLE.balticManager), { configurationId: edge!.id }), "not_found", "configuration.read.denied");
  });

  it("refuses lists to those who may not read consumption there", async () => {
    await expectRefused(async () => listConfigurations(await contextFor(db, PEOPLE.balticManager), { nodeId: adler }), "not_found", "configuration.list.denied");
    await expectRefused(async () => listConfigurations(await contextFor(db, PEOPLE.owner), { nodeId: noFlexOrg }), "forbidden", "configuration.list.denied");
  });
});

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { flexProducts } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { installDefaultCatalog, listProducts, saveProduct } from "./catalog";
import { DEFAULT_CATALOG, insertDefaultCatalog } from "./default-catalog";
import { readProgram, setProgram } from "./program";
import { consumptionSnapshot, PEOPLE } from "./write-test-support";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;

const { expectRefused, expectAudited } = writeChecks(() => db, () => consumptionSnapshot(db));

const FIREWALL_TABLE = {
  serialPrefix: "FGTTEST",
  parameters: [{ kind: "choice", key: "size", label: "Size", choices: [{ value: "s", label: "Small", points: 2 }] }],
};

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
});

afterAll(async () => {
  await connection?.close();
});

describe("the program", () => {
  it("is read as null before the owner sets it, then as set, with an audit event", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    expect(await readProgram(owner, { nodeId: accountId })).toBeNull();
    const { result, event } = await expectAudited(() => setProgram(owner, { nodeId: accountId, pointPrice: "1.25", currency: "eur", billingDay: "5" }));
    expect(result).toMatchObject({ accountId, pointPrice: 1.25, currency: "EUR", billingDay: 5, version: 1 });
    expect(event).toMatchObject({ action: "flex.program.set", nodeId: accountId, targetType: "flex_program", summary: { before: null, after: { pointPrice: 1.25, currency: "EUR", billingDay: 5 } } });
    expect(await readProgram(owner, { nodeId: accountId })).toMatchObject({ pointPrice: 1.25, currency: "EUR", billingDay: 5 });
  });

  it("changes only at the version the caller saw", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const current = (await readProgram(owner, { nodeId: accountId }))!;
    const changed = await setProgram(owner, { nodeId: accountId, pointPrice: 1, currency: "USD", billingDay: 1, expectedVersion: current.version });
    expect(changed.version).toBe(current.version + 1);
    await expectRefused(() => setProgram(owner, { nodeId: accountId, pointPrice: 2, currency: "USD", billingDay: 1, expectedVersion: current.version }), "precondition_failed");
  });

  it("refuses bad values with a message per field", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const { error } = await expectRefused(() => setProgram(owner, { nodeId: accountId, pointPrice: 0, currency: "dollars", billingDay: 31 }), "invalid");
    expect(Object.keys(error.details.fieldErrors!).sort()).toEqual(["billingDay", "currency", "pointPrice"]);
    await expectRefused(() => setProgram(owner, { nodeId: accountId, pointPrice: 1.00001, currency: "USD", billingDay: 1 }), "invalid");
  });

  it("belongs to the account: a group is refused", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const emea = await nodeId(db, "emea");
    const { error } = await expectRefused(() => setProgram(owner, { nodeId: emea, pointPrice: 1, currency: "USD", billingDay: 1 }), "invalid");
    expect(error.message).toMatch(/belongs to the account/);
  });

  it("refuses a manager (no billing permissions), an OU admin and a customer, and records each denial", async () => {
    const program = { nodeId: accountId, pointPrice: 9, currency: "USD", billingDay: 1 };
    await expectRefused(async () => setProgram(await contextFor(db, PEOPLE.accountManager), program), "forbidden", "flex.program.set.denied");
    await expectRefused(async () => readProgram(await contextFor(db, PEOPLE.accountManager), { nodeId: accountId }), "forbidden", "flex.program.read.denied");
    await expectRefused(async () => setProgram(await contextFor(db, PEOPLE.emeaAdmin), program), "not_found", "flex.program.set.denied");
    await expectRefused(async () => setProgram(await contextFor(db, PEOPLE.adlerManager), program), "not_found", "flex.program.set.denied");
  });
});

describe("the catalog", () => {
  it("installs the default products the account lacks, once", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    await insertDefaultCatalog(db, accountId);
    await db.delete(flexProducts).where(eq(flexProducts.key, "fortisase"));
    const { result, event } = await expectAudited(() => installDefaultCatalog(owner, { nodeId: accountId }));
    expect(result.added).toEqual(["fortisase"]);
    expect(event).toMatchObject({ action: "flex.catalog.install", summary: { after: { added: ["fortisase"] } } });
    expect((await installDefaultCatalog(owner, { nodeId: accountId })).added).toEqual([]);
  });

  it("is listed, with parsed price tables, to whoever reads consumption on any node", async () => {
    const adlerViewer = await contextFor(db, PEOPLE.adlerViewer);
    const products = await listProducts(adlerViewer, { nodeId: await nodeId(db, "adler-logistik") });
    expect(products.map((product) => product.key).sort()).toEqual(DEFAULT_CATALOG.map((product) => product.key).sort());
    const fortigate = products.find((product) => product.key === "fortigate-vm")!;
    expect(fortigate.priceTable.serialPrefix).toBe("FGVMML");
    expect(fortigate.priceTable.basePoints).toBe(0);
  });

  it("adds a product and changes it by key, each audited", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const created = await expectAudited(() => saveProduct(owner, { nodeId: accountId, key: "test-firewall", name: "Test firewall", priceTable: FIREWALL_TABLE }));
    expect(created.event.action).toBe("flex.product.create");
    const changed = await expectAudited(() => saveProduct(owner, { nodeId: accountId, key: "test-firewall", name: "Test firewall 2", priceTable: FIREWALL_TABLE }));
    expect(changed.event.action).toBe("flex.product.update");
    expect(changed.result.id).toBe(created.result.id);
    expect(changed.result.name).toBe("Test firewall 2");
  });

  it("refuses a price table that does not validate, naming the field", async () => {
    const owner = await contextFor(db, PEOPLE.owner);
    const bad = { ...FIREWALL_TABLE, parameters: [{ kind: "quantity", key: "seats", label: "Seats", unit: "seats", min: 10, max: 1, pointsPerUnit: 1 }] };
    const { error } = await expectRefused(() => saveProduct(owner, { nodeId: accountId, key: "bad", name: "Bad", priceTable: bad }), "invalid");
    expect(error.message).toBe("The minimum is above the maximum.");
  });

  it("is changed only with billing.manage at the account", async () => {
    const product = { nodeId: accountId, key: "sneaky", name: "Sneaky", priceTable: FIREWALL_TABLE };
    await expectRefused(async () => saveProduct(await contextFor(db, PEOPLE.accountManager), product), "forbidden", "flex.product.save.denied");
    await expectRefused(async () => installDefaultCatalog(await contextFor(db, PEOPLE.accountViewer), { nodeId: accountId }), "forbidden", "flex.catalog.install.denied");
    await expectRefused(async () => saveProduct(await contextFor(db, PEOPLE.adlerManager), product), "not_found", "flex.product.save.denied");
  });
});

import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { flexConfigurations, flexProducts } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ActionState } from "@/lib/actions/authorized-action";
import { formData as form } from "@/lib/actions/test-support";
import { installDefaultCatalog } from "@/lib/consumption/catalog";
import { createConfiguration } from "@/lib/consumption/configurations";
import type { ServiceContext } from "@/lib/service-context";

// The catalog form's server action as a browser (or a forged request) calls it.
const signedIn = vi.hoisted(() => ({ context: null as ServiceContext | null }));
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: async () => signedIn.context }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { saveProductAction } = await import("./actions");

const OWNER = "ava.thompson@northwind.example";
let connection: DatabaseConnection;
const db = () => connection.db;
let account: string;

beforeAll(async () => {
  connection = await createTestDatabase();
  account = (await seedDemo(connection.db, { password: "test-password-123" })).accountId;
  await installDefaultCatalog(await contextFor(connection.db, OWNER), { nodeId: account });
});
afterAll(async () => connection?.close());

async function as(email: string) {
  signedIn.context = await contextFor(db(), email);
}

const products = () => db().select().from(flexProducts).orderBy(asc(flexProducts.key));

async function expectRefused(run: () => Promise<ActionState>, message: RegExp) {
  const before = await products();
  const since = await lastEventId(db());
  const state = await run();
  expect(state.ok).toBeUndefined();
  expect(state.error).toMatch(message);
  expect(await products()).toEqual(before);
  expect((await eventsSince(db(), since)).every((event) => event.action.endsWith(".denied"))).toBe(true);
  return state;
}

/** The form's fields for a product with one choice parameter. */
const fields = (values: Record<string, string> = {}) =>
  form({
    nodeId: account,
    editing: "new",
    key: "web-firewall",
    name: "Web firewall",
    "priceTable.serialPrefix": "FWBVM",
    "priceTable.basePoints": "1",
    "priceTable.parameters.0.kind": "choice",
    "priceTable.parameters.0.key": "size",
    "priceTable.parameters.0.label": "Size",
    "priceTable.parameters.0.choices.0.value": "s",
    "priceTable.parameters.0.choices.0.label": "Small",
    "priceTable.parameters.0.choices.0.points": "2",
    "priceTable.parameters.0.choices.0.factor": "1",
    ...values,
  });

describe("saveProductAction", () => {
  it("adds a product for the owner, then changes its price: the configuration priced before keeps its points a day", async () => {
    await as(OWNER);
    expect(await saveProductAction({}, fields())).toMatchObject({ ok: true, message: "Added Web firewall to the catalog." });
    const [product] = await db().select().from(flexProducts).where(eq(flexProducts.key, "web-firewall"));
    expect(product!.priceTable).toEqual({ serialPrefix: "FWBVM", basePoints: 1, parameters: [{ kind: "choice", key: "size", label: "Size", choices: [{ value: "s", label: "Small", points: 2, factor: 1 }] }] });
    const adler = await nodeId(db(), "adler-logistik");
    const configuration = await createConfiguration(await contextFor(db(), OWNER), { nodeId: adler, productId: product!.id, name: "Shop WAF", parameters: { size: "s" } });
    expect(configuration.pointsPerDay).toBe(3);

    const changed = await saveProductAction({}, fields({ editing: "existing", "priceTable.parameters.0.choices.0.points": "5" }));
    expect(changed.message).toBe("Saved Web firewall. Existing configurations keep their points per day until they are changed; new and changed ones use this price table.");
    const [kept] = await db().select({ pointsPerDay: flexConfigurations.pointsPerDay }).from(flexConfigurations).where(eq(flexConfigurations.id, configuration.id));
    expect(kept!.pointsPerDay).toBe(3);
  });

  it("puts each problem on its field, and refuses a new product with a key already taken, writing nothing", async () => {
    await as(OWNER);
    const bad = await expectRefused(() => saveProductAction({}, fields({ key: "other", "priceTable.serialPrefix": "x", "priceTable.parameters.0.choices.0.points": "many" })), /Check the highlighted fields/);
    expect(bad.fieldErrors).toEqual({ "priceTable.serialPrefix": ["A serial prefix is 4 to 8 capital letters or digits."], "priceTable.parameters.0.choices.0.points": ["Enter a number."] });
    const taken = await expectRefused(() => saveProductAction({}, fields()), /already has a product with the key web-firewall/);
    expect(taken.fieldErrors).toEqual({ key: ["This key is taken."] });
  });

  it("refuses an account manager, who may read the catalog but not manage billing", async () => {
    await as("noah.becker@northwind.example");
    await expectRefused(() => saveProductAction({}, fields({ key: "sneaky" })), /You may not use billing\.manage/);
  });

  it("refuses the EMEA admin and a customer viewer as if the account did not exist", async () => {
    await as("emma.schulz@northwind.example");
    await expectRefused(() => saveProductAction({}, fields({ key: "sneaky" })), /No such node/);
    await as("hannah.weber@adler-logistik.example");
    await expectRefused(() => saveProductAction({}, fields({ key: "sneaky" })), /No such node/);
  });
});

import { asc } from "drizzle-orm";
import { formData as form } from "@/lib/actions/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { nodeCapabilities } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { ServiceContext } from "@/lib/service-context";

// The server actions as a browser (or a forged request) calls them: the request's context is the
// signed-in principal's, and nothing but the action wrapper and the service stand in the way.
const signedIn = vi.hoisted(() => ({ context: null as ServiceContext | null }));
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: async () => signedIn.context }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { removeCapabilityAction, setCapabilityAction } = await import("./actions");

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

async function as(email: string) {
  signedIn.context = await contextFor(db(), email);
}

const settings = () => db().select().from(nodeCapabilities).orderBy(asc(nodeCapabilities.nodeId), asc(nodeCapabilities.capability));

/** Runs the action and checks it was refused with `message`, wrote no setting and audited only its denial. */
async function expectRefused(run: () => Promise<ActionState>, message: RegExp) {
  const before = await settings();
  const since = await lastEventId(db());
  const state = await run();
  expect(state.ok).toBeUndefined();
  expect(state.error).toMatch(message);
  expect(await settings()).toEqual(before);
  expect((await eventsSince(db(), since)).every((event) => event.action.endsWith(".denied"))).toBe(true);
}

describe("setCapabilityAction", () => {
  it("sets a capability with an expiry for the EMEA admin on an EMEA organization", async () => {
    await as(EMEA_ADMIN);
    const state = await setCapabilityAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), capability: "sso", expiresAt: "2099-12-31" }));
    expect(state).toMatchObject({ ok: true, message: "sso is set until 2099-12-31." });
  });

  it("refuses the EMEA admin a forged request for an Americas organization, as if it did not exist", async () => {
    await as(EMEA_ADMIN);
    const target = await nodeId(db(), "orchard-health-systems");
    await expectRefused(async () => setCapabilityAction({}, form({ nodeId: target, capability: "sso", expiresAt: "2099-12-31" })), /No such node/);
  });

  it("refuses a customer viewer on their own organization: its capabilities come from a parent they cannot see", async () => {
    await as(CUSTOMER_VIEWER);
    await expectRefused(async () => setCapabilityAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), capability: "api" })), /No such node/);
  });

  it("refuses the EMEA admin reseller, which only the account gives", async () => {
    await as(EMEA_ADMIN);
    await expectRefused(async () => setCapabilityAction({}, form({ nodeId: await nodeId(db(), "baltic-freight-lines"), capability: "reseller" })), /./);
  });

  it("shows a past expiry as the expiry field's error, writing nothing", async () => {
    await as(OWNER);
    const before = await settings();
    const state = await setCapabilityAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), capability: "api", expiresAt: "2001-01-01" }));
    expect(state.fieldErrors?.expiresAt).toEqual(["The expiry must be in the future."]);
    expect(await settings()).toEqual(before);
  });
});

describe("removeCapabilityAction", () => {
  it("refuses the EMEA admin on an Americas organization and a customer viewer on their own", async () => {
    await as(EMEA_ADMIN);
    await expectRefused(async () => removeCapabilityAction({}, form({ nodeId: await nodeId(db(), "pioneer-rail"), capability: "flex" })), /No such node/);
    await as(CUSTOMER_VIEWER);
    await expectRefused(async () => removeCapabilityAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), capability: "flex" })), /No such node/);
  });

  it("refuses an id that is no node, and a node id with no parent (the account)", async () => {
    await as(OWNER);
    await expectRefused(async () => removeCapabilityAction({}, form({ nodeId: "not-a-uuid", capability: "flex" })), /No such node/);
    await expectRefused(async () => removeCapabilityAction({}, form({ nodeId: await nodeId(db(), "northwind"), capability: "flex" })), /No such node/);
  });

  it("removes a capability for the owner", async () => {
    await as(OWNER);
    const state = await removeCapabilityAction({}, form({ nodeId: await nodeId(db(), "adler-logistik"), capability: "sso" }));
    expect(state).toMatchObject({ ok: true, message: "sso is removed here and below." });
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { flexPrograms } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ActionState } from "@/lib/actions/authorized-action";
import { formData as form } from "@/lib/actions/test-support";
import type { ServiceContext } from "@/lib/service-context";

// The program form's server action as a browser (or a forged request) calls it.
const signedIn = vi.hoisted(() => ({ context: null as ServiceContext | null }));
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: async () => signedIn.context }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { setProgramAction } = await import("./actions");

let connection: DatabaseConnection;
const db = () => connection.db;

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

async function as(email: string) {
  signedIn.context = await contextFor(db(), email);
}

const programs = () => db().select().from(flexPrograms);

async function expectRefused(run: () => Promise<ActionState>, message: RegExp) {
  const before = await programs();
  const since = await lastEventId(db());
  const state = await run();
  expect(state.ok).toBeUndefined();
  expect(state.error).toMatch(message);
  expect(await programs()).toEqual(before);
  expect((await eventsSince(db(), since)).every((event) => event.action.endsWith(".denied"))).toBe(true);
  return state;
}

const fields = async (slug: string, values: Record<string, string> = {}) => form({ nodeId: await nodeId(db(), slug), pointPrice: "0.125", currency: "eur", billingDay: "5", ...values });

describe("setProgramAction", () => {
  it("starts the program for the provider owner at the account, then changes it at the version they saw", async () => {
    await as("ava.thompson@northwind.example");
    expect(await setProgramAction({}, await fields("northwind"))).toMatchObject({ ok: true, message: "Saved: a point costs 0.125 EUR; periods start on day 5 of each month." });
    expect(await setProgramAction({}, await fields("northwind", { pointPrice: "0.2", expectedVersion: "1" }))).toMatchObject({ ok: true });
    expect(await programs()).toMatchObject([{ pointPrice: 0.2, currency: "EUR", billingDay: 5, version: 2 }]);
  });

  it("shows a billing day past the 28th on its field and writes nothing", async () => {
    await as("ava.thompson@northwind.example");
    const state = await expectRefused(async () => setProgramAction({}, await fields("northwind", { billingDay: "31" })), /Check the highlighted fields/);
    expect(state.fieldErrors?.billingDay).toEqual(["Use a day from 1 to 28."]);
  });

  it("refuses a stale version: someone else changed the program since", async () => {
    await as("liam.carter@northwind.example");
    await expectRefused(async () => setProgramAction({}, await fields("northwind", { expectedVersion: "1" })), /changed by someone else/);
  });

  it("refuses an account manager, who may read consumption but not manage billing", async () => {
    await as("noah.becker@northwind.example");
    await expectRefused(async () => setProgramAction({}, await fields("northwind")), /You may not use billing\.manage/);
  });

  it("refuses the EMEA admin and a customer viewer as if the account did not exist", async () => {
    await as("emma.schulz@northwind.example");
    await expectRefused(async () => setProgramAction({}, await fields("northwind")), /No such node/);
    await as("hannah.weber@adler-logistik.example");
    await expectRefused(async () => setProgramAction({}, await fields("northwind")), /No such node/);
  });
});

import { asc } from "drizzle-orm";
import { formData as form } from "@/lib/actions/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { roles } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor } from "@/lib/access/test-support";
import { listCustomProfiles } from "@/lib/access/profile-read";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { ServiceContext } from "@/lib/service-context";

// The profile actions as a browser (or a forged request) calls them, with the signed-in principal's context.
const signedIn = vi.hoisted(() => ({ context: null as ServiceContext | null }));
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: async () => signedIn.context }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { createProfileAction, deleteProfileAction, updateProfileAction } = await import("./actions");

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_VIEWER = "grace.kim@northwind.example";
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

const allRoles = () => db().select().from(roles).orderBy(asc(roles.id));

async function helpdesk() {
  return (await listCustomProfiles(db(), (await contextFor(db(), OWNER)).authz))[0]!;
}

/** Runs the action and checks it was refused with `message`, left every role as it was and audited only its denial. */
async function expectRefused(run: () => Promise<ActionState>, message: RegExp) {
  const before = await allRoles();
  const since = await lastEventId(db());
  const state = await run();
  expect(state.ok).toBeUndefined();
  expect(state.error).toMatch(message);
  expect(await allRoles()).toEqual(before);
  expect((await eventsSince(db(), since)).every((event) => event.action.endsWith(".denied"))).toBe(true);
  return state;
}

describe("the profile actions", () => {
  it("refuse the EMEA admin, who cannot read the account where profiles live, as not found", async () => {
    await as(EMEA_ADMIN);
    const profile = await helpdesk();
    await expectRefused(async () => createProfileAction({}, form({ slug: "emea", name: "Sneaky", "permission:tenant.read": "on" })), /No such node/);
    await expectRefused(
      async () => updateProfileAction({}, form({ slug: "emea", roleId: profile.id, expectedVersion: String(profile.version), name: "Sneaky", "permission:tenant.read": "on" })),
      /No such node/,
    );
    await expectRefused(async () => deleteProfileAction({}, form({ slug: "emea", roleId: profile.id })), /No such node/);
  });

  it("refuse a viewer of the account and a customer viewer", async () => {
    const profile = await helpdesk();
    await as(ACCOUNT_VIEWER);
    await expectRefused(async () => createProfileAction({}, form({ slug: "northwind", name: "Mine", "permission:tenant.read": "on" })), /profile\.manage/);
    await expectRefused(async () => deleteProfileAction({}, form({ slug: "northwind", roleId: profile.id })), /profile\.manage/);
    await as(CUSTOMER_VIEWER);
    await expectRefused(async () => deleteProfileAction({}, form({ slug: "adler-logistik", roleId: profile.id })), /No such node/);
  });

  it("answer the owner's empty name and empty permission list with errors on those fields, keeping what was typed", async () => {
    await as(OWNER);
    const state = await expectRefused(async () => createProfileAction({}, form({ slug: "northwind", name: "  ", description: "kept" })), /highlighted fields/);
    expect(state.fieldErrors).toMatchObject({ name: ["Enter a name."], permissions: ["Choose at least one permission."] });
    expect(state).toMatchObject({ values: { name: "  ", description: "kept", permissions: [] } });
  });

  it("refuse to delete a profile that is still assigned, saying so", async () => {
    await as(OWNER);
    const profile = await helpdesk();
    await expectRefused(async () => deleteProfileAction({}, form({ slug: "northwind", roleId: profile.id })), /still assigned 1 time/);
  });

  it("save the owner's changes to a profile's name and permissions", async () => {
    await as(OWNER);
    const profile = await helpdesk();
    const state = await updateProfileAction(
      {},
      form({ slug: "northwind", roleId: profile.id, expectedVersion: String(profile.version), name: "Helpdesk", description: "", "permission:tenant.read": "on", "permission:audit.read": "on" }),
    );
    expect(state).toMatchObject({ ok: true, message: "Helpdesk is saved." });
    expect(await helpdesk()).toMatchObject({ name: "Helpdesk", permissions: ["audit.read", "tenant.read"] });
  });
});

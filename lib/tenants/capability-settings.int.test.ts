import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { DomainError } from "@/lib/errors";
import { loadNodeCapabilities, type CapabilityRow } from "./capability-settings";
import { removeCapability, setCapability } from "./capabilities";

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";
const NEXT_YEAR = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 5, 30));
const LATER = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 0, 31));

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

const row = (rows: CapabilityRow[], capability: string) => rows.find((entry) => entry.capability === capability)!;

describe("loadNodeCapabilities", () => {
  it("shows for an organization what its parent allows, what is set here and the earliest expiry in force", async () => {
    const owner = await contextFor(db(), OWNER);
    const group = await nodeId(db(), "emea-smb");
    const org = await nodeId(db(), "harbour-lane-dental");
    await setCapability(owner, { nodeId: group, capability: "flex", expiresAt: NEXT_YEAR });
    await setCapability(owner, { nodeId: org, capability: "flex", expiresAt: LATER });

    const { rows, isAccount } = await loadNodeCapabilities(owner, org);
    expect(isAccount).toBe(false);
    expect(rows.map((entry) => entry.capability)).toEqual(["flex", "assets", "policies", "sso", "api", "reseller"]);
    expect(row(rows, "flex")).toEqual({
      capability: "flex",
      giverHas: { expiresAt: NEXT_YEAR },
      setHere: { expiresAt: LATER, expired: false },
      effective: { expiresAt: NEXT_YEAR },
      eligible: true,
      mayChange: true,
    });
    expect(row(rows, "sso")).toMatchObject({ giverHas: { expiresAt: null }, setHere: null, effective: null });
    expect(row(rows, "reseller")).toMatchObject({ giverHas: { expiresAt: null }, setHere: null, eligible: true });
  });

  it("rules reseller out on a group and on a reseller's customer", async () => {
    const owner = await contextFor(db(), OWNER);
    expect(row((await loadNodeCapabilities(owner, await nodeId(db(), "emea"))).rows, "reseller").eligible).toBe(false);
    expect(row((await loadNodeCapabilities(owner, await nodeId(db(), "greenfield-pharmacy"))).rows, "reseller").eligible).toBe(false);
  });

  it("marks the account as set by the platform operator, changeable by nobody here", async () => {
    const { rows, isAccount } = await loadNodeCapabilities(await contextFor(db(), OWNER), await nodeId(db(), "northwind"));
    expect(isAccount).toBe(true);
    expect(rows.every((entry) => entry.giverHas === null && !entry.mayChange)).toBe(true);
    expect(rows.every((entry) => entry.effective !== null)).toBe(true);
  });

  it("lets the EMEA admin change an EMEA organization's capabilities but neither EMEA's own nor reseller", async () => {
    const admin = await contextFor(db(), EMEA_ADMIN);
    const org = (await loadNodeCapabilities(admin, await nodeId(db(), "adler-logistik"))).rows;
    expect(org.filter((entry) => entry.mayChange).map((entry) => entry.capability)).toEqual(["flex", "assets", "policies", "sso", "api"]);
    const region = (await loadNodeCapabilities(admin, await nodeId(db(), "emea"))).rows;
    expect(region.some((entry) => entry.mayChange)).toBe(false);
  });

  it("shows a customer viewer their organization's capabilities with nothing to change", async () => {
    const { rows } = await loadNodeCapabilities(await contextFor(db(), CUSTOMER_VIEWER), await nodeId(db(), "adler-logistik"));
    expect(rows.some((entry) => entry.mayChange)).toBe(false);
    expect(rows.filter((entry) => entry.effective).map((entry) => entry.capability)).toEqual(["flex", "assets", "policies"]);
  });

  it("shows a setting that the parent no longer allows as set but not in force", async () => {
    const owner = await contextFor(db(), OWNER);
    const group = await nodeId(db(), "apac-smb");
    const org = await nodeId(db(), "kiwi-orchards");
    await setCapability(owner, { nodeId: org, capability: "api" });
    await removeCapability(owner, { nodeId: group, capability: "api" });
    expect(row((await loadNodeCapabilities(owner, org)).rows, "api")).toMatchObject({ giverHas: false, setHere: { expiresAt: null }, effective: null });
  });

  it("answers not_found to the EMEA admin for an Americas organization", async () => {
    const error = await loadNodeCapabilities(await contextFor(db(), EMEA_ADMIN), await nodeId(db(), "pioneer-rail")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("not_found");
  });
});

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { nodeCapabilities } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { createConfiguration } from "./configurations";
import { listEntitlements, type EntitlementRow } from "./entitlement-list";
import { createEntitlements, transitionEntitlement } from "./entitlements";
import { ENTITLEMENT_SORTS, type EntitlementListInput } from "./schemas";
import { catalogIds, PEOPLE } from "./write-test-support";

const NOW = new Date("2026-03-10T12:00:00Z");

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let products: Record<string, string>;
const serialsOf: Record<string, string[]> = {};

async function at(email: string): Promise<ServiceContext> {
  const ctx = await contextFor(db, email);
  return { ...ctx, authz: { ...ctx.authz, now: NOW } };
}

/** Entitlements for an organization: `count` of a configuration, the first `active` of them activated on successive days. */
async function estate(slug: string, manager: string, product: string, parameters: Record<string, string | number>, count: number, active: number) {
  const ctx = await at(manager);
  const configuration = await createConfiguration(ctx, { nodeId: await nodeId(db, slug), productId: products[product]!, name: `${product} of ${slug}`, parameters });
  const created = await createEntitlements(ctx, { configurationId: configuration.id, count });
  for (const [index, entitlement] of created.slice(0, active).entries()) {
    await transitionEntitlement(ctx, { entitlementId: entitlement.id, transition: "activate", day: `2026-02-${String(10 + (index % 3)).padStart(2, "0")}` });
  }
  serialsOf[slug] = [...(serialsOf[slug] ?? []), ...created.map((entitlement) => entitlement.serialNumber)];
  return configuration;
}

/** Every row of a list, walking its cursors. */
async function walk(ctx: ServiceContext, input: EntitlementListInput): Promise<EntitlementRow[]> {
  const rows: EntitlementRow[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listEntitlements(ctx, { ...input, cursor });
    rows.push(...page.rows);
    if (!page.nextCursor) return rows;
    cursor = page.nextCursor;
  }
  throw new Error("the cursor never ends");
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  products = await catalogIds(db, accountId);
  await estate("adler-logistik", PEOPLE.adlerManager, "fortigate-vm", { cpu: "2", service: "utp" }, 5, 3);
  await estate("adler-logistik", PEOPLE.adlerManager, "fortisase", { users: 200, tier: "standard" }, 2, 2);
  await estate("baltic-freight-lines", PEOPLE.balticManager, "fortigate-vm", { cpu: "2", service: "utp" }, 4, 1);
  await estate("orchard-health-systems", PEOPLE.owner, "forticlient-ems", { endpoints: 100, service: "epp" }, 3, 3);
});

afterAll(async () => {
  await connection?.close();
});

describe("listEntitlements", () => {
  it("shows an organization its own, an OU its organizations', the account everything", async () => {
    const serials = (page: { rows: EntitlementRow[] }) => page.rows.map((row) => row.serialNumber).sort();
    expect(serials(await listEntitlements(await at(PEOPLE.adlerViewer), { nodeId: await nodeId(db, "adler-logistik") }))).toEqual([...serialsOf["adler-logistik"]!].sort());
    const emea = await listEntitlements(await at(PEOPLE.emeaAdmin), { nodeId: await nodeId(db, "emea") });
    expect(serials(emea)).toEqual([...serialsOf["adler-logistik"]!, ...serialsOf["baltic-freight-lines"]!].sort());
    expect(emea.total).toBe(11);
    expect((await listEntitlements(await at(PEOPLE.owner), { nodeId: accountId })).total).toBe(14);
    expect((await listEntitlements(await at(PEOPLE.americasAdmin), { nodeId: await nodeId(db, "americas") })).total).toBe(3);
  });

  it("leaves out organizations where flex is not in force", async () => {
    const baltic = await nodeId(db, "baltic-freight-lines");
    await db.delete(nodeCapabilities).where(and(eq(nodeCapabilities.nodeId, baltic), eq(nodeCapabilities.capability, "flex")));
    try {
      const emea = await listEntitlements(await at(PEOPLE.emeaAdmin), { nodeId: await nodeId(db, "emea") });
      expect(emea.rows.map((row) => row.organization)).not.toContain("Baltic Freight Lines");
      expect(emea.total).toBe(7);
    } finally {
      await db.insert(nodeCapabilities).values({ accountId, nodeId: baltic, capability: "flex" });
    }
  });

  it("refuses another organization's users and a viewer of no consumption", async () => {
    const adler = await nodeId(db, "adler-logistik");
    await expect(listEntitlements(await at(PEOPLE.balticManager), { nodeId: adler })).rejects.toMatchObject({ code: "not_found" });
    const helpdesk = await at("ethan.brooks@northwind.example");
    await expect(listEntitlements(helpdesk, { nodeId: adler })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("filters by status, configuration, product and part of the serial number", async () => {
    const owner = await at(PEOPLE.owner);
    expect((await listEntitlements(owner, { nodeId: accountId, status: "pending" })).total).toBe(5);
    expect((await listEntitlements(owner, { nodeId: accountId, productId: products["fortigate-vm"] })).total).toBe(9);
    const [sase] = (await listEntitlements(owner, { nodeId: accountId, productId: products.fortisase })).rows;
    expect((await listEntitlements(owner, { nodeId: accountId, configurationId: sase!.configurationId })).total).toBe(2);
    const bySerial = await listEntitlements(owner, { nodeId: accountId, q: "fctems" });
    expect(bySerial.rows.map((row) => row.product)).toEqual(["FortiClient EMS Cloud", "FortiClient EMS Cloud", "FortiClient EMS Cloud"]);
    expect((await listEntitlements(owner, { nodeId: accountId, q: "%" })).total).toBe(0);
  });

  it("sorts by every column both ways, and its cursor pages give the offset pages' rows exactly once", async () => {
    const owner = await at(PEOPLE.owner);
    for (const sort of ENTITLEMENT_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        const all = await listEntitlements(owner, { nodeId: accountId, sort, dir, pageSize: 100 });
        const walked = await walk(owner, { nodeId: accountId, sort, dir, pageSize: 4 });
        expect(walked.map((row) => row.id), `${sort} ${dir}`).toEqual(all.rows.map((row) => row.id));
        const offsetPages = [];
        for (let page = 1; page <= 4; page++) offsetPages.push(...(await listEntitlements(owner, { nodeId: accountId, sort, dir, pageSize: 4, page })).rows);
        expect(offsetPages.map((row) => row.id), `${sort} ${dir} by offset`).toEqual(all.rows.map((row) => row.id));
      }
    }
  });

  it("orders as asked: serials, then start days with pending ones last", async () => {
    const owner = await at(PEOPLE.owner);
    const bySerial = (await listEntitlements(owner, { nodeId: accountId, sort: "serialNumber", dir: "desc" })).rows.map((row) => row.serialNumber);
    expect(bySerial).toEqual([...bySerial].sort().reverse());
    const byStart = (await listEntitlements(owner, { nodeId: accountId, sort: "startDate" })).rows.map((row) => row.startDate);
    expect(byStart.slice(0, 9).every((day) => day !== null)).toBe(true);
    expect(byStart.slice(9)).toEqual([null, null, null, null, null]);
    expect(byStart.slice(0, 9)).toEqual([...byStart.slice(0, 9)].sort());
  });

  it("refuses a cursor it did not give out", async () => {
    const owner = await at(PEOPLE.owner);
    for (const cursor of ["nonsense", Buffer.from('["x","not-an-id"]').toString("base64url")]) {
      const error = await listEntitlements(owner, { nodeId: accountId, cursor }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toBe("The cursor is not one this list gave out.");
    }
  });
});

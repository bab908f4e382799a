import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor } from "@/lib/access/test-support";
import { insertUsage, setTestProgram } from "@/lib/consumption/read-test-support";
import { rebuildRollups } from "@/lib/consumption/rollups";
import type { ServiceContext } from "@/lib/service-context";

// The CSV downloads as a browser asks for them: the route handlers with the signed-in principal's
// context, refusing exactly where the pages refuse and writing nothing but the denial.
const signedIn = vi.hoisted(() => ({ context: null as ServiceContext | null }));
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: async () => signedIn.context }));

const series = await import("./export/series/route");
const top = await import("./export/top-consumers/route");
const entitlementsExport = await import("./entitlements/export/route");
const budgetsExport = await import("./budgets/export/route");
const statement = await import("../billing/export/route");

let connection: DatabaseConnection;
const db = () => connection.db;

beforeAll(async () => {
  connection = await createTestDatabase();
  const { accountId } = await seedDemo(connection.db, { password: "test-password-123" });
  await setTestProgram(connection.db, accountId, { pointPrice: 0.5, billingDay: 1, currency: "EUR" });
  const points = () => 2;
  await insertUsage(connection.db, accountId, [
    { org: "adler-logistik", product: "fw", serial: "ADLER0001", from: "2020-03-01", to: "2020-03-31", points },
    { org: "orchard-health-systems", product: "fw", serial: "ORCHARD0001", from: "2020-03-01", to: "2020-03-31", points },
  ]);
  await rebuildRollups(connection.db, accountId);
});
afterAll(async () => connection?.close());

async function as(email: string | null) {
  signedIn.context = email ? await contextFor(db(), email) : null;
}

type Handler = (request: Request, context: { params: Promise<{ node: string }> }) => Promise<Response>;

function get(handler: { GET: Handler }, slug: string, query = "") {
  return handler.GET(new Request(`http://localhost/t/${slug}/x?${query}`), { params: Promise.resolve({ node: slug }) });
}

/** Asks for the download and checks the refusal: its status, and that it wrote no audit event but denials. */
async function expectRefused(handler: { GET: Handler }, slug: string, query: string, status: number) {
  const since = await lastEventId(db());
  const response = await get(handler, slug, query);
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  expect((await eventsSince(db(), since)).every((event) => event.action.endsWith(".denied"))).toBe(true);
}

const MARCH = "view=day&from=2020-03-01&to=2020-03-31&split=child";

describe("consumption CSV downloads", () => {
  it("give the provider owner every table of the account as CSV", async () => {
    await as("ava.thompson@northwind.example");
    const seriesCsv = await (await get(series, "northwind", MARCH)).text();
    expect(seriesCsv.split("\r\n")[0]).toBe("day,Regions,total_points,budget_points");
    expect(seriesCsv).toContain("2020-03-15,4,4,");
    const topCsv = await (await get(top, "northwind", "from=2020-03-01&to=2020-03-31")).text();
    expect(topCsv).toContain("Adler Logistik,adler-logistik,62,50");
    const response = await get(statement, "northwind", "period=2020-03");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="statement-2020-03-01-2020-03-31.csv"');
    expect(await response.text()).toContain("total,,2 organizations,,124.0000,62.00,EUR");
    expect(await (await get(entitlementsExport, "northwind")).text()).toMatch(/ADLER0001[\s\S]*ORCHARD0001/);
    expect((await get(budgetsExport, "northwind")).status).toBe(200);
  });

  it("give the EMEA admin only EMEA's numbers and refuse the Americas and the statement as if they did not exist", async () => {
    await as("emma.schulz@northwind.example");
    const entitlements = await (await get(entitlementsExport, "emea")).text();
    expect(entitlements).toContain("ADLER0001");
    expect(entitlements).not.toContain("ORCHARD0001");
    await expectRefused(series, "americas", MARCH, 404);
    await expectRefused(top, "orchard-health-systems", "from=2020-03-01&to=2020-03-31", 404);
    await expectRefused(entitlementsExport, "americas", "", 404);
    await expectRefused(budgetsExport, "americas", "", 404);
    await expectRefused(statement, "northwind", "period=2020-03", 404);
  });

  it("refuse the customer viewer another customer and the statement, and a node that does not exist", async () => {
    await as("hannah.weber@adler-logistik.example");
    expect((await get(series, "adler-logistik", MARCH)).status).toBe(200);
    await expectRefused(series, "orchard-health-systems", MARCH, 404);
    await expectRefused(entitlementsExport, "baltic-freight-lines", "", 404);
    await expectRefused(statement, "northwind", "period=2020-03", 404);
    await expectRefused(statement, "adler-logistik", "period=2020-03", 404);
    await expectRefused(series, "no-such-node", MARCH, 404);
  });

  it("refuse an account manager the statement, which needs billing.read", async () => {
    await as("noah.becker@northwind.example");
    await expectRefused(statement, "northwind", "period=2020-03", 403);
  });

  it("answer bad filters with a 400 that says what is wrong, and a signed-out request with a 401", async () => {
    await as("ava.thompson@northwind.example");
    const response = await get(series, "northwind", "view=day&from=2020-03-31&to=2020-03-01");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "The end of the range is before its start." });
    await as(null);
    expect((await get(statement, "northwind", "period=2020-03")).status).toBe(401);
  });
});

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor } from "@/lib/access/test-support";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { fromScaled, toScaled } from "./decimal";
import { rowsOf } from "./rollup-sums";
import { seedReadScenario, setTestProgram } from "./read-test-support";
import { monthlyStatement, statementPeriods } from "./statement";

const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let owner: ServiceContext;

/** Exact sums of decimal texts, written with `scale` decimals. */
function addDecimals(values: string[], scale: number): string {
  return fromScaled(values.reduce((sum, value) => sum + toScaled(value, scale), 0n), scale);
}

/** points × price rounded to the cent, half away from zero, computed apart from the database's round(). */
function priced(points: string, price: string): string {
  const product = toScaled(points, 4) * toScaled(price, 4);
  const magnitude = product < 0n ? -product : product;
  const cents = (magnitude + 500_000n) / 1_000_000n;
  return fromScaled(product < 0n ? -cents : cents, 2);
}

/** The oracle: each organization's own raw usage over [from, to], as exact numeric text. */
async function rawByOrganization(from: string, to: string): Promise<Map<string, string>> {
  const rows = await rowsOf<{ id: string; points: string }>(
    db,
    sql`select node_id::text as id, sum(points)::text as points from usage_daily where account_id = ${accountId} and day between ${from} and ${to} group by node_id`,
  );
  return new Map(rows.map((row) => [row.id, row.points]));
}

async function failure(call: Promise<unknown>): Promise<DomainError> {
  const error = await call.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  owner = await contextFor(db, OWNER);
});

afterAll(async () => {
  await connection?.close();
});

describe("monthly statement", () => {
  it("asks for a program before it can price anything", async () => {
    const error = await failure(monthlyStatement(owner, { period: "2020-03" }));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/point price/);
    await seedReadScenario(db, accountId);
  });

  it("prices each organization's own points for a calendar month, with subtotals and an exact total", async () => {
    await setTestProgram(db, accountId, { pointPrice: 0.1234, billingDay: 1 });
    const statement = await monthlyStatement(owner, { period: "2020-03" });
    expect(statement.period).toEqual({ month: "2020-03", start: "2020-03-01", end: "2020-03-31", open: false });
    expect(statement).toMatchObject({ currency: "EUR", pointPrice: "0.1234" });
    const raw = await rawByOrganization("2020-03-01", "2020-03-31");
    expect(statement.lines).toHaveLength(raw.size);
    for (const line of statement.lines) {
      expect(line.points).toBe(addDecimals([raw.get(line.organizationId)!], 4));
      expect(line.amount).toBe(priced(line.points, "0.1234"));
    }
    expect(statement.lines.map((line) => `${line.parent} / ${line.organization}`)).toEqual([
      "Partners / Fabrikam Partners",
      "Partners / Fabrikam Partners / Greenfield Pharmacy",
      "Regions / Americas / Enterprise / Orchard Health Systems",
      "Regions / EMEA / Enterprise / Adler Logistik",
      "Regions / EMEA / Enterprise / Baltic Freight Lines",
      "Regions / EMEA / SMB / Harbour Lane Dental",
    ]);
    expect(statement.lines.find((line) => line.slug === "fabrikam-partners")).toMatchObject({ points: "31.0000", amount: "3.83" });
    expect(statement.total.points).toBe(addDecimals([...raw.values()], 4));
    expect(statement.total.amount).toBe(addDecimals(statement.lines.map((line) => line.amount), 2));
    expect(addDecimals(statement.subtotals.map((subtotal) => subtotal.amount), 2)).toBe(statement.total.amount);
    expect(statement.subtotals.map((subtotal) => [subtotal.parent, subtotal.organizations])).toEqual([
      ["Partners", 1],
      ["Partners / Fabrikam Partners", 1],
      ["Regions / Americas / Enterprise", 1],
      ["Regions / EMEA / Enterprise", 2],
      ["Regions / EMEA / SMB", 1],
    ]);
  });

  it("follows the billing day across two calendar months", async () => {
    await setTestProgram(db, accountId, { pointPrice: 1.5, billingDay: 15 });
    const statement = await monthlyStatement(owner, { period: "2020-12" });
    expect(statement.period).toMatchObject({ start: "2020-12-15", end: "2021-01-14" });
    const raw = await rawByOrganization("2020-12-15", "2021-01-14");
    expect(statement.total.points).toBe(addDecimals([...raw.values()], 4));
    expect(Object.fromEntries(statement.lines.map((line) => [line.organizationId, line.points]))).toEqual(
      Object.fromEntries([...raw].map(([id, points]) => [id, addDecimals([points], 4)])),
    );
  });

  it("lists the periods that hold usage, newest first", async () => {
    await setTestProgram(db, accountId, { pointPrice: 1.5, billingDay: 1 });
    const ctx = { ...owner, authz: { ...owner.authz, now: new Date("2021-02-20T00:00:00Z") } };
    const { billingDay, periods } = await statementPeriods(ctx);
    expect(billingDay).toBe(1);
    expect(periods.slice(0, 2)).toEqual([
      { month: "2021-02", start: "2021-02-01", end: "2021-02-28", open: true },
      { month: "2021-01", start: "2021-01-01", end: "2021-01-31", open: false },
    ]);
    expect(periods.filter((period) => period.start < "2021-03-01")).toHaveLength(16);
    await setTestProgram(db, accountId, { pointPrice: 1.5, billingDay: 10 });
    const shifted = await statementPeriods(ctx);
    // Usage starts on 20 November 2019: the first period is the one starting on 10 November.
    expect(shifted.periods.at(-1)).toMatchObject({ month: "2019-11", start: "2019-11-10", end: "2019-12-09" });
    expect(shifted.periods[0]).toMatchObject({ month: "2021-02", start: "2021-02-10", open: true });
    expect(shifted.periods[1]).toMatchObject({ month: "2021-01", start: "2021-01-10", open: false });
  });

  it("is for billing.read at the account only", async () => {
    const manager = await failure(monthlyStatement(await contextFor(db, ACCOUNT_MANAGER), { period: "2020-03" }));
    expect(manager.code).toBe("forbidden");
    for (const email of [EMEA_ADMIN, CUSTOMER_VIEWER]) {
      expect((await failure(monthlyStatement(await contextFor(db, email), { period: "2020-03" }))).code).toBe("not_found");
      expect((await failure(statementPeriods(await contextFor(db, email)))).code).toBe("not_found");
    }
  });

  it("refuses a period that is not a month", async () => {
    const error = await failure(monthlyStatement(owner, { period: "March" }));
    expect(error).toMatchObject({ code: "invalid", details: { fieldErrors: { period: ["Use a month as YYYY-MM."] } } });
  });
});

import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { renameNode } from "@/lib/tenants/service";
import { setBudget } from "./budgets";
import { consumptionSeries } from "./dashboard";
import { budgetsCsv, entitlementsCsv, seriesCsv, statementCsv, topConsumersCsv } from "./export";
import { rawPoints, seedReadScenario, setTestProgram } from "./read-test-support";
import { monthlyStatement } from "./statement";
import { topConsumers } from "./top-consumers";

const OWNER = "ava.thompson@northwind.example";
const ACCOUNT_MANAGER = "sofia.martins@northwind.example";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let owner: ServiceContext;

function table(csv: string): string[][] {
  return parse(csv) as string[][];
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  await seedReadScenario(db, accountId);
  await setTestProgram(db, accountId, { pointPrice: 0.1234, billingDay: 1 });
  owner = await contextFor(db, OWNER);
});

afterAll(async () => {
  await connection?.close();
});

describe("CSV exports", () => {
  it("exports the series a column per line, with totals", async () => {
    const input = { nodeId: await nodeId(db, "emea-enterprise"), granularity: "day" as const, from: "2020-03-01", to: "2020-03-03", split: "child" as const };
    const series = await consumptionSeries(owner, input);
    const file = await seriesCsv(owner, input);
    expect(file.filename).toBe("consumption-enterprise-day-2020-03-01-2020-03-03.csv");
    const rows = table(file.csv);
    expect(rows[0]).toEqual(["day", "Adler Logistik", "Baltic Freight Lines", "total_points", "budget_points"]);
    expect(rows.slice(1)).toEqual(series.points.map((point) => [point.period, ...series.lines.map((line) => String(point.values[line.key])), String(point.total), ""]));
  });

  it("exports top consumers in rank order", async () => {
    const input = { nodeId: accountId, from: "2020-03-01", to: "2020-03-31", limit: 3 };
    const result = await topConsumers(owner, input);
    const rows = table((await topConsumersCsv(owner, input)).csv);
    expect(rows).toEqual([
      ["rank", "organization", "slug", "points", "share_percent"],
      ...result.consumers.map((consumer, index) => [String(index + 1), consumer.name, consumer.slug, String(consumer.points), String(consumer.share)]),
    ]);
  });

  it("exports the statement's lines, subtotals and total with exact money", async () => {
    const statement = await monthlyStatement(owner, { period: "2020-03" });
    const file = await statementCsv(owner, { period: "2020-03" });
    expect(file.filename).toBe("statement-2020-03-01-2020-03-31.csv");
    const rows = table(file.csv);
    expect(rows[0]).toEqual(["row", "parent", "organization", "slug", "points", "amount", "currency"]);
    expect(rows.filter((row) => row[0] === "line")).toHaveLength(statement.lines.length);
    expect(rows.filter((row) => row[0] === "subtotal")).toHaveLength(statement.subtotals.length);
    expect(rows.at(-1)).toEqual(["total", "", `${statement.lines.length} organizations`, "", statement.total.points, statement.total.amount, "EUR"]);
    expect(rows[1]).toEqual(["line", "Partners", "Fabrikam Partners", "fabrikam-partners", "31.0000", "3.83", "EUR"]);
  });

  it("exports a node's budgets and the alerts they raised", async () => {
    const adler = await nodeId(db, "adler-logistik");
    await setBudget(owner, { nodeId: adler, month: "2020-03", points: 500 });
    const actual = await rawPoints(db, accountId, (await loadTreeNode(db, accountId, { id: adler }))!.path, "2020-03-01", "2020-03-31");
    const rows = table((await budgetsCsv(owner, { nodeId: adler })).csv);
    expect(rows).toEqual([
      ["month", "budget_points", "actual_points", "percent", "alerts_raised"],
      ["2020-03", "500", String(actual), String(Math.round((actual / 500) * 1000) / 10), "80%"],
    ]);
  });

  it("exports every entitlement the list shows, across pages", async () => {
    const rows = table((await entitlementsCsv(owner, { nodeId: accountId })).csv);
    expect(rows[0]![0]).toBe("serial_number");
    expect(rows.slice(1).map((row) => row[0])).toEqual(["EDR-ADLER-1", "EDR-FABRIKAM-1", "FGT-ADLER-1", "FGT-BALTIC-1", "FGT-GREENFIELD-1", "FGT-HARBOUR-1", "FGT-ORCHARD-1"]);
  });

  it("keeps a name that looks like a formula from running in a spreadsheet", async () => {
    const harbour = await nodeId(db, "harbour-lane-dental");
    await renameNode(owner, { nodeId: harbour, name: "=HYPERLINK(\"http://x\")" });
    const rows = table((await topConsumersCsv(owner, { nodeId: harbour, from: "2020-03-01", to: "2020-03-31" })).csv);
    expect(rows[1]![1]).toBe("'=HYPERLINK(\"http://x\")");
  });

  it("refuses an export to whoever may not read the table", async () => {
    const manager = await contextFor(db, ACCOUNT_MANAGER);
    await expect(statementCsv(manager, { period: "2020-03" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(seriesCsv(owner, { nodeId: accountId, from: "2020-03-05", to: "2020-03-01" })).rejects.toMatchObject({ code: "invalid" });
  });
});

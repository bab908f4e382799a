import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { loadTreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { setBudget } from "./budgets";
import { addDays, eachDay } from "./calendar";
import { consumptionSeries, type ConsumptionSeries } from "./dashboard";
import { consumptionMonthSummary } from "./month-summary";
import { rawPoints, seedReadScenario } from "./read-test-support";
import { topConsumers } from "./top-consumers";

const OWNER = "ava.thompson@northwind.example";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let owner: ServiceContext;

async function pathOf(slug: string): Promise<string> {
  return (await loadTreeNode(db, accountId, { id: await nodeId(db, slug) }))!.path;
}

async function failure(call: Promise<unknown>): Promise<DomainError> {
  const error = await call.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

function sumOf(values: number[]): number {
  return Math.round(values.reduce((sum, value) => sum + value, 0) * 10_000) / 10_000;
}

/** Every point's lines add up to its total: nothing is lost or counted twice by a split. */
function expectLinesAddUp(series: ConsumptionSeries) {
  for (const point of series.points) expect(sumOf(Object.values(point.values))).toBeCloseTo(point.total, 4);
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  await seedReadScenario(db, accountId);
  owner = await contextFor(db, OWNER);
});

afterAll(async () => {
  await connection?.close();
});

describe("consumption series", () => {
  it("gives each day of the range the account's points, equal to a direct sum of raw usage", async () => {
    const from = "2020-02-25";
    const to = "2020-03-05";
    const series = await consumptionSeries(owner, { nodeId: accountId, granularity: "day", from, to });
    expect(series.points.map((point) => point.period)).toEqual(eachDay(from, to));
    const accountPath = await pathOf("northwind");
    for (const point of series.points) expect(point.total).toBeCloseTo(await rawPoints(db, accountId, accountPath, point.period, point.period), 4);
    expect(series.lines).toEqual([{ key: "total", label: "Total", kind: "total", total: sumOf(series.points.map((point) => point.total)) }]);
  });

  it("fills days without usage with zeros", async () => {
    const series = await consumptionSeries(owner, { nodeId: await nodeId(db, "harbour-lane-dental"), granularity: "day", from: "2019-12-30", to: "2020-01-02" });
    expect(series.points.map((point) => point.total)).toEqual([0, 0, 3, 3]);
  });

  it("splits months by product, each month equal to raw usage", async () => {
    const emea = await nodeId(db, "emea");
    const series = await consumptionSeries(owner, { nodeId: emea, granularity: "month", from: "2019-11", to: "2021-02", split: "product" });
    expect(series.points).toHaveLength(16);
    expect(series.lines.map((line) => line.label)).toEqual(["Product fw", "Product edr"]);
    expectLinesAddUp(series);
    const path = await pathOf("emea");
    expect(series.points[4]!.period).toBe("2020-03-01");
    expect(series.points[4]!.total).toBeCloseTo(await rawPoints(db, accountId, path, "2020-03-01", "2020-03-31"), 4);
    expect(series.points[0]!.total).toBeCloseTo(await rawPoints(db, accountId, path, "2019-11-01", "2019-11-30"), 4);
  });

  it("splits by child node, leaving out children without usage", async () => {
    const series = await consumptionSeries(owner, { nodeId: await nodeId(db, "regions"), granularity: "month", from: "2020-01", to: "2020-12", split: "child" });
    expect(series.lines.map((line) => line.label)).toEqual(["EMEA", "Americas"]);
    expectLinesAddUp(series);
    expect(series.lines[0]!.total).toBeCloseTo(await rawPoints(db, accountId, await pathOf("emea"), "2020-01-01", "2020-12-31"), 4);
  });

  it("shows the top children and sums the rest as others", async () => {
    const series = await consumptionSeries(owner, { nodeId: await nodeId(db, "emea-enterprise"), granularity: "day", from: "2020-03-01", to: "2020-03-31", split: "child", top: 1 });
    expect(series.lines.map((line) => [line.label, line.kind])).toEqual([
      ["Adler Logistik", "node"],
      ["Others", "others"],
    ]);
    expectLinesAddUp(series);
    expect(series.lines[1]!.total).toBeCloseTo(await rawPoints(db, accountId, await pathOf("baltic-freight-lines"), "2020-03-01", "2020-03-31"), 4);
  });

  it("shows a reseller's own use beside its customers", async () => {
    const series = await consumptionSeries(owner, { nodeId: await nodeId(db, "fabrikam-partners"), granularity: "month", from: "2020-03", to: "2020-03", split: "child" });
    expect(series.lines.map((line) => [line.label, line.total])).toEqual([
      ["Greenfield Pharmacy", 62.0031],
      ["Own use", 31],
    ]);
  });

  it("draws the node's budget on monthly views", async () => {
    const adler = await nodeId(db, "adler-logistik");
    await setBudget(owner, { nodeId: adler, month: "2020-06", points: 9000 });
    const series = await consumptionSeries(owner, { nodeId: adler, granularity: "month", from: "2020-05", to: "2020-07" });
    expect(series.points.map((point) => point.budget)).toEqual([null, 9000, null]);
  });

  it("refuses reversed, overlong and impossible ranges with a clear message", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ from: "2020-03-10", to: "2020-03-01" }, "to", /before its start/],
      [{ from: "2019-01-01", to: "2021-01-02" }, "to", /at most 731 days/],
      [{ from: "2020-02-30", to: "2020-03-01" }, "from", /calendar date/],
      [{ granularity: "month", from: "2018-01", to: "2021-01" }, "to", /at most 36 months/],
      [{ granularity: "month", from: "2020-13", to: "2021-01" }, "from", /YYYY-MM/],
      [{ from: "2020-01-01", to: "2020-01-02", split: "region" }, "split", /total, child or product/],
      [{ from: "2020-01-01", to: "2020-01-02", split: "child", top: 50 }, "top", /at most 20/],
    ];
    for (const [input, field, message] of cases) {
      const error = await failure(consumptionSeries(owner, { nodeId: accountId, from: "", to: "", ...input }));
      expect(error.code).toBe("invalid");
      expect(error.details.fieldErrors?.[field]?.[0], JSON.stringify(input)).toMatch(message);
    }
  });

  it("accepts a range of exactly two years of days", async () => {
    const series = await consumptionSeries(owner, { nodeId: accountId, from: "2019-06-01", to: addDays("2019-06-01", 730) });
    expect(series.points).toHaveLength(731);
  });
});

describe("top consumers", () => {
  it("ranks the subtree's organizations by their own points, a reseller without its customers", async () => {
    const result = await topConsumers(owner, { nodeId: accountId, from: "2020-03-01", to: "2020-03-31", limit: 10 });
    expect(result.consumers.map((consumer) => consumer.slug)).toEqual([
      "adler-logistik",
      "orchard-health-systems",
      "baltic-freight-lines",
      "harbour-lane-dental",
      "greenfield-pharmacy",
      "fabrikam-partners",
    ]);
    expect(result.consumers.find((consumer) => consumer.slug === "fabrikam-partners")!.points).toBe(31);
    expect(result.total).toBeCloseTo(await rawPoints(db, accountId, await pathOf("northwind"), "2020-03-01", "2020-03-31"), 4);
    expect(sumOf(result.consumers.map((consumer) => consumer.points))).toBeCloseTo(result.total, 4);
    expect(sumOf(result.consumers.map((consumer) => consumer.share))).toBeCloseTo(100, 1);
  });

  it("counts ranges that add days to whole months and ranges that take days off them alike", async () => {
    for (const [from, to] of [
      ["2020-01-17", "2020-04-09"],
      ["2020-01-03", "2020-04-27"],
      ["2020-02-02", "2020-02-27"],
    ] as const) {
      const result = await topConsumers(owner, { nodeId: await nodeId(db, "emea-enterprise"), from, to, limit: 1 });
      expect(result.consumers).toHaveLength(1);
      expect(result.consumers[0]!.points).toBeCloseTo(await rawPoints(db, accountId, await pathOf("adler-logistik"), from, to), 4);
      expect(result.total).toBeCloseTo(await rawPoints(db, accountId, await pathOf("emea-enterprise"), from, to), 4);
    }
  });
});

describe("month summary", () => {
  it("forecasts the month end from the average of the last seven days with usage", async () => {
    const adler = await nodeId(db, "adler-logistik");
    // Usage runs to 10 February 2021: on the 12th, that is the latest day, and 18 days are left.
    const ctx = { ...owner, authz: { ...owner.authz, now: new Date("2021-02-12T09:00:00Z") } };
    const summary = await consumptionMonthSummary(ctx, { nodeId: adler });
    const path = await pathOf("adler-logistik");
    const actual = await rawPoints(db, accountId, path, "2021-02-01", "2021-02-28");
    const week = await rawPoints(db, accountId, path, "2021-02-04", "2021-02-10");
    expect(summary.month).toBe("2021-02-01");
    expect(summary.throughDay).toBe("2021-02-10");
    expect(summary.actual).toBeCloseTo(actual, 4);
    expect(summary.forecast.remainingDays).toBe(18);
    expect(summary.forecast.dailyAverage).toBeCloseTo(week / 7, 4);
    expect(summary.forecast.points).toBeCloseTo(actual + (week / 7) * 18, 3);
    expect(summary.budget).toBeNull();
  });

  it("forecasts a month without usage yet from the last week of the month before", async () => {
    const ctx = { ...owner, authz: { ...owner.authz, now: new Date("2021-03-01T00:30:00Z") } };
    const summary = await consumptionMonthSummary(ctx, { nodeId: await nodeId(db, "harbour-lane-dental") });
    expect(summary).toMatchObject({ actual: 0, throughDay: null, forecast: { remainingDays: 31 } });
    // Three points a day until 10 February, none after: nothing in the last week of February.
    expect(summary.forecast.points).toBe(0);
  });

  it("compares the month with its budget", async () => {
    const harbour = await nodeId(db, "harbour-lane-dental");
    await setBudget(owner, { nodeId: harbour, month: "2020-04", points: 100 });
    const ctx = { ...owner, authz: { ...owner.authz, now: new Date("2020-04-10T12:00:00Z") } };
    const summary = await consumptionMonthSummary(ctx, { nodeId: harbour });
    expect(summary).toMatchObject({ actual: 90, budget: { points: 100, version: 1 }, percentOfBudget: 90, forecastPercentOfBudget: 90 });
  });
});

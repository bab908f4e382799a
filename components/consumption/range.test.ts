import { describe, expect, it } from "vitest";
import { dashboardView, quickRanges, viewDays, viewQuery } from "./range";

const TODAY = "2026-03-15";

describe("dashboardView", () => {
  it("shows the last 30 days by child node, by product type at an organization, when the URL says nothing", () => {
    expect(dashboardView({}, TODAY, "group")).toEqual({ granularity: "day", from: "2026-02-14", to: "2026-03-15", split: "child" });
    expect(dashboardView({}, TODAY, "organization").split).toBe("product");
  });

  it("shows the last 12 months by month", () => {
    expect(dashboardView({ view: "month" }, TODAY, "account")).toMatchObject({ granularity: "month", from: "2025-04", to: "2026-03" });
  });

  it("takes months typed into a daily view as their first and last days, and days in a monthly view as their months", () => {
    expect(dashboardView({ view: "day", from: "2024-02", to: "2024-02" }, TODAY, "group")).toMatchObject({ from: "2024-02-01", to: "2024-02-29" });
    expect(dashboardView({ view: "month", from: "2024-02-10", to: "2024-05-31" }, TODAY, "group")).toMatchObject({ from: "2024-02", to: "2024-05" });
  });

  it("passes anything else on as written, for the service to explain", () => {
    expect(dashboardView({ from: "last tuesday", to: "2026-13-01", split: "sideways" }, TODAY, "group")).toEqual({ granularity: "day", from: "last tuesday", to: "2026-13-01", split: "child" });
  });
});

describe("viewDays and viewQuery", () => {
  it("cover whole months for a monthly view", () => {
    expect(viewDays({ granularity: "month", from: "2025-11", to: "2026-02", split: "child" })).toEqual({ from: "2025-11-01", to: "2026-02-28" });
  });

  it("write the view back into the URL with changes applied", () => {
    expect(viewQuery({ granularity: "day", from: "2026-03-01", to: "2026-03-15", split: "child" }, { split: "product" })).toBe("view=day&from=2026-03-01&to=2026-03-15&split=product");
  });
});

describe("quickRanges", () => {
  it("offers this month from its first day to today", () => {
    expect(quickRanges(TODAY).find((range) => range.label === "This month")).toEqual({ label: "This month", granularity: "day", from: "2026-03-01", to: TODAY });
  });
});

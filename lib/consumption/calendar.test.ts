import { describe, expect, it } from "vitest";
import { addMonths, billingPeriod, billingPeriodContaining, daysBetween, eachMonth, isCalendarDay, lastDayOfMonth, splitRange } from "./calendar";

describe("calendar days", () => {
  it("knows real days from impossible ones", () => {
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2023-02-29")).toBe(false);
    expect(isCalendarDay("2023-13-01")).toBe(false);
    expect(isCalendarDay("2023-1-01")).toBe(false);
  });

  it("counts months and days across year ends and leap years", () => {
    expect(addMonths("2023-11-30", 3)).toBe("2024-02-01");
    expect(addMonths("2024-01-15", -1)).toBe("2023-12-01");
    expect(lastDayOfMonth("2024-02-10")).toBe("2024-02-29");
    expect(daysBetween("2023-12-30", "2024-01-02")).toBe(4);
    expect(daysBetween("2024-01-02", "2023-12-30")).toBe(0);
    expect(eachMonth("2023-11-15", "2024-02-01")).toEqual(["2023-11-01", "2023-12-01", "2024-01-01", "2024-02-01"]);
  });

  it("cuts a range into whole months and the days at either end", () => {
    expect(splitRange("2024-01-17", "2024-04-09")).toEqual({
      months: { from: "2024-02-01", to: "2024-03-01" },
      days: [
        { from: "2024-01-17", to: "2024-01-31" },
        { from: "2024-04-01", to: "2024-04-09" },
      ],
    });
    expect(splitRange("2024-02-01", "2024-02-29")).toEqual({ months: { from: "2024-02-01", to: "2024-02-01" }, days: [] });
    expect(splitRange("2024-02-02", "2024-02-28")).toEqual({ months: null, days: [{ from: "2024-02-02", to: "2024-02-28" }] });
    expect(splitRange("2024-01-31", "2024-02-01")).toEqual({ months: null, days: [{ from: "2024-01-31", to: "2024-02-01" }] });
  });

  it("finds billing periods from the billing day", () => {
    expect(billingPeriod("2024-01-01", 1)).toEqual({ start: "2024-01-01", end: "2024-01-31" });
    expect(billingPeriod("2024-01-01", 15)).toEqual({ start: "2024-01-15", end: "2024-02-14" });
    expect(billingPeriod("2023-12-01", 28)).toEqual({ start: "2023-12-28", end: "2024-01-27" });
    expect(billingPeriodContaining("2024-03-10", 15)).toBe("2024-02-15");
    expect(billingPeriodContaining("2024-03-15", 15)).toBe("2024-03-15");
  });
});

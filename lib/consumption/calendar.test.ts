import { describe, expect, it } from "vitest";
import { addMonths, billingPeriod, billingPeriodContaining, daysBetween, eachDay, eachMonth, isCalendarDay, lastDayOfMonth, splitRange } from "./calendar";

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

  it("reads a range as whole months and the fewest days to add or take off", () => {
    expect(splitRange("2024-01-17", "2024-04-09")).toEqual({
      months: { from: "2024-02-01", to: "2024-03-01" },
      add: [
        { from: "2024-01-17", to: "2024-01-31" },
        { from: "2024-04-01", to: "2024-04-09" },
      ],
      subtract: [],
    });
    expect(splitRange("2024-01-03", "2024-04-27")).toEqual({
      months: { from: "2024-01-01", to: "2024-04-01" },
      add: [],
      subtract: [
        { from: "2024-01-01", to: "2024-01-02" },
        { from: "2024-04-28", to: "2024-04-30" },
      ],
    });
    expect(splitRange("2024-02-01", "2024-02-29")).toEqual({ months: { from: "2024-02-01", to: "2024-02-01" }, add: [], subtract: [] });
    expect(splitRange("2024-02-02", "2024-02-28")).toEqual({
      months: { from: "2024-02-01", to: "2024-02-01" },
      add: [],
      subtract: [
        { from: "2024-02-01", to: "2024-02-01" },
        { from: "2024-02-29", to: "2024-02-29" },
      ],
    });
    expect(splitRange("2024-01-31", "2024-02-01")).toEqual({
      months: null,
      add: [
        { from: "2024-01-31", to: "2024-01-31" },
        { from: "2024-02-01", to: "2024-02-01" },
      ],
      subtract: [],
    });
  });

  it("covers every day of a range exactly once", () => {
    const cases = [
      ["2023-12-17", "2024-03-02"],
      ["2024-02-10", "2024-02-20"],
      ["2024-01-01", "2025-12-31"],
      ["2024-05-31", "2024-05-31"],
    ] as const;
    for (const [from, to] of cases) {
      const count = new Map<string, number>();
      const bump = (days: string[], by: number) => days.forEach((day) => count.set(day, (count.get(day) ?? 0) + by));
      const parts = splitRange(from, to);
      if (parts.months) for (const month of eachMonth(parts.months.from, parts.months.to)) bump(eachDay(month, lastDayOfMonth(month)), 1);
      for (const range of parts.add) bump(eachDay(range.from, range.to), 1);
      for (const range of parts.subtract) bump(eachDay(range.from, range.to), -1);
      const covered = [...count].filter(([, times]) => times !== 0);
      expect(covered.every(([, times]) => times === 1)).toBe(true);
      expect(covered.map(([day]) => day).sort()).toEqual(eachDay(from, to));
    }
  });

  it("finds billing periods from the billing day", () => {
    expect(billingPeriod("2024-01-01", 1)).toEqual({ start: "2024-01-01", end: "2024-01-31" });
    expect(billingPeriod("2024-01-01", 15)).toEqual({ start: "2024-01-15", end: "2024-02-14" });
    expect(billingPeriod("2023-12-01", 28)).toEqual({ start: "2023-12-28", end: "2024-01-27" });
    expect(billingPeriodContaining("2024-03-10", 15)).toBe("2024-02-15");
    expect(billingPeriodContaining("2024-03-15", 15)).toBe("2024-03-15");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromScaled, toScaled } from "./decimal";

describe("exact decimals", () => {
  it("reads numeric text as scaled integers and writes them back", () => {
    expect(toScaled("12.3400", 4)).toBe(123400n);
    expect(toScaled("12.34", 4)).toBe(123400n);
    expect(toScaled("-0.05", 2)).toBe(-5n);
    expect(toScaled("7", 2)).toBe(700n);
    expect(fromScaled(123400n, 4)).toBe("12.3400");
    expect(fromScaled(-5n, 2)).toBe("-0.05");
    expect(fromScaled(0n, 2)).toBe("0.00");
  });

  it("adds money without float drift", () => {
    const tenths = Array.from({ length: 10 }, () => toScaled("0.1", 2)).reduce((sum, value) => sum + value, 0n);
    expect(fromScaled(tenths, 2)).toBe("1.00");
  });

  it("refuses a value with more decimals than the scale, and text that is not a decimal", () => {
    expect(() => toScaled("0.123", 2)).toThrow(/more than 2 decimals/);
    expect(toScaled("0.1200", 2)).toBe(12n);
    expect(() => toScaled("1e5", 2)).toThrow(/not a decimal/);
  });

  it("round-trips any amount of cents", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (cents) => {
        expect(toScaled(fromScaled(cents, 2), 2)).toBe(cents);
      }),
    );
  });
});

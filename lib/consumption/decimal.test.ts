import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDecimals, multiplyDecimal } from "./decimal";

describe("exact decimals", () => {
  it("adds numeric texts without float drift", () => {
    expect(addDecimals(Array.from({ length: 10 }, () => "0.1"), 2)).toBe("1.00");
    expect(addDecimals(["1.0005", "2.1", "-0.0005"], 4)).toBe("3.1000");
    expect(addDecimals([], 2)).toBe("0.00");
    expect(addDecimals(["-0.25", "0.05"], 2)).toBe("-0.20");
  });

  it("multiplies and rounds half away from zero, as PostgreSQL's round does", () => {
    expect(multiplyDecimal("12.3450", "1.0000", 2)).toBe("12.35");
    expect(multiplyDecimal("0.0050", "1", 2)).toBe("0.01");
    expect(multiplyDecimal("-0.0050", "1", 2)).toBe("-0.01");
    expect(multiplyDecimal("403.0000", "0.1234", 2)).toBe("49.73");
    expect(multiplyDecimal("3", "2", 2)).toBe("6.00");
  });

  it("refuses a value with more decimals than the scale", () => {
    expect(() => addDecimals(["0.123"], 2)).toThrow(/more than 2 decimals/);
    expect(() => addDecimals(["1e5"], 2)).toThrow(/not a decimal/);
  });

  it("agrees with integer arithmetic on random amounts", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 50 }), (cents) => {
        const texts = cents.map((value) => `${value < 0 ? "-" : ""}${Math.floor(Math.abs(value) / 100)}.${String(Math.abs(value) % 100).padStart(2, "0")}`);
        const total = cents.reduce((sum, value) => sum + BigInt(value), 0n);
        const expected = `${total < 0n ? "-" : ""}${(total < 0n ? -total : total) / 100n}.${String((total < 0n ? -total : total) % 100n).padStart(2, "0")}`;
        expect(addDecimals(texts, 2)).toBe(expected);
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { DEFAULT_CATALOG } from "./default-catalog";
import { pointsPerDay } from "./price-table";
import { priceTable, type PriceTable } from "./schemas";

const table = (key: string): PriceTable => priceTable.parse(DEFAULT_CATALOG.find((product) => product.key === key)!.priceTable);

function refusal(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a refusal");
}

describe("pointsPerDay", () => {
  it("adds the choices' points and multiplies by their factors", () => {
    expect(pointsPerDay(table("fortigate-vm"), { cpu: "4", service: "utp" })).toEqual({ points: 6.4, parameters: { cpu: "4", service: "utp" } });
    expect(pointsPerDay(table("fortigate-vm"), { cpu: "1", service: "fc" }).points).toBe(1);
    expect(pointsPerDay(table("fortiweb-vm"), { cpu: "2", service: "adv" }).points).toBe(4.5);
  });

  it("counts quantities by the unit on top of the base, and stores them as numbers", () => {
    // 1 + 100 GB × 0.02 + 3 ADOMs × 0.1
    expect(pointsPerDay(table("fortianalyzer-vm"), { storage_gb: "100", adoms: 3 })).toEqual({ points: 3.3, parameters: { storage_gb: 100, adoms: 3 } });
  });

  it("rounds to four decimals", () => {
    const custom = priceTable.parse({
      serialPrefix: "TEST",
      parameters: [
        { kind: "quantity", key: "seats", label: "Seats", unit: "seats", min: 0, max: 10, pointsPerUnit: 0.3333 },
        { kind: "choice", key: "tier", label: "Tier", choices: [{ value: "x", label: "X", factor: 1.1 }] },
      ],
    });
    expect(pointsPerDay(custom, { seats: 3, tier: "x" }).points).toBe(1.0999);
  });

  it("names every missing parameter", () => {
    const error = refusal(() => pointsPerDay(table("fortigate-vm"), {}));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Choose vCPUs.");
    expect(error.details.fieldErrors).toEqual({ "parameters.cpu": ["Choose vCPUs."], "parameters.service": ["Choose Service bundle."] });
  });

  it("lists the choices when a value is not one of them", () => {
    const error = refusal(() => pointsPerDay(table("fortigate-vm"), { cpu: "3", service: "fc" }));
    expect(error.message).toBe("vCPUs must be one of 1, 2, 4, 8, 16, 32.");
  });

  it("refuses a quantity out of range, off its step, fractional or not a number", () => {
    const faz = table("fortianalyzer-vm");
    const message = "Daily log storage must be a whole number of GB from 5 to 8300 in steps of 5.";
    for (const storage of ["4", "8305", "7", "10.5", "ten", -5, 12.5]) {
      expect(refusal(() => pointsPerDay(faz, { storage_gb: storage, adoms: 0 })).details.fieldErrors).toEqual({ "parameters.storage_gb": [message] });
    }
  });

  it("refuses a parameter the product does not have", () => {
    const error = refusal(() => pointsPerDay(table("fortigate-vm"), { cpu: "2", service: "fc", vdoms: 5 }));
    expect(error.details.fieldErrors).toEqual({ "parameters.vdoms": ['This product has no parameter "vdoms".'] });
  });
});

describe("the price table schema", () => {
  it("accepts every product of the default catalog", () => {
    for (const product of DEFAULT_CATALOG) expect(priceTable.safeParse(product.priceTable).success, product.key).toBe(true);
  });

  it("refuses duplicate parameters or choices, an empty choice list, an inverted range and negative points", () => {
    const choice = (value: string) => ({ value, label: value, points: 1 });
    const bad = [
      { serialPrefix: "TEST", parameters: [{ kind: "choice", key: "a", label: "A", choices: [choice("1")] }, { kind: "choice", key: "a", label: "A", choices: [choice("1")] }] },
      { serialPrefix: "TEST", parameters: [{ kind: "choice", key: "a", label: "A", choices: [choice("1"), choice("1")] }] },
      { serialPrefix: "TEST", parameters: [{ kind: "choice", key: "a", label: "A", choices: [] }] },
      { serialPrefix: "TEST", parameters: [{ kind: "quantity", key: "q", label: "Q", unit: "u", min: 5, max: 1, pointsPerUnit: 1 }] },
      { serialPrefix: "TEST", parameters: [{ kind: "choice", key: "a", label: "A", choices: [{ value: "1", label: "1", points: -1 }] }] },
      { serialPrefix: "lower", parameters: [] },
    ];
    for (const table of bad) expect(priceTable.safeParse(table).success, JSON.stringify(table)).toBe(false);
  });
});

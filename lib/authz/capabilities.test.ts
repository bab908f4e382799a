import { describe, expect, it } from "vitest";
import { effectiveCapabilities, type CapabilitySetting } from "./capabilities";

const NOW = new Date("2026-06-01T00:00:00Z");
const LATER = new Date("2026-09-01T00:00:00Z");
const SOONER = new Date("2026-07-01T00:00:00Z");
const PAST = new Date("2026-01-01T00:00:00Z");

const set = (capability: CapabilitySetting["capability"], expiresAt: Date | null = null): CapabilitySetting => ({ capability, expiresAt });
const names = (path: CapabilitySetting[][]) => effectiveCapabilities(path, NOW).map((entry) => entry.capability).sort();

describe("effective capabilities (SPEC §6)", () => {
  it("keeps what every node on the path has", () => {
    expect(names([[set("flex"), set("assets")], [set("flex"), set("assets")], [set("flex")]])).toEqual(["flex"]);
  });

  it("drops a capability that a node in the middle lacks, even if the node itself has it", () => {
    expect(names([[set("assets")], [], [set("assets")]])).toEqual([]);
  });

  it("drops a capability expired anywhere on the path", () => {
    expect(names([[set("flex", PAST)], [set("flex")]])).toEqual([]);
    expect(names([[set("flex")], [set("flex", PAST)]])).toEqual([]);
  });

  it("gives the earliest expiry on the path", () => {
    expect(effectiveCapabilities([[set("flex", LATER)], [set("flex", SOONER)], [set("flex")]], NOW)).toEqual([{ capability: "flex", expiresAt: SOONER }]);
  });

  it("counts reseller when the account and the organization have it, whatever groups lie between", () => {
    expect(names([[set("reseller")], [], [set("reseller")]])).toEqual(["reseller"]);
    expect(names([[], [], [set("reseller")]])).toEqual([]);
    expect(names([[set("reseller")], [], []])).toEqual([]);
    expect(names([[set("reseller", PAST)], [], [set("reseller")]])).toEqual([]);
  });

  it("has nothing for an empty path", () => {
    expect(effectiveCapabilities([], NOW)).toEqual([]);
  });
});

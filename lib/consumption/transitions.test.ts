import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { ENTITLEMENT_TRANSITIONS, nextStatus, type EntitlementStatusName, type EntitlementTransition } from "./transitions";

const STATUSES: EntitlementStatusName[] = ["pending", "active", "stopped", "expired"];
const LEGAL: Record<EntitlementStatusName, Partial<Record<EntitlementTransition, EntitlementStatusName>>> = {
  pending: { activate: "active", expire: "expired" },
  active: { stop: "stopped", expire: "expired" },
  stopped: { reactivate: "active", expire: "expired" },
  expired: {},
};

describe("the entitlement lifecycle", () => {
  for (const status of STATUSES) {
    for (const transition of Object.keys(ENTITLEMENT_TRANSITIONS) as EntitlementTransition[]) {
      const expected = LEGAL[status][transition];
      if (expected) {
        it(`${transition} leads from ${status} to ${expected}`, () => {
          expect(nextStatus(status, transition)).toBe(expected);
        });
      } else {
        it(`refuses to ${transition} an entitlement that is ${status}`, () => {
          let caught: unknown;
          try {
            nextStatus(status, transition);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe("invalid");
          expect((caught as DomainError).message).toMatch(new RegExp(`^Cannot ${transition} an entitlement that is ${status}: `));
        });
      }
    }
  }

  it("has expired as its only final status", () => {
    const reachableFrom = (status: EntitlementStatusName) => Object.values(ENTITLEMENT_TRANSITIONS).filter((rule) => (rule.from as readonly string[]).includes(status));
    expect(STATUSES.filter((status) => reachableFrom(status).length === 0)).toEqual(["expired"]);
  });
});

import { DomainError } from "@/lib/errors";

export type EntitlementStatusName = "pending" | "active" | "stopped" | "expired";

/** The entitlement lifecycle: each transition, the statuses it leaves from and the one it reaches. Expired is final. */
export const ENTITLEMENT_TRANSITIONS = {
  activate: { from: ["pending"], to: "active" },
  stop: { from: ["active"], to: "stopped" },
  reactivate: { from: ["stopped"], to: "active" },
  expire: { from: ["pending", "active", "stopped"], to: "expired" },
} as const satisfies Record<string, { from: readonly EntitlementStatusName[]; to: EntitlementStatusName }>;

export type EntitlementTransition = keyof typeof ENTITLEMENT_TRANSITIONS;

const ADVICE: Record<EntitlementStatusName, string> = {
  pending: "a pending entitlement can be activated or expired",
  active: "an active entitlement can be stopped or expired",
  stopped: "a stopped entitlement can be reactivated or expired",
  expired: "an expired entitlement is final",
};

/** The status `transition` leads to from `current`; an illegal transition is a clear "invalid" error. */
export function nextStatus(current: EntitlementStatusName, transition: EntitlementTransition): EntitlementStatusName {
  const rule = ENTITLEMENT_TRANSITIONS[transition];
  if ((rule.from as readonly EntitlementStatusName[]).includes(current)) return rule.to;
  throw new DomainError("invalid", `Cannot ${transition} an entitlement that is ${current}: ${ADVICE[current]}.`);
}

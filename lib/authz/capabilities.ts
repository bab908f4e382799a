import type { Capability } from "./catalog";

/** A capability as set on one node. */
export interface CapabilitySetting {
  capability: Capability;
  expiresAt: Date | null;
}

/** A capability a node effectively has, with the earliest expiry on its path. */
export interface EffectiveCapability {
  capability: Capability;
  expiresAt: Date | null;
}

/**
 * Effective capabilities from the settings of every node on the path, top-down (one array per node):
 * a capability counts only if every node on the path has it unexpired; its expiry is the earliest.
 * `reseller` is the exception: only the account gives it, straight to an organization, so it counts
 * when both the account and the node itself have it, whatever lies between.
 */
export function effectiveCapabilities(settingsByPathNode: readonly (readonly CapabilitySetting[])[], now: Date): EffectiveCapability[] {
  if (settingsByPathNode.length === 0) return [];
  const inForce = (settings: readonly CapabilitySetting[], capability: Capability) =>
    settings.find((setting) => setting.capability === capability && (setting.expiresAt === null || setting.expiresAt > now));
  let effective = new Map<Capability, Date | null>();
  settingsByPathNode.forEach((settings, index) => {
    const next = new Map<Capability, Date | null>();
    for (const setting of settings) {
      if (setting.capability === "reseller" || !inForce([setting], setting.capability)) continue;
      if (index > 0 && !effective.has(setting.capability)) continue;
      next.set(setting.capability, earliest(effective.get(setting.capability) ?? null, setting.expiresAt));
    }
    effective = next;
  });
  const fromAccount = inForce(settingsByPathNode[0]!, "reseller");
  const onNode = inForce(settingsByPathNode[settingsByPathNode.length - 1]!, "reseller");
  if (fromAccount && onNode) effective.set("reseller", earliest(fromAccount.expiresAt, onNode.expiresAt));
  return [...effective].map(([capability, expiresAt]) => ({ capability, expiresAt }));
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

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
 */
export function effectiveCapabilities(settingsByPathNode: readonly (readonly CapabilitySetting[])[], now: Date): EffectiveCapability[] {
  if (settingsByPathNode.length === 0) return [];
  let effective = new Map<Capability, Date | null>();
  settingsByPathNode.forEach((settings, index) => {
    const next = new Map<Capability, Date | null>();
    for (const setting of settings) {
      if (setting.expiresAt !== null && setting.expiresAt <= now) continue;
      if (index > 0 && !effective.has(setting.capability)) continue;
      next.set(setting.capability, earliest(effective.get(setting.capability) ?? null, setting.expiresAt));
    }
    effective = next;
  });
  return [...effective].map(([capability, expiresAt]) => ({ capability, expiresAt }));
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

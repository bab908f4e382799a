import { randomUUID } from "node:crypto";
import type { CapabilitySetting } from "@/lib/authz/capabilities";
import type { Capability } from "@/lib/authz/catalog";
import type { NodeKind } from "@/db/schema";
import type { Random } from "./random";

export interface GenNode {
  id: string;
  parent: number; // index into the node array, -1 for the account
  kind: NodeKind;
  depth: number;
  path: string;
  slug: string;
  name: string;
  tags: string[];
  reseller: boolean;
  /** Capabilities set on this node (what node_capabilities holds). */
  settings: CapabilitySetting[];
  /** Capabilities in force here at the benchmark's `now`: set and unexpired on every node of the path. */
  effective: ReadonlySet<Capability>;
}

const DAY = 86_400_000;
const GROUP_SHARE = 0.06;
const MAX_GROUP_DEPTH = 4; // organizations go one below, reseller children two: depth ≤ 6
const RESELLER_SHARE = 0.02;
const RESELLER_CHILD_SHARE = 0.1;
const TAGS = ["tier:gold", "tier:silver", "region:eu", "region:us", "region:apac"];

/**
 * Nodes in insertion order (every parent before its children): one account, nested groups, then
 * organizations under groups, then child organizations under reseller organizations.
 */
export function generateTree(total: number, random: Random, now: Date): GenNode[] {
  const nodes: GenNode[] = [];
  const add = (parent: number, kind: NodeKind, reseller = false): number => {
    nodes.push(makeNode(nodes, parent, kind, reseller, random, now));
    return nodes.length - 1;
  };
  add(-1, "account");
  const groupCount = Math.max(1, Math.round(total * GROUP_SHARE));
  const groupParents = [0]; // nodes that may hold another group
  const groups: number[] = [];
  for (let i = 0; i < groupCount && nodes.length < total; i++) {
    // The first dozen groups are top-level regions; later ones nest under any shallow group.
    const parent = i < 12 ? 0 : random.pick(groupParents);
    const index = add(parent, "group");
    groups.push(index);
    if (nodes[index]!.depth < MAX_GROUP_DEPTH) groupParents.push(index);
  }
  const remaining = total - nodes.length;
  const childOrgs = Math.round(remaining * RESELLER_CHILD_SHARE);
  const resellers: number[] = [];
  for (let i = 0; i < remaining - childOrgs; i++) {
    const parent = random.chance(0.02) ? 0 : random.pick(groups);
    const reseller = random.chance(RESELLER_SHARE) || (resellers.length === 0 && childOrgs > 0);
    const index = add(parent, "organization", reseller);
    if (reseller) resellers.push(index);
  }
  for (let i = 0; i < childOrgs && resellers.length > 0; i++) add(random.pick(resellers), "organization");
  return nodes;
}

function makeNode(nodes: GenNode[], parentIndex: number, kind: NodeKind, reseller: boolean, random: Random, now: Date): GenNode {
  const parent = parentIndex >= 0 ? nodes[parentIndex]! : null;
  const id = randomUUID();
  const index = nodes.length;
  const settings = capabilitySettings(kind, reseller, random, now);
  return {
    id,
    parent: parentIndex,
    kind,
    depth: parent ? parent.depth + 1 : 0,
    path: `${parent?.path ?? ""}${id}/`,
    slug: `${kind === "organization" ? "org" : kind}-${index}`,
    name: `${kind === "organization" ? "Organization" : kind === "group" ? "Group" : "Account"} ${index}`,
    tags: random.chance(0.2) ? [random.pick(TAGS)] : [],
    reseller,
    settings,
    effective: effectiveHere(parent?.effective ?? null, settings, now),
  };
}

function capabilitySettings(kind: NodeKind, reseller: boolean, random: Random, now: Date): CapabilitySetting[] {
  if (kind === "account") {
    return (["flex", "assets", "policies", "sso", "api"] as const).map((capability) => ({ capability, expiresAt: null }));
  }
  const odds: [Capability, number][] = [["flex", 0.92], ["assets", 0.92], ["policies", 0.9], ["sso", 0.6], ["api", 0.5]];
  const settings: CapabilitySetting[] = [];
  for (const [capability, probability] of odds) {
    if (!random.chance(probability)) continue;
    // A few settings have lapsed and a few run out later, so expiry is part of the decisions.
    const roll = random.next();
    const expiresAt = roll < 0.03 ? new Date(now.getTime() - (1 + random.int(60)) * DAY) : roll < 0.08 ? new Date(now.getTime() + (1 + random.int(365)) * DAY) : null;
    settings.push({ capability, expiresAt });
  }
  if (reseller) settings.push({ capability: "reseller", expiresAt: null });
  return settings;
}

/** Same rule as lib/authz/capabilities: a capability counts only if every node on the path has it unexpired. */
function effectiveHere(parent: ReadonlySet<Capability> | null, settings: readonly CapabilitySetting[], now: Date): ReadonlySet<Capability> {
  const here = new Set<Capability>();
  for (const setting of settings) {
    if (setting.expiresAt !== null && setting.expiresAt <= now) continue;
    if (parent === null || parent.has(setting.capability)) here.add(setting.capability);
  }
  return here;
}

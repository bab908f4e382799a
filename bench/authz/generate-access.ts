import { randomUUID } from "node:crypto";
import type { GenNode } from "./generate-tree";
import type { Random } from "./random";

export type RoleKey = "owner" | "manager" | "viewer" | "auditor";
export type PrincipalStatus = "invited" | "active" | "disabled";

export interface GenPrincipal {
  id: string;
  home: number; // node index
  status: PrincipalStatus;
  email: string;
  name: string;
}

export interface GenAssignment {
  id: string;
  principal: number;
  node: number;
  role: RoleKey;
  expiresAt: Date | null;
  source: "direct" | "invitation" | "idp";
}

const DAY = 86_400_000;
const PROVIDER_SHARE = 0.55;
const OWNER_SHARE = 0.0001;
// Skew of assignments over provider principals: the busiest holds ~100 of 1M, most hold a handful.
const SKEW = 1.3;

/**
 * Principals (users) and their assignments. A few Owners at the account; provider users (home =
 * account) hold most assignments, mostly Viewer/Manager on groups and organizations; organization
 * users hold one on their home organization (the home rule). Some assignments are expired.
 */
export function generateAccess(nodes: readonly GenNode[], principalCount: number, assignmentCount: number, random: Random, now: Date) {
  const groups = indicesOf(nodes, "group");
  const organizations = indicesOf(nodes, "organization");
  const owners = Math.max(2, Math.round(principalCount * OWNER_SHARE));
  const providers = Math.max(1, Math.round(principalCount * PROVIDER_SHARE));
  const principals: GenPrincipal[] = [];
  for (let i = 0; i < principalCount; i++) {
    const provider = i < owners + providers || organizations.length === 0;
    principals.push({
      id: randomUUID(),
      home: provider ? 0 : random.pick(organizations),
      status: i < owners ? "active" : pickStatus(random),
      email: `user${i}@bench.example`,
      name: `User ${i}`,
    });
  }

  const assignments: GenAssignment[] = [];
  const taken = new Set<number>(); // principal * nodes + node: one assignment per (principal, node)
  const assign = (principal: number, node: number, role: RoleKey, expiresAt: Date | null): boolean => {
    const key = principal * nodes.length + node;
    if (taken.has(key) || assignments.length >= assignmentCount) return false;
    taken.add(key);
    assignments.push({ id: randomUUID(), principal, node, role, expiresAt, source: pickSource(random) });
    return true;
  };
  for (let i = 0; i < owners; i++) assign(i, 0, "owner", null);
  for (let i = owners + providers; i < principalCount; i++) {
    assign(i, principals[i]!.home, random.chance(0.7) ? "viewer" : "manager", pickExpiry(random, now));
  }
  // Every provider user first gets one assignment, then the rest go out with a skew.
  const providerRange = Math.min(providers, principalCount - owners);
  let attempts = 0;
  const maxAttempts = assignmentCount * 5;
  for (let n = 0; assignments.length < assignmentCount && attempts < maxAttempts; n++, attempts++) {
    if (providerRange <= 0 || nodes.length < 2) break;
    const offset = n < providerRange ? n : Math.floor(providerRange * random.next() ** SKEW);
    const onGroup = groups.length > 0 && (organizations.length === 0 || random.chance(0.3));
    const node = onGroup ? random.pick(groups) : random.pick(organizations);
    assign(owners + offset, node, pickRole(random, onGroup), pickExpiry(random, now));
  }
  return { principals, assignments, owners };
}

function indicesOf(nodes: readonly GenNode[], kind: GenNode["kind"]): number[] {
  const found: number[] = [];
  nodes.forEach((node, index) => {
    if (node.kind === kind) found.push(index);
  });
  return found;
}

function pickStatus(random: Random): PrincipalStatus {
  const roll = random.next();
  return roll < 0.015 ? "disabled" : roll < 0.04 ? "invited" : "active";
}

function pickRole(random: Random, onGroup: boolean): RoleKey {
  const roll = random.next();
  if (roll < 0.05) return "auditor";
  return roll < (onGroup ? 0.5 : 0.4) ? "manager" : "viewer";
}

function pickExpiry(random: Random, now: Date): Date | null {
  const roll = random.next();
  if (roll < 0.05) return new Date(now.getTime() - (1 + random.int(90)) * DAY);
  if (roll < 0.1) return new Date(now.getTime() + (1 + random.int(180)) * DAY);
  return null;
}

function pickSource(random: Random): GenAssignment["source"] {
  const roll = random.next();
  return roll < 0.8 ? "direct" : roll < 0.95 ? "invitation" : "idp";
}

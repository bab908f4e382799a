import fc from "fast-check";
import type { Database } from "@/db/client";
import { nodeCapabilities, nodes, principals, roleAssignments, roles } from "@/db/schema";
import { CAPABILITIES, PERMISSIONS, type Capability, type Permission } from "@/lib/authz/catalog";
import type { BuiltinKey, Facts } from "./oracle";

// Random worlds for property tests: two accounts, each a tree of groups (inner nodes) and
// organizations (leaves), principals, built-in and custom profiles, assignments and capabilities
// with expiries around a fixed time, and moves to apply afterwards. A spec holds indexes and small
// numbers only, so that fast-check shrinks it well; `materializeWorld` turns it into rows with fresh
// ids, so that every run lives in accounts of its own inside one shared database.

/** Deepest level at generation; moves may go one deeper, to the schema's limit. */
export const GENERATED_MAX_DEPTH = 8;
export const MAX_DEPTH = 9;

export type ExpirySpec = { kind: "none" } | { kind: "now" } | { kind: "past" | "future"; hours: number };

export interface AccountSpec {
  /** Node i + 1 (0 is the account); `parent` picks among the account and earlier groups, `deep` the latest group. */
  nodes: { kind: "group" | "organization"; parent: number; deep: boolean; order: number }[];
  principals: { kind: "user" | "api_client"; status: "invited" | "active" | "disabled" }[];
  /** Custom profiles: subsets of the catalog. */
  profiles: Permission[][];
  /** `role` < 3 picks Owner, Manager, Viewer; above, a custom profile. Picks wrap around. */
  assignments: { principal: number; node: number; role: number; expiry: ExpirySpec }[];
  /** Capabilities set, unexpired, on every node (`reseller` not on groups); `overrides` then remove, add or re-date single settings. */
  capabilities: { everywhere: Capability[]; overrides: { node: number; capability: Capability; setting: ExpirySpec | { kind: "absent" } }[] };
  /** Picks of a node and a destination, resolved against the tree as it is when the move comes. */
  moves: { node: number; to: number }[];
}

export interface WorldSpec {
  main: AccountSpec;
  other: AccountSpec;
  /** Permissions whose accessible-node lists are walked (the first needs a capability). */
  listPermissions: Permission[];
  /** Picks a node (of either account) for `under`, and a page size for that walk. */
  under: { node: number; limit: number };
}

export interface WorldNode {
  id: string;
  accountId: string;
  parentId: string | null;
  kind: "account" | "group" | "organization";
  label: string;
  slug: string;
}

export interface WorldPrincipal {
  id: string;
  accountId: string;
  kind: "user" | "api_client";
  status: "invited" | "active" | "disabled";
  label: string;
  email: string | null;
}

/** A role of the world; built-in ones carry only their key (the oracle knows their permissions itself). */
export interface WorldRole {
  id: string;
  accountId: string | null;
  key: string;
  name: string;
  builtin: BuiltinKey | null;
  permissions: Permission[];
}

export interface WorldAssignment {
  id: string;
  accountId: string;
  principalId: string;
  nodeId: string;
  roleId: string;
  expiresAt: Date | null;
}

export interface WorldCapability {
  accountId: string;
  nodeId: string;
  capability: Capability;
  expiresAt: Date | null;
}

/** A generated world; `nodes[].parentId` is the tree as the oracle sees it, kept up to date by `recordMove`. */
export interface World extends Facts {
  now: Date;
  mainAccountId: string;
  otherAccountId: string;
  /** An active Owner at the main account with no expiry, who performs the moves. */
  moverId: string;
  nodes: WorldNode[];
  principals: WorldPrincipal[];
  roles: WorldRole[];
  assignments: WorldAssignment[];
  capabilities: WorldCapability[];
}

export const CAPABILITY_BOUND: readonly Permission[] = [
  "consumption.read",
  "entitlement.manage",
  "budget.manage",
  "asset.read",
  "asset.manage",
  "asset.transfer",
  "policy.read",
  "policy.manage",
  "idp.manage",
  "apiclient.manage",
];

const expiryArbitrary: fc.Arbitrary<ExpirySpec> = fc.oneof(
  { arbitrary: fc.constant({ kind: "none" as const }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("past" as const), hours: fc.integer({ min: 1, max: 5000 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("future" as const), hours: fc.integer({ min: 1, max: 5000 }) }), weight: 2 },
  { arbitrary: fc.constant({ kind: "now" as const }), weight: 1 },
);

function accountArbitrary(size: { nodes: number; principals: number; assignments: number; moves: number }): fc.Arbitrary<AccountSpec> {
  const pick = fc.nat({ max: 1000 });
  return fc.record({
    nodes: fc.array(
      fc.record({
        kind: fc.oneof({ arbitrary: fc.constant("group" as const), weight: 3 }, { arbitrary: fc.constant("organization" as const), weight: 2 }),
        parent: pick,
        deep: fc.boolean(),
        order: fc.nat({ max: 255 }),
      }),
      { maxLength: size.nodes, size: "medium" },
    ),
    principals: fc.array(
      fc.record({
        kind: fc.oneof({ arbitrary: fc.constant("user" as const), weight: 4 }, { arbitrary: fc.constant("api_client" as const), weight: 1 }),
        status: fc.oneof(
          { arbitrary: fc.constant("active" as const), weight: 6 },
          { arbitrary: fc.constant("disabled" as const), weight: 1 },
          { arbitrary: fc.constant("invited" as const), weight: 1 },
        ),
      }),
      { minLength: 1, maxLength: size.principals },
    ),
    profiles: fc.array(fc.subarray([...PERMISSIONS]), { maxLength: 3 }),
    assignments: fc.array(fc.record({ principal: pick, node: pick, role: pick, expiry: expiryArbitrary }), { maxLength: size.assignments, size: "medium" }),
    capabilities: fc.record({
      everywhere: fc.subarray([...CAPABILITIES]),
      overrides: fc.array(
        fc.record({
          node: pick,
          capability: fc.constantFrom(...CAPABILITIES),
          setting: fc.oneof({ arbitrary: fc.constant({ kind: "absent" as const }), weight: 2 }, { arbitrary: expiryArbitrary, weight: 3 }),
        }),
        { maxLength: 10, size: "medium" },
      ),
    }),
    moves: fc.array(fc.record({ node: pick, to: pick }), { maxLength: size.moves }),
  });
}

/** Random worlds: a main account of up to 33 nodes and a small second account. */
export function worldArbitrary(): fc.Arbitrary<WorldSpec> {
  return fc.record({
    main: accountArbitrary({ nodes: 32, principals: 5, assignments: 12, moves: 3 }),
    other: accountArbitrary({ nodes: 6, principals: 2, assignments: 4, moves: 0 }),
    listPermissions: fc.tuple(fc.constantFrom(...CAPABILITY_BOUND), fc.constantFrom(...PERMISSIONS)).map(([bound, any]) => [bound, any]),
    under: fc.record({ node: fc.nat({ max: 1000 }), limit: fc.integer({ min: 1, max: 4 }) }),
  });
}

function expiresAt(spec: ExpirySpec, now: Date): Date | null {
  switch (spec.kind) {
    case "none":
      return null;
    case "now":
      return new Date(now.getTime());
    case "past":
      return new Date(now.getTime() - spec.hours * 3_600_000);
    case "future":
      return new Date(now.getTime() + spec.hours * 3_600_000);
  }
}

/** A random uuid whose first byte is `order`, so that a spec fixes the path order of siblings. */
function orderedId(order: number): string {
  return order.toString(16).padStart(2, "0") + crypto.randomUUID().slice(2);
}

/** Turns a spec into rows with fresh ids; `builtinRoleIds` are the ids of the built-in roles in the database. */
export function materializeWorld(spec: WorldSpec, builtinRoleIds: Record<BuiltinKey, string>, now: Date): World {
  const world: World = {
    now,
    mainAccountId: "",
    otherAccountId: "",
    moverId: "",
    nodes: [],
    principals: [],
    roles: (["owner", "manager", "viewer"] as const).map((key) => ({
      id: builtinRoleIds[key],
      accountId: null,
      key,
      name: key,
      builtin: key,
      permissions: [],
    })),
    assignments: [],
    capabilities: [],
  };
  world.mainAccountId = materializeAccount(world, spec.main, "a", now);
  world.otherAccountId = materializeAccount(world, spec.other, "b", now);
  const moverId = crypto.randomUUID();
  world.moverId = moverId;
  world.principals.push({ id: moverId, accountId: world.mainAccountId, kind: "user", status: "active", label: "a.mover", email: `mover-${moverId}@arbor.test` });
  world.assignments.push({
    id: crypto.randomUUID(),
    accountId: world.mainAccountId,
    principalId: moverId,
    nodeId: world.mainAccountId,
    roleId: builtinRoleIds.owner,
    expiresAt: null,
  });
  return world;
}

function materializeAccount(world: World, spec: AccountSpec, prefix: string, now: Date): string {
  const accountId = crypto.randomUUID();
  const tree: (WorldNode & { depth: number })[] = [
    { id: accountId, accountId, parentId: null, kind: "account", label: `${prefix}.account`, slug: "account", depth: 0 },
  ];
  spec.nodes.forEach((node, index) => {
    const candidates = tree.filter((candidate) => candidate.kind !== "organization" && candidate.depth < GENERATED_MAX_DEPTH);
    const parent = node.deep ? candidates[candidates.length - 1]! : candidates[node.parent % candidates.length]!;
    const label = `${prefix}.${node.kind === "group" ? "g" : "o"}${index + 1}`;
    tree.push({
      id: orderedId(node.order),
      accountId,
      parentId: parent.id,
      kind: node.kind,
      label,
      slug: `n${index + 1}`,
      depth: parent.depth + 1,
    });
  });
  world.nodes.push(...tree.map(({ depth: _depth, ...node }) => node));

  const people = spec.principals.map((principal, index) => {
    const id = crypto.randomUUID();
    const email = principal.kind === "user" ? `p${index + 1}-${id}@arbor.test` : null;
    return { id, accountId, kind: principal.kind, status: principal.status, label: `${prefix}.p${index + 1}`, email };
  });
  world.principals.push(...people);

  const builtins = world.roles.filter((role) => role.builtin !== null);
  const profiles: WorldRole[] = spec.profiles.map((permissions, index) => ({
    id: crypto.randomUUID(),
    accountId,
    key: `custom-${index + 1}`,
    name: `${prefix}.custom${index + 1}`,
    builtin: null,
    permissions: [...permissions],
  }));
  world.roles.push(...profiles);
  const usable = [...builtins, ...profiles];

  const taken = new Set<string>();
  for (const assignment of spec.assignments) {
    const principal = people[assignment.principal % people.length]!;
    const node = tree[assignment.node % tree.length]!;
    if (taken.has(`${principal.id} ${node.id}`)) continue;
    taken.add(`${principal.id} ${node.id}`);
    world.assignments.push({
      id: crypto.randomUUID(),
      accountId,
      principalId: principal.id,
      nodeId: node.id,
      roleId: usable[assignment.role % usable.length]!.id,
      expiresAt: expiresAt(assignment.expiry, now),
    });
  }

  // `reseller` goes only to the account and organizations (all of them directly under a group or the account here).
  const settings = new Map<string, WorldCapability>();
  const holds = (node: WorldNode, capability: Capability) => capability !== "reseller" || node.kind !== "group";
  for (const node of tree) {
    for (const capability of spec.capabilities.everywhere) {
      if (holds(node, capability)) settings.set(`${node.id} ${capability}`, { accountId, nodeId: node.id, capability, expiresAt: null });
    }
  }
  for (const override of spec.capabilities.overrides) {
    const node = tree[override.node % tree.length]!;
    if (!holds(node, override.capability)) continue;
    const key = `${node.id} ${override.capability}`;
    if (override.setting.kind === "absent") settings.delete(key);
    else settings.set(key, { accountId, nodeId: node.id, capability: override.capability, expiresAt: expiresAt(override.setting, now) });
  }
  world.capabilities.push(...settings.values());
  return accountId;
}

/** The path and depth of every node of the world, from its parent links. */
function pathsOf(world: World): Map<string, { path: string; depth: number }> {
  const byId = new Map(world.nodes.map((node) => [node.id, node]));
  const result = new Map<string, { path: string; depth: number }>();
  const resolve = (id: string): { path: string; depth: number } => {
    const known = result.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const above = node.parentId ? resolve(node.parentId) : { path: "", depth: -1 };
    const own = { path: `${above.path}${id}/`, depth: above.depth + 1 };
    result.set(id, own);
    return own;
  };
  for (const node of world.nodes) resolve(node.id);
  return result;
}

/** Writes the world's rows (custom roles, nodes, principals, assignments, capabilities). */
export async function insertWorld(db: Database, world: World): Promise<void> {
  const placement = pathsOf(world);
  const custom = world.roles.filter((role) => role.builtin === null);
  await db.transaction(async (tx) => {
    await tx.insert(nodes).values(
      world.nodes.map((node) => ({
        id: node.id,
        accountId: node.accountId,
        parentId: node.parentId,
        kind: node.kind,
        name: node.label,
        slug: node.slug,
        path: placement.get(node.id)!.path,
        depth: placement.get(node.id)!.depth,
      })),
    );
    if (custom.length > 0) {
      await tx.insert(roles).values(
        custom.map((role) => ({ id: role.id, accountId: role.accountId, key: role.key, name: role.name, permissions: role.permissions, builtin: false })),
      );
    }
    await tx.insert(principals).values(
      world.principals.map((principal) => ({
        id: principal.id,
        accountId: principal.accountId,
        homeNodeId: principal.accountId,
        kind: principal.kind,
        email: principal.email,
        name: principal.label,
        status: principal.status,
      })),
    );
    if (world.assignments.length > 0) await tx.insert(roleAssignments).values(world.assignments);
    if (world.capabilities.length > 0) await tx.insert(nodeCapabilities).values(world.capabilities);
  });
}

/** Nodes at and below `id`, by parent links. */
function subtreeOf(world: World, id: string): Set<string> {
  const result = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of world.nodes) {
      if (node.parentId && result.has(node.parentId) && !result.has(node.id)) {
        result.add(node.id);
        grew = true;
      }
    }
  }
  return result;
}

/**
 * A valid move for the picks, or null when the tree offers none: a non-account node of the main
 * account goes under the account or a group outside its own subtree, other than its parent, and the
 * deepest node of its subtree stays within the schema's depth.
 */
export function resolveMove(world: World, move: { node: number; to: number }): { nodeId: string; newParentId: string } | null {
  const placement = pathsOf(world);
  const movable = world.nodes.filter((node) => node.accountId === world.mainAccountId && node.kind !== "account");
  if (movable.length === 0) return null;
  const node = movable[move.node % movable.length]!;
  const subtree = subtreeOf(world, node.id);
  const height = Math.max(...[...subtree].map((id) => placement.get(id)!.depth)) - placement.get(node.id)!.depth;
  const destinations = world.nodes.filter(
    (candidate) =>
      candidate.accountId === world.mainAccountId &&
      candidate.kind !== "organization" &&
      !subtree.has(candidate.id) &&
      candidate.id !== node.parentId &&
      placement.get(candidate.id)!.depth + 1 + height <= MAX_DEPTH,
  );
  if (destinations.length === 0) return null;
  return { nodeId: node.id, newParentId: destinations[move.to % destinations.length]!.id };
}

/** Updates the world's own copy of the tree after a move. */
export function recordMove(world: World, move: { nodeId: string; newParentId: string }): void {
  world.nodes.find((node) => node.id === move.nodeId)!.parentId = move.newParentId;
}

/** A copy of the world's facts with the move applied, leaving the world as it is. */
export function afterMove(world: World, move: { nodeId: string; newParentId: string }): World {
  return { ...world, nodes: world.nodes.map((node) => (node.id === move.nodeId ? { ...node, parentId: move.newParentId } : node)) };
}

import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { roles } from "@/db/schema";
import { createTestDatabase } from "@/db/testing";
import { moveNode } from "@/lib/tenants/service";
import { PERMISSIONS, type Permission } from "./catalog";
import { can, effectivePermissions, explain, type AuthContext } from "./decide";
import { loadAuthContext } from "./load-context";
import { listAccessibleNodes, loadTreeNode, whoHasAccess, type ListAccessibleOptions, type TreeNode } from "./queries";
import { Oracle, type BuiltinKey, type OracleDecision } from "./testing/oracle";
import { afterMove, CAPABILITY_BOUND, insertWorld, materializeWorld, recordMove, resolveMove, worldArbitrary, type World, type WorldSpec } from "./testing/world";

// Property: on random trees, principals, profiles, assignments, capabilities and moves, the
// authorization library agrees with the naive oracle of ./testing/oracle, and so its four views
// (can, explain, listAccessibleNodes, whoHasAccess) agree with each other. CI runs 200 worlds;
// FC_RUNS overrides the count locally, and FC_SEED with FC_PATH replays a reported counterexample.

const NOW = new Date("2031-05-14T09:26:53.589Z");
const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const PATH = process.env.FC_PATH || undefined;
const TIME_LIMIT_MS = 240_000;

let connection: DatabaseConnection;
let db: Database;
let builtinRoleIds: Record<BuiltinKey, string>;

/** What the runs exercised, so that a generator gone vacuous fails loudly. */
const seen = {
  moves: 0,
  decisions: 0,
  allowedNeedingCapability: 0,
  reasons: new Map<string, number>(),
  deepest: 0,
  multiPageWalks: 0,
  accessEntries: 0,
};

class Disagreement extends Error {
  override name = "Disagreement";
}

function disagree(message: string): never {
  throw new Disagreement(message);
}

function sameSet(a: Iterable<string>, b: Iterable<string>): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

function sorted(items: Iterable<string>): string[] {
  return [...items].sort();
}

function describeDecision(decision: OracleDecision, label: (id: string) => string): string {
  if (decision.allowed) return `allowed by ${decision.granting.map((a) => `${a.id.slice(0, 8)}@${label(a.nodeId)}`).join(", ")}`;
  return `denied (${decision.reason}${decision.capability ? ` ${decision.capability}` : ""})`;
}

/** Every page of listAccessibleNodes; `bound` (the world's node count) caps the pages a correct walk needs. */
async function walkPages(ctx: AuthContext, permission: Permission, options: ListAccessibleOptions, bound: number) {
  const items: { id: string; path: string }[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    if (page > bound) disagree(`listAccessibleNodes(${permission}, ${JSON.stringify(options)}) still returns a cursor after ${page} pages`);
    const result = await listAccessibleNodes(db, ctx, permission, { ...options, cursor });
    if (options.limit !== undefined && result.items.length > options.limit) {
      disagree(`listAccessibleNodes(${permission}, limit ${options.limit}) returned a page of ${result.items.length}`);
    }
    if (result.nextCursor !== null && result.items.length === 0) disagree(`listAccessibleNodes(${permission}) returned an empty page with a cursor`);
    items.push(...result.items);
    if (result.nextCursor === null) {
      if (page > 0) seen.multiPageWalks++;
      return items;
    }
    cursor = result.nextCursor;
  }
}

async function applyMoves(world: World, spec: WorldSpec): Promise<void> {
  const authz = await loadAuthContext(db, world.moverId, NOW);
  if (!authz) throw new Error("the mover is missing");
  for (const pick of spec.main.moves) {
    const move = resolveMove(world, pick);
    if (!move) continue;
    const before = new Oracle(world, NOW);
    const after = new Oracle(afterMove(world, move), NOW);
    const preview = await moveNode({ db, authz }, move);
    recordMove(world, move);
    seen.moves++;
    // The preview's gains and losses: principals with no access to the node before and some after, or the reverse.
    const label = labeller(world);
    const holders = (oracle: Oracle) => new Set(world.principals.filter((p) => oracle.permissions(p.id, move.nodeId).size > 0).map((p) => p.id));
    const held = holders(before);
    const holds = holders(after);
    const gains = [...holds].filter((id) => !held.has(id));
    const losses = [...held].filter((id) => !holds.has(id));
    const moving = `moving ${label(move.nodeId)} under ${label(move.newParentId)}`;
    if (!sameSet(preview.gains.map((entry) => entry.principal.id), gains)) {
      disagree(`${moving}: the preview's gains are [${preview.gains.map((e) => label(e.principal.id))}], the oracle's [${gains.map(label)}]`);
    }
    if (!sameSet(preview.losses.map((entry) => entry.principal.id), losses)) {
      disagree(`${moving}: the preview's losses are [${preview.losses.map((e) => label(e.principal.id))}], the oracle's [${losses.map(label)}]`);
    }
  }
}

function labeller(world: World): (id: string) => string {
  const labels = new Map<string, string>([...world.nodes.map((n) => [n.id, n.label] as const), ...world.principals.map((p) => [p.id, p.label] as const)]);
  return (id) => labels.get(id) ?? id;
}

async function checkWorld(world: World, spec: WorldSpec): Promise<void> {
  const oracle = new Oracle(world, NOW);
  const label = labeller(world);

  // Queries run concurrently (the server has a pool); their results are checked in a fixed order.
  const loadedContexts = await Promise.all(world.principals.map((principal) => loadAuthContext(db, principal.id, NOW)));
  const contexts = new Map<string, AuthContext>();
  world.principals.forEach((principal, index) => {
    const ctx = loadedContexts[index];
    if (!ctx) disagree(`loadAuthContext found no ${principal.label}`);
    contexts.set(principal.id, ctx);
  });

  // The library's view of every node: structure after the moves and effective capabilities.
  const loadedNodes = await Promise.all(world.nodes.map((node) => loadTreeNode(db, node.accountId, { id: node.id }, NOW)));
  const treeNodes = new Map<string, TreeNode>();
  for (const [index, node] of world.nodes.entries()) {
    const loaded = loadedNodes[index];
    if (!loaded) disagree(`loadTreeNode found no ${node.label}`);
    const chain = oracle.chain(node.id);
    seen.deepest = Math.max(seen.deepest, chain.length - 1);
    const path = `${[...chain].reverse().join("/")}/`;
    if (loaded.parentId !== node.parentId || loaded.path !== path || loaded.depth !== chain.length - 1) {
      disagree(`${node.label} is stored under ${label(loaded.parentId ?? "none")} at depth ${loaded.depth}; the oracle puts it under ${label(node.parentId ?? "none")} at depth ${chain.length - 1}`);
    }
    const capabilities = oracle.capabilities(node.id);
    if (!sameSet(loaded.capabilities, capabilities)) {
      disagree(`${node.label} effectively has capabilities [${sorted(loaded.capabilities)}], the oracle says [${sorted(capabilities)}]`);
    }
    treeNodes.set(node.id, loaded);
  }
  const foreign = world.nodes.filter((n) => n.accountId === world.otherAccountId);
  const leaked = await Promise.all(foreign.map((node) => loadTreeNode(db, world.mainAccountId, { id: node.id }, NOW)));
  leaked.forEach((found, index) => {
    if (found) disagree(`loadTreeNode finds ${foreign[index]!.label} from the other account`);
  });

  // 1 and 2: can, explain and effectivePermissions for every principal, node and permission.
  for (const principal of world.principals) {
    const ctx = contexts.get(principal.id)!;
    for (const node of world.nodes) {
      const treeNode = treeNodes.get(node.id)!;
      const where = `${principal.label} (${principal.status}) on ${node.label}`;
      for (const permission of PERMISSIONS) {
        const expected = oracle.decide(principal.id, permission, node.id);
        const allowed = can(ctx, permission, treeNode);
        seen.decisions++;
        if (allowed !== expected.allowed) disagree(`can(${where}, ${permission}) is ${allowed}; the oracle: ${describeDecision(expected, label)}`);
        const why = explain(ctx, permission, treeNode);
        if (why.allowed !== allowed) disagree(`explain(${where}, ${permission}).allowed is ${why.allowed} but can is ${allowed}`);
        if (why.nodeId !== node.id || why.permission !== permission) disagree(`explain(${where}, ${permission}) describes another question`);
        if (why.allowed && expected.allowed) {
          const grant = why.grant;
          const match = expected.granting.find((assignment) => assignment.id === grant.assignmentId);
          if (!match) {
            disagree(`explain(${where}, ${permission}) names assignment ${grant.assignmentId} at ${label(grant.nodeId)}, not one the oracle finds on the path, in force and carrying it: ${describeDecision(expected, label)}`);
          }
          if (
            grant.nodeId !== match.nodeId ||
            grant.roleId !== match.roleId ||
            !grant.permissions.has(permission) ||
            (grant.expiresAt?.getTime() ?? null) !== (match.expiresAt?.getTime() ?? null) ||
            !oracle.inForce(grant.expiresAt) ||
            why.inherited !== (grant.nodeId !== node.id)
          ) {
            disagree(`explain(${where}, ${permission}) describes assignment ${grant.assignmentId} wrongly: ${JSON.stringify({ ...grant, permissions: [...grant.permissions] })}`);
          }
          if (CAPABILITY_BOUND.includes(permission)) seen.allowedNeedingCapability++;
        } else if (!why.allowed && !expected.allowed) {
          seen.reasons.set(expected.reason, (seen.reasons.get(expected.reason) ?? 0) + 1);
          if (why.reason !== expected.reason) disagree(`explain(${where}, ${permission}) says ${why.reason}; the oracle: ${describeDecision(expected, label)}`);
          if (expected.reason === "capability-missing" && why.capability !== expected.capability) {
            disagree(`explain(${where}, ${permission}) blames capability ${why.capability}, the oracle ${expected.capability}`);
          }
          if (expected.reason === "assignment-expired" && !sameSet((why.expiredGrants ?? []).map((g) => g.assignmentId), expected.expired.map((a) => a.id))) {
            disagree(`explain(${where}, ${permission}) lists expired assignments [${(why.expiredGrants ?? []).map((g) => label(g.nodeId))}], the oracle [${expected.expired.map((a) => label(a.nodeId))}]`);
          }
        }
      }
      const held = effectivePermissions(ctx, treeNode);
      const expectedHeld = oracle.permissions(principal.id, node.id);
      if (!sameSet(held, expectedHeld)) disagree(`effectivePermissions(${where}) is [${sorted(held)}], the oracle's [${sorted(expectedHeld)}]`);
    }
  }

  // 3: listAccessibleNodes, page by page, is exactly the allowed nodes, once each, in path order.
  const underNode = world.nodes[spec.under.node % world.nodes.length]!;
  const walks: { principal: World["principals"][number]; permission: Permission; options: ListAccessibleOptions; expected: string[] }[] = [];
  for (const principal of world.principals) {
    for (const permission of spec.listPermissions) {
      const allowed = world.nodes.filter((node) => oracle.decide(principal.id, permission, node.id).allowed).map((node) => node.id);
      const within = allowed.filter((id) => oracle.isAtOrBelow(id, underNode.id));
      for (const options of [{ limit: 1 }, { limit: 2 }, {}]) walks.push({ principal, permission, options, expected: allowed });
      walks.push({ principal, permission, options: { under: underNode.id, limit: spec.under.limit }, expected: within });
    }
  }
  const walked = await Promise.all(walks.map((walk) => walkPages(contexts.get(walk.principal.id)!, walk.permission, walk.options, world.nodes.length)));
  for (const [index, { principal, permission, options, expected }] of walks.entries()) {
    const ctx = contexts.get(principal.id)!;
    const items = walked[index]!;
    const what = `listAccessibleNodes(${principal.label} (${principal.status}), ${permission}, ${JSON.stringify({ ...options, under: options.under && label(options.under) })})`;
    const ids = items.map((item) => item.id);
    if (new Set(ids).size !== ids.length) disagree(`${what} returns duplicates: [${ids.map(label)}]`);
    if (!sameSet(ids, expected)) disagree(`${what} returns [${sorted(ids.map(label))}], the oracle allows [${sorted(expected.map(label))}]`);
    items.forEach((item, position) => {
      if (item.path !== treeNodes.get(item.id)!.path) disagree(`${what} returns ${label(item.id)} with a stale path`);
      if (position > 0 && !(items[position - 1]!.path < item.path)) disagree(`${what} is not in strictly increasing path order at ${label(item.id)}`);
    });
    for (const id of ids) {
      if (!can(ctx, permission, treeNodes.get(id)!)) disagree(`${what} returns ${label(id)}, where can is false`);
    }
  }

  // 4: whoHasAccess is exactly the principals with a non-empty effective set, with that set and its sources.
  const accessLists = await Promise.all(world.nodes.map((node) => whoHasAccess(db, treeNodes.get(node.id)!, NOW)));
  for (const [index, node] of world.nodes.entries()) {
    const treeNode = treeNodes.get(node.id)!;
    const entries = accessLists[index]!;
    seen.accessEntries += entries.length;
    const ids = entries.map((entry) => entry.principal.id);
    if (new Set(ids).size !== ids.length) disagree(`whoHasAccess(${node.label}) lists a principal twice`);
    const expected = world.principals.filter((p) => oracle.permissions(p.id, node.id).size > 0).map((p) => p.id);
    if (!sameSet(ids, expected)) disagree(`whoHasAccess(${node.label}) lists [${sorted(ids.map(label))}], the oracle [${sorted(expected.map(label))}]`);
    for (const entry of entries) {
      const who = `whoHasAccess(${node.label}) for ${label(entry.principal.id)}`;
      const principal = world.principals.find((p) => p.id === entry.principal.id)!;
      if (entry.principal.kind !== principal.kind || entry.principal.status !== "active" || entry.principal.email !== principal.email) {
        disagree(`${who} describes the principal wrongly: ${JSON.stringify(entry.principal)}`);
      }
      const expectedHeld = oracle.permissions(entry.principal.id, node.id);
      if (!sameSet(entry.permissions, expectedHeld)) disagree(`${who} gives [${entry.permissions}], the oracle [${sorted(expectedHeld)}]`);
      const viaLibrary = sorted(effectivePermissions(contexts.get(entry.principal.id)!, treeNode));
      if (viaLibrary.join(" ") !== sorted(entry.permissions).join(" ")) disagree(`${who} gives [${entry.permissions}] but effectivePermissions gives [${viaLibrary}]`);
      const sources = oracle.contributing(entry.principal.id, node.id);
      if (!sameSet(entry.via.map((via) => via.assignmentId), sources.map((a) => a.id))) {
        disagree(`${who} comes via [${entry.via.map((v) => label(v.nodeId))}], the oracle via [${sources.map((a) => label(a.nodeId))}]`);
      }
      for (const via of entry.via) {
        const source = sources.find((a) => a.id === via.assignmentId)!;
        if (via.nodeId !== source.nodeId || via.roleId !== source.roleId || via.inherited !== (via.nodeId !== node.id)) {
          disagree(`${who} describes assignment ${via.assignmentId} wrongly: ${JSON.stringify(via)}`);
        }
      }
    }
  }
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  const builtins = await db.select({ id: roles.id, key: roles.key }).from(roles).where(eq(roles.builtin, true));
  const idOf = (key: BuiltinKey) => {
    const found = builtins.find((role) => role.key === key);
    if (!found) throw new Error(`no built-in role ${key}`);
    return found.id;
  };
  builtinRoleIds = { owner: idOf("owner"), manager: idOf("manager"), viewer: idOf("viewer") };
});

afterAll(async () => {
  await connection?.close();
});

describe("the authorization library against a naive oracle", () => {
  it(
    "agrees on can, explain, accessible-node pages and who-has-access in random trees with moves",
    async () => {
      await fc.assert(
        fc.asyncProperty(worldArbitrary(), async (spec) => {
          const world = materializeWorld(spec, builtinRoleIds, NOW);
          await insertWorld(db, world);
          await applyMoves(world, spec);
          await checkWorld(world, spec);
        }),
        { numRuns: RUNS, seed: SEED, path: PATH, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS, { failOnInterrupt: true })] },
      );

      // The generator must reach what the properties are about, or passing proves little.
      if (RUNS >= 100 && !PATH) {
        expect(seen.moves).toBeGreaterThan(RUNS / 2);
        expect(seen.allowedNeedingCapability).toBeGreaterThan(0);
        expect(seen.deepest).toBeGreaterThanOrEqual(8);
        expect(seen.multiPageWalks).toBeGreaterThan(0);
        expect(seen.accessEntries).toBeGreaterThan(0);
        for (const reason of ["other-account", "principal-inactive", "capability-missing", "assignment-expired", "no-assignment"]) {
          expect(seen.reasons.get(reason) ?? 0, reason).toBeGreaterThan(0);
        }
      }
    },
    TIME_LIMIT_MS + 60_000,
  );
});

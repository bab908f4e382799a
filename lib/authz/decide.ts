import { PERMISSIONS, REQUIRED_CAPABILITY, type Capability, type Permission } from "./catalog";
import { isWithin } from "./paths";

/** One role assignment of the principal, with what decisions need of it. */
export interface Grant {
  assignmentId: string;
  nodeId: string;
  nodePath: string;
  roleId: string;
  roleKey: string;
  roleName: string;
  permissions: ReadonlySet<Permission>;
  expiresAt: Date | null;
  source: "direct" | "invitation" | "idp";
}

export interface AuthPrincipal {
  id: string;
  accountId: string;
  homeNodeId: string;
  kind: "user" | "api_client";
  status: "invited" | "active" | "disabled";
  name: string;
  email: string | null;
}

const DECISION_TABLE = Symbol("decision table");

/** Everything one request needs to decide; built per request, never shared between requests, never changed once built. */
export interface AuthContext {
  principal: AuthPrincipal;
  grants: readonly Grant[];
  now: Date;
  /** What `can` reads: the grants packed by `authContext`, or on a copy's first decision (see buildTable). */
  [DECISION_TABLE]?: DecisionTable;
}

/**
 * A context with its decision table built beside it: allocated together, a decision finds them close
 * in memory (contexts made otherwise, such as `{ ...ctx, now }` copies, build theirs on first use).
 */
export function authContext(principal: AuthPrincipal, grants: readonly Grant[], now: Date): AuthContext {
  const ctx: AuthContext = { principal, grants, now, [DECISION_TABLE]: undefined };
  ctx[DECISION_TABLE] = buildTable(ctx);
  return ctx;
}

/** A node as decisions see it. `capabilities` are its effective capabilities, when known. */
export interface NodeRef {
  id: string;
  accountId: string;
  path: string;
  capabilities?: ReadonlySet<Capability>;
}

export type DenialReason = "other-account" | "principal-inactive" | "capability-missing" | "assignment-expired" | "no-assignment";

export type Explanation =
  | { allowed: true; permission: Permission; nodeId: string; grant: Grant; inherited: boolean }
  | {
      allowed: false;
      permission: Permission;
      nodeId: string;
      reason: DenialReason;
      message: string;
      capability?: Capability;
      expiredGrants?: Grant[];
    };

function isInForce(grant: Grant, now: Date): boolean {
  return grant.expiresAt === null || grant.expiresAt > now;
}

/** Grants of the context that are in force at its time and carry `permission` (none for an inactive principal). */
export function grantsWith(ctx: AuthContext, permission: Permission): Grant[] {
  if (ctx.principal.status !== "active") return [];
  return ctx.grants.filter((grant) => grant.permissions.has(permission) && isInForce(grant, ctx.now));
}

/** Whether `node` has the capability `permission` needs (true for permissions that need none). */
export function capabilityAllows(permission: Permission, node: NodeRef): boolean {
  const capability = REQUIRED_CAPABILITY[permission];
  return capability === undefined || node.capabilities?.has(capability) === true;
}

/** Whether the principal holds `permission` on `node` (capability-bound permissions need `node.capabilities`). */
export function can(ctx: AuthContext, permission: Permission, node: NodeRef): boolean {
  let table = ctx[DECISION_TABLE];
  if (table === undefined || table.ctx !== ctx) table = ctx[DECISION_TABLE] = buildTable(ctx);
  const bit = PERMISSION_BITS.get(permission);
  if (bit === undefined || (table.bits & bit) === 0 || !held(table, bit, node.path)) return false;
  // Checked once a grant is found, so that most denials never read them.
  return node.accountId === table.accountId && capabilityAllows(permission, node);
}

/** Whether an in-force grant of the table carries `bit` on `path` or above it. */
function held(table: DecisionTable, bit: number, path: string): boolean {
  if (table.byNode === null) {
    for (let at = 0; at < table.entries.length; at += STRIDE) if (covers(table.entries, at, bit, path)) return true;
    return false;
  }
  // Only grants on the node or its ancestors can hold: look up each id on its path.
  for (let from = 0, end = path.indexOf("/"); end !== -1; from = end + 1, end = path.indexOf("/", from)) {
    const onAncestor = table.byNode.get(path.slice(from, end));
    if (onAncestor !== undefined) for (const at of onAncestor) if (covers(table.entries, at, bit, path)) return true;
  }
  return false;
}

// A decision must stay within a couple of microseconds when the context, its grants and the node come
// cold from memory, so `can` does not walk the Grant objects (each its own allocation, with a Set and
// a Date): its in-force grants are packed into one flat array, four slots each (permission bits, path
// length, the path's second-to-last character code, which rejects almost every node that is not below
// the grant before a string is compared, and the path), in a table kept on the context itself and
// built with it, so that a decision reads the context, the table and that array, all close together.
// A context is never changed once built; a copy (`{ ...ctx, now }`) carries the original's table
// along, which names the context it was built for, so the copy builds its own on first use.

/** Bit i stands for PERMISSIONS[i]: 25 permissions fit an int32. */
const PERMISSION_BITS: ReadonlyMap<string, number> = new Map(PERMISSIONS.map((permission, i) => [permission, 1 << i]));
const STRIDE = 4;

interface DecisionTable {
  /** The context it was built for: a copy of a context (`{ ...ctx, now }`) builds its own. */
  ctx: AuthContext;
  /** Every permission bit some in-force grant carries; none for an inactive principal. */
  bits: number;
  /** [bits, path length, code at length - 2, path] per in-force grant. */
  entries: (number | string)[];
  /** For principals with many grants: entry offsets by the grant's node id. */
  byNode: Map<string, number[]> | null;
  accountId: string;
}

// A delegated admin of hundreds of organizations would make every denial a scan of all their grants;
// above this many, a decision looks up only the ids on the node's path (at most the tree's depth).
export const SCAN_AT_MOST = 64;
const maskOfSet = new WeakMap<ReadonlySet<Permission>, number>();

function buildTable(ctx: AuthContext): DecisionTable {
  const inForce = ctx.principal.status === "active" ? ctx.grants.filter((grant) => isInForce(grant, ctx.now)) : [];
  const table: DecisionTable = {
    ctx,
    bits: 0,
    entries: [],
    byNode: inForce.length > SCAN_AT_MOST ? new Map() : null,
    accountId: ctx.principal.accountId,
  };
  for (const grant of inForce) {
    const mask = maskOf(grant.permissions);
    const length = grant.nodePath.length;
    table.bits |= mask;
    if (table.byNode) table.byNode.set(grant.nodeId, [...(table.byNode.get(grant.nodeId) ?? []), table.entries.length]);
    table.entries.push(mask, length, length >= 2 ? grant.nodePath.charCodeAt(length - 2) : -1, grant.nodePath);
  }
  return table;
}

function maskOf(permissions: ReadonlySet<Permission>): number {
  let mask = maskOfSet.get(permissions);
  if (mask === undefined) {
    mask = 0;
    for (const permission of permissions) mask |= PERMISSION_BITS.get(permission) ?? 0;
    maskOfSet.set(permissions, mask);
  }
  return mask;
}

/** Whether the grant at entry `at` carries `bit` and is on `path` or above it (isWithin, unpacked). */
function covers(entries: readonly (number | string)[], at: number, bit: number, path: string): boolean {
  // The slots' types follow from their offset in the stride (see buildTable).
  if (((entries[at] as number) & bit) === 0) return false;
  const length = entries[at + 1] as number;
  const grantPath = entries[at + 3] as string;
  if (length < 2) return path.startsWith(grantPath);
  return path.length >= length && path.charCodeAt(length - 2) === entries[at + 2] && path.slice(0, length) === grantPath;
}

/** `can` for many nodes at once, in order: for rendering lists. */
export function canEach(ctx: AuthContext, permission: Permission, nodes: readonly NodeRef[]): boolean[] {
  return nodes.map((node) => can(ctx, permission, node));
}

/** Every permission the principal effectively holds on `node`. */
export function effectivePermissions(ctx: AuthContext, node: NodeRef): Set<Permission> {
  const held = new Set<Permission>();
  if (ctx.principal.status !== "active" || node.accountId !== ctx.principal.accountId) return held;
  for (const grant of ctx.grants) {
    if (!isInForce(grant, ctx.now) || !isWithin(node.path, grant.nodePath)) continue;
    for (const permission of grant.permissions) if (capabilityAllows(permission, node)) held.add(permission);
  }
  return held;
}

/** Why the principal may or may not use `permission` on `node`: the granting assignment, or the reason for denial. */
export function explain(ctx: AuthContext, permission: Permission, node: NodeRef): Explanation {
  const base = { allowed: false as const, permission, nodeId: node.id };
  if (node.accountId !== ctx.principal.accountId) {
    return { ...base, reason: "other-account", message: "The node belongs to another account." };
  }
  if (ctx.principal.status !== "active") {
    return { ...base, reason: "principal-inactive", message: `The principal is ${ctx.principal.status}, which grants nothing.` };
  }
  const capability = REQUIRED_CAPABILITY[permission];
  if (capability && !node.capabilities?.has(capability)) {
    return { ...base, reason: "capability-missing", capability, message: `${permission} needs the ${capability} capability, which is not enabled here.` };
  }
  const onPath = ctx.grants.filter((grant) => grant.permissions.has(permission) && isWithin(node.path, grant.nodePath));
  const granting = onPath.filter((grant) => isInForce(grant, ctx.now));
  if (granting.length > 0) {
    // The nearest assignment explains best: it is the one an admin would look at first.
    const grant = granting.reduce((nearest, candidate) => (candidate.nodePath.length > nearest.nodePath.length ? candidate : nearest));
    return { allowed: true, permission, nodeId: node.id, grant, inherited: grant.nodeId !== node.id };
  }
  if (onPath.length > 0) {
    return { ...base, reason: "assignment-expired", expiredGrants: onPath, message: "Every assignment that would grant it has expired." };
  }
  return { ...base, reason: "no-assignment", message: `No assignment on this node or above it includes ${permission}.` };
}

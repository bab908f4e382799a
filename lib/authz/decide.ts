import { REQUIRED_CAPABILITY, type Capability, type Permission } from "./catalog";
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

/** Everything one request needs to decide; built per request, never shared between requests. */
export interface AuthContext {
  principal: AuthPrincipal;
  grants: readonly Grant[];
  now: Date;
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
  if (ctx.principal.status !== "active" || node.accountId !== ctx.principal.accountId) return false;
  if (!capabilityAllows(permission, node)) return false;
  const { grants, now } = ctx;
  const path = node.path;
  if (grants.length <= SCAN_AT_MOST) {
    for (const grant of grants) if (grantHolds(grant, permission, path, now)) return true;
    return false;
  }
  // Only grants on the node or its ancestors can hold: look up each id on its path.
  const byNode = grantsByNode(grants);
  for (let from = 0, end = path.indexOf("/"); end !== -1; from = end + 1, end = path.indexOf("/", from)) {
    const onAncestor = byNode.get(path.slice(from, end));
    if (onAncestor) for (const grant of onAncestor) if (grantHolds(grant, permission, path, now)) return true;
  }
  return false;
}

function grantHolds(grant: Grant, permission: Permission, path: string, now: Date): boolean {
  return grant.permissions.has(permission) && isWithin(path, grant.nodePath) && isInForce(grant, now);
}

// A delegated admin of dozens of organizations would make every decision a scan of all their grants.
// Above a handful, a decision looks up the ids on the node's path (at most the tree's depth) in an
// index of the grants by node, built once per grants array: a context's grants are never changed in place.
const SCAN_AT_MOST = 8;
const grantIndexes = new WeakMap<readonly Grant[], Map<string, Grant[]>>();

function grantsByNode(grants: readonly Grant[]): Map<string, Grant[]> {
  let index = grantIndexes.get(grants);
  if (!index) {
    index = new Map();
    for (const grant of grants) {
      const onNode = index.get(grant.nodeId);
      if (onNode) onNode.push(grant);
      else index.set(grant.nodeId, [grant]);
    }
    grantIndexes.set(grants, index);
  }
  return index;
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

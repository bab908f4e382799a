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
  const now = ctx.now;
  for (const grant of ctx.grants) {
    if (grant.permissions.has(permission) && isWithin(node.path, grant.nodePath) && isInForce(grant, now)) return true;
  }
  return false;
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

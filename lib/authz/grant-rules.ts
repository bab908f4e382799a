import type { Permission } from "./catalog";
import { capabilityAllows, effectivePermissions, type AuthContext, type NodeRef } from "./decide";
import { isWithin } from "./paths";

/** A role as the grant rules see it. Built-in keys (owner, manager, viewer) are reserved. */
export interface RoleRef {
  key: string;
  permissions: ReadonlySet<Permission>;
}

export interface AssignmentChange {
  kind: "create" | "change" | "remove";
  actor: AuthContext;
  /** The principal whose assignment changes, with its own current grants. */
  target: AuthContext;
  node: NodeRef & { isAccount: boolean };
  /** The path of the target's home node (SPEC §3 home rule). */
  targetHomePath: string;
  /** The role granted by a create or change. */
  role?: RoleRef;
  /** The role held before a change or remove. */
  previousRole?: RoleRef;
}

export type RuleVerdict = { ok: true } | { ok: false; rule: number; code: string; message: string };

const OK: RuleVerdict = { ok: true };
const refuse = (rule: number, code: string, message: string): RuleVerdict => ({ ok: false, rule, code, message });

/** Whether `ctx` holds the built-in Owner role, in force, on `node` or above it. */
export function isEffectiveOwner(ctx: AuthContext, node: NodeRef): boolean {
  if (ctx.principal.status !== "active" || ctx.principal.accountId !== node.accountId) return false;
  return ctx.grants.some(
    (grant) => grant.roleKey === "owner" && isWithin(node.path, grant.nodePath) && (grant.expiresAt === null || grant.expiresAt > ctx.now),
  );
}

/**
 * Grant rules 1–5 and 7 of SPEC §4 for creating, changing or removing an assignment. Rule 6 (owner
 * continuity) needs the database and is checked by the service under a lock; rule 8 holds by design.
 */
export function checkAssignmentChange(change: AssignmentChange): RuleVerdict {
  const { actor, target, node, kind } = change;
  if (actor.principal.accountId !== node.accountId || target.principal.accountId !== node.accountId) {
    return refuse(7, "other-account", "Assignments never cross accounts.");
  }
  if (actor.principal.id === target.principal.id) {
    // Leaving is the one change anyone may make to their own access (continuity may still refuse it).
    return kind === "remove" ? OK : refuse(5, "self-change", "You cannot change your own assignments; you may only leave.");
  }
  const held = effectivePermissions(actor, node);
  const roles = [change.role, change.previousRole].filter((role): role is RoleRef => role !== undefined);
  if (!held.has("role.assign")) return refuse(1, "no-role-assign", "You need role.assign on this node.");
  for (const role of roles) {
    const missing = [...role.permissions].filter((permission) => capabilityAllows(permission, node) && !held.has(permission));
    if (missing.length > 0) {
      return refuse(1, "exceeds-own-permissions", `You cannot hand out permissions you do not hold here: ${missing.join(", ")}.`);
    }
  }
  if (roles.some((role) => role.key === "owner") && !isEffectiveOwner(actor, node)) {
    return refuse(2, "owner-only", "Only an Owner of this node grants or removes Owner here.");
  }
  if (node.isAccount && change.role?.permissions.has("role.assign") && !isEffectiveOwner(actor, node)) {
    return refuse(3, "account-below-manager", "At the account, only an Owner grants roles that include role.assign.");
  }
  if (kind !== "create") {
    const theirs = effectivePermissions(target, node);
    const beyond = [...theirs].filter((permission) => !held.has(permission));
    if (beyond.length > 0) return refuse(4, "outranks-you", "You cannot change the access of someone who holds more than you here.");
  }
  if (kind !== "remove" && !isWithin(node.path, change.targetHomePath)) {
    return refuse(7, "outside-home", "This principal can hold assignments only on its home node and below.");
  }
  return OK;
}

/** Rule 6: refuses a change that would leave an account or reseller organization without a qualifying Owner. */
export function checkOwnerContinuity(qualifyingOwnersAfter: number): RuleVerdict {
  return qualifyingOwnersAfter > 0
    ? OK
    : refuse(6, "last-owner", "This would leave no active, direct, human Owner here; add another Owner first.");
}

/** Rule 4 outside assignments: acting on another principal (reset, sign-out) needs holding all they hold on `node`. */
export function checkMayManage(actor: AuthContext, target: AuthContext, node: NodeRef): RuleVerdict {
  if (actor.principal.accountId !== target.principal.accountId) return refuse(7, "other-account", "Principals of other accounts are out of reach.");
  if (actor.principal.id === target.principal.id) return OK;
  const held = effectivePermissions(actor, node);
  const beyond = [...effectivePermissions(target, node)].filter((permission) => !held.has(permission));
  return beyond.length > 0 ? refuse(4, "outranks-you", "You cannot act on someone who holds more than you here.") : OK;
}

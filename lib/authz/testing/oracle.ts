import { PERMISSIONS, type Capability, type Permission } from "@/lib/authz/catalog";
import type { DenialReason } from "@/lib/authz/decide";

// A deliberately naive model of SPEC §2, §4 and §6, written apart from the library it checks: it
// walks parent links in memory and never looks at materialized paths, and it keeps its own role
// lists, capability requirements, expiry rule and capability cascade. Property tests compare the
// library against it, so nothing here may come from lib/authz beyond types and the catalog list.

export type BuiltinKey = "owner" | "manager" | "viewer";

/** The facts of a world, as stored rows would state them (parent links, not paths). */
export interface Facts {
  nodes: readonly { id: string; accountId: string; parentId: string | null }[];
  principals: readonly { id: string; accountId: string; status: "invited" | "active" | "disabled" }[];
  /** Built-in roles carry only their key: the oracle knows their permissions itself. */
  roles: readonly ({ id: string; builtin: BuiltinKey } | { id: string; builtin: null; permissions: readonly Permission[] })[];
  assignments: readonly OracleAssignment[];
  capabilities: readonly { nodeId: string; capability: Capability; expiresAt: Date | null }[];
}

export interface OracleAssignment {
  id: string;
  principalId: string;
  nodeId: string;
  roleId: string;
  expiresAt: Date | null;
}

export type OracleDecision =
  | { allowed: true; granting: OracleAssignment[] }
  | { allowed: false; reason: DenialReason; capability?: Capability; expired: OracleAssignment[] };

const MANAGER_EXCLUDES: readonly Permission[] = ["account.manage", "billing.read", "billing.manage", "apiclient.manage", "idp.manage"];

/** SPEC §4, written out again. */
const BUILTIN_PERMISSIONS: Record<BuiltinKey, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  manager: new Set(PERMISSIONS.filter((permission) => !MANAGER_EXCLUDES.includes(permission))),
  viewer: new Set<Permission>(["tenant.read", "member.read", "asset.read", "consumption.read", "policy.read"]),
};

/** SPEC §6, written out again: the capability a permission needs, if any. */
export function oracleRequiredCapability(permission: Permission): Capability | null {
  const area = permission.slice(0, permission.indexOf("."));
  if (area === "consumption" || area === "entitlement" || area === "budget") return "flex";
  if (area === "asset") return "assets";
  if (area === "policy") return "policies";
  if (permission === "idp.manage") return "sso";
  if (permission === "apiclient.manage") return "api";
  return null;
}

export class Oracle {
  private readonly parentOf = new Map<string, string | null>();
  private readonly accountOf = new Map<string, string>();
  private readonly principals = new Map<string, Facts["principals"][number]>();
  private readonly rolePermissions = new Map<string, ReadonlySet<Permission>>();
  private readonly assignmentsOf = new Map<string, OracleAssignment[]>();
  private readonly settingsAt = new Map<string, Map<Capability, Date | null>>();
  private readonly chains = new Map<string, string[]>();
  private readonly effective = new Map<string, Set<Capability>>();

  constructor(
    facts: Facts,
    private readonly now: Date,
  ) {
    for (const node of facts.nodes) {
      this.parentOf.set(node.id, node.parentId);
      this.accountOf.set(node.id, node.accountId);
    }
    for (const principal of facts.principals) this.principals.set(principal.id, principal);
    for (const role of facts.roles) {
      this.rolePermissions.set(role.id, role.builtin ? BUILTIN_PERMISSIONS[role.builtin] : new Set(role.permissions));
    }
    for (const assignment of facts.assignments) {
      const list = this.assignmentsOf.get(assignment.principalId) ?? [];
      list.push(assignment);
      this.assignmentsOf.set(assignment.principalId, list);
    }
    for (const setting of facts.capabilities) {
      const settings = this.settingsAt.get(setting.nodeId) ?? new Map<Capability, Date | null>();
      settings.set(setting.capability, setting.expiresAt);
      this.settingsAt.set(setting.nodeId, settings);
    }
  }

  /** Whether something that expires at `expiresAt` still holds at the oracle's time (expiring at `now` is expired). */
  inForce(expiresAt: Date | null): boolean {
    return expiresAt === null || expiresAt.getTime() > this.now.getTime();
  }

  /** The node, its parent, and so on up to the account, by following parent links. */
  chain(nodeId: string): string[] {
    const known = this.chains.get(nodeId);
    if (known) return known;
    const chain: string[] = [];
    for (let current: string | null | undefined = nodeId; current; current = this.parentOf.get(current)) {
      if (chain.includes(current)) throw new Error(`the oracle's tree has a cycle through ${current}`);
      chain.push(current);
    }
    this.chains.set(nodeId, chain);
    return chain;
  }

  /** Whether `nodeId` is `ancestorId` or below it. */
  isAtOrBelow(nodeId: string, ancestorId: string): boolean {
    return this.chain(nodeId).includes(ancestorId);
  }

  /**
   * Capabilities set and unexpired on every node from the account down to `nodeId` (SPEC §6), except
   * `reseller`, which the account alone gives: set and unexpired on the account and on the node.
   */
  capabilities(nodeId: string): Set<Capability> {
    const known = this.effective.get(nodeId);
    if (known) return new Set(known);
    const result = new Set<Capability>();
    const chain = this.chain(nodeId);
    const has = (id: string, capability: Capability) => {
      const settings = this.settingsAt.get(id);
      return settings !== undefined && settings.has(capability) && this.inForce(settings.get(capability) ?? null);
    };
    for (const [capability] of this.settingsAt.get(nodeId) ?? []) {
      // Only the account gives `reseller`, straight to the organization: what lies between does not matter.
      const givers = capability === "reseller" ? [nodeId, chain[chain.length - 1]!] : chain;
      if (givers.every((id) => has(id, capability))) result.add(capability);
    }
    this.effective.set(nodeId, result);
    return new Set(result);
  }

  private permissionsOfRole(roleId: string): ReadonlySet<Permission> {
    const permissions = this.rolePermissions.get(roleId);
    if (!permissions) throw new Error(`the oracle knows no role ${roleId}`);
    return permissions;
  }

  /** Assignments of the principal on the node or above it, in force or not. */
  private assignmentsOnChain(principalId: string, nodeId: string): OracleAssignment[] {
    const chain = this.chain(nodeId);
    return (this.assignmentsOf.get(principalId) ?? []).filter((assignment) => chain.includes(assignment.nodeId));
  }

  private counts(principalId: string, nodeId: string): boolean {
    const principal = this.principals.get(principalId);
    if (!principal) throw new Error(`the oracle knows no principal ${principalId}`);
    return principal.status === "active" && principal.accountId === this.accountOf.get(nodeId);
  }

  /** Effective permissions (SPEC §4): unexpired assignments on the path, capability-filtered, none when inactive. */
  permissions(principalId: string, nodeId: string): Set<Permission> {
    const result = new Set<Permission>();
    if (!this.counts(principalId, nodeId)) return result;
    const capabilities = this.capabilities(nodeId);
    for (const assignment of this.assignmentsOnChain(principalId, nodeId)) {
      if (!this.inForce(assignment.expiresAt)) continue;
      for (const permission of this.permissionsOfRole(assignment.roleId)) {
        const needs = oracleRequiredCapability(permission);
        if (needs === null || capabilities.has(needs)) result.add(permission);
      }
    }
    return result;
  }

  /** The in-force assignments that give the principal at least one effective permission on the node. */
  contributing(principalId: string, nodeId: string): OracleAssignment[] {
    if (!this.counts(principalId, nodeId)) return [];
    const capabilities = this.capabilities(nodeId);
    return this.assignmentsOnChain(principalId, nodeId).filter(
      (assignment) =>
        this.inForce(assignment.expiresAt) &&
        [...this.permissionsOfRole(assignment.roleId)].some((permission) => {
          const needs = oracleRequiredCapability(permission);
          return needs === null || capabilities.has(needs);
        }),
    );
  }

  /**
   * Allowed with every assignment that grants it, or denied with the first reason that applies, in
   * this order: another account, an inactive principal, a missing capability, only expired
   * assignments carrying the permission, no assignment carrying it at all.
   */
  decide(principalId: string, permission: Permission, nodeId: string): OracleDecision {
    const principal = this.principals.get(principalId);
    if (!principal) throw new Error(`the oracle knows no principal ${principalId}`);
    if (principal.accountId !== this.accountOf.get(nodeId)) return { allowed: false, reason: "other-account", expired: [] };
    if (principal.status !== "active") return { allowed: false, reason: "principal-inactive", expired: [] };
    const needs = oracleRequiredCapability(permission);
    if (needs !== null && !this.capabilities(nodeId).has(needs)) {
      return { allowed: false, reason: "capability-missing", capability: needs, expired: [] };
    }
    const carrying = this.assignmentsOnChain(principalId, nodeId).filter((assignment) => this.permissionsOfRole(assignment.roleId).has(permission));
    const granting = carrying.filter((assignment) => this.inForce(assignment.expiresAt));
    if (granting.length > 0) return { allowed: true, granting };
    if (carrying.length > 0) return { allowed: false, reason: "assignment-expired", expired: carrying };
    return { allowed: false, reason: "no-assignment", expired: [] };
  }
}

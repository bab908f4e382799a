import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES } from "./builtin-roles";
import type { Permission } from "./catalog";
import type { AuthContext, Grant, NodeRef } from "./decide";
import { checkAssignmentChange, checkOwnerContinuity, isEffectiveOwner, type AssignmentChange, type RoleRef } from "./grant-rules";

const NOW = new Date("2026-06-01T00:00:00Z");
const ACCOUNT = "acct";
const ALL_CAPABILITIES = new Set(["flex", "assets", "policies", "sso", "api", "reseller"] as const);

const node = (path: string): NodeRef & { isAccount: boolean } => ({
  id: path.split("/").filter(Boolean).pop()!,
  accountId: ACCOUNT,
  path,
  capabilities: ALL_CAPABILITIES,
  isAccount: path.split("/").filter(Boolean).length === 1,
});
const account = node("acct/");
const emea = node("acct/emea/");
const customer = node("acct/emea/cust/");
const other = node("acct/apac/");

const role = (key: string): RoleRef => {
  const builtin = BUILTIN_ROLES.find((candidate) => candidate.key === key);
  return { key, permissions: new Set(builtin?.permissions ?? []) };
};
const custom = (key: string, permissions: Permission[]): RoleRef => ({ key, permissions: new Set(permissions) });
const OWNER = role("owner");
const MANAGER = role("manager");
const VIEWER = role("viewer");

function principal(id: string, grants: [NodeRef, RoleRef][]): AuthContext {
  return {
    principal: { id, accountId: ACCOUNT, homeNodeId: "acct", kind: "user", status: "active", name: id, email: `${id}@example.com` },
    grants: grants.map(([on, held], index): Grant => ({
      assignmentId: `${id}-${index}`,
      nodeId: on.id,
      nodePath: on.path,
      roleId: held.key,
      roleKey: held.key,
      roleName: held.key,
      permissions: held.permissions,
      expiresAt: null,
      source: "direct",
    })),
    now: NOW,
  };
}

const owner = principal("owner", [[account, OWNER]]);
const accountManager = principal("manager", [[account, MANAGER]]);
const ouAdmin = principal("ou-admin", [[emea, MANAGER]]);
const newcomer = principal("newcomer", []);

function change(overrides: Partial<AssignmentChange>): AssignmentChange {
  return { kind: "create", actor: owner, target: newcomer, node: customer, targetHomePath: "acct/", role: VIEWER, ...overrides };
}

function refusedBy(verdict: ReturnType<typeof checkAssignmentChange>): number | null {
  return verdict.ok ? null : verdict.rule;
}

describe("grant rules (SPEC §4)", () => {
  describe("rule 1: nobody hands out more than they hold there", () => {
    it("lets an OU admin grant Viewer in their subtree", () => {
      expect(refusedBy(checkAssignmentChange(change({ actor: ouAdmin })))).toBeNull();
    });
    it("refuses an actor without role.assign on the node", () => {
      const viewer = principal("viewer", [[account, VIEWER]]);
      expect(refusedBy(checkAssignmentChange(change({ actor: viewer })))).toBe(1);
    });
    it("refuses an OU admin outside their subtree", () => {
      expect(refusedBy(checkAssignmentChange(change({ actor: ouAdmin, node: other })))).toBe(1);
    });
    it("refuses a Manager who grants a profile with billing.read, which Managers lack", () => {
      const billing = custom("billing-reader", ["tenant.read", "billing.read"]);
      expect(refusedBy(checkAssignmentChange(change({ actor: accountManager, role: billing })))).toBe(1);
    });
    it("ignores permissions the node's capabilities disable anyway", () => {
      const noAssets = { ...customer, capabilities: new Set<never>() };
      const assetsOnly = principal("asset-admin", [[account, custom("assigner", ["role.assign", "tenant.read", "member.read", "policy.read", "consumption.read"])]]);
      expect(refusedBy(checkAssignmentChange(change({ actor: assetsOnly, node: noAssets, role: VIEWER })))).toBeNull();
    });
  });

  describe("rule 2: only an Owner grants or removes Owner", () => {
    it("lets an Owner grant Owner", () => {
      expect(refusedBy(checkAssignmentChange(change({ role: OWNER })))).toBeNull();
    });
    it("refuses a Manager who grants Owner", () => {
      expect(refusedBy(checkAssignmentChange(change({ actor: ouAdmin, role: OWNER })))).not.toBeNull();
    });
    it("refuses a non-Owner who holds every permission but grants Owner", () => {
      const everything = principal("everything", [[account, custom("all-permissions", [...OWNER.permissions])]]);
      expect(refusedBy(checkAssignmentChange(change({ actor: everything, role: OWNER })))).toBe(2);
    });
    it("refuses a Manager who removes an Owner, even one who holds no more than they do", () => {
      const limitedOwner = custom("owner", ["tenant.read"]);
      const target = principal("target", [[customer, limitedOwner]]);
      const verdict = checkAssignmentChange(change({ kind: "remove", actor: ouAdmin, target, role: undefined, previousRole: limitedOwner }));
      expect(refusedBy(verdict)).toBe(2);
    });
  });

  describe("rule 3: at the account, non-Owners grant only roles without role.assign", () => {
    it("refuses an account Manager who grants Manager at the account", () => {
      expect(refusedBy(checkAssignmentChange(change({ actor: accountManager, node: account, role: MANAGER })))).toBe(3);
    });
    it("lets an account Manager grant Viewer at the account", () => {
      expect(refusedBy(checkAssignmentChange(change({ actor: accountManager, node: account, role: VIEWER })))).toBeNull();
    });
    it("lets an account Manager grant Manager below the account", () => {
      expect(refusedBy(checkAssignmentChange(change({ actor: accountManager, node: emea, role: MANAGER })))).toBeNull();
    });
    it("lets an Owner grant Manager at the account", () => {
      expect(refusedBy(checkAssignmentChange(change({ node: account, role: MANAGER })))).toBeNull();
    });
  });

  describe("rule 4: nobody touches someone who outranks them", () => {
    it("refuses an OU admin who demotes an account Owner's grant inside their subtree", () => {
      const verdict = checkAssignmentChange(change({ kind: "change", actor: ouAdmin, target: owner, node: customer, role: VIEWER, previousRole: VIEWER }));
      expect(refusedBy(verdict)).toBe(4);
    });
    it("lets an OU admin change a customer viewer's role", () => {
      const viewer = principal("cust-viewer", [[customer, VIEWER]]);
      const verdict = checkAssignmentChange(change({ kind: "change", actor: ouAdmin, target: viewer, role: MANAGER, previousRole: VIEWER, targetHomePath: customer.path }));
      expect(refusedBy(verdict)).toBeNull();
    });
  });

  describe("rule 5: nobody changes their own assignments except to leave", () => {
    it("refuses an Owner who changes their own role", () => {
      expect(refusedBy(checkAssignmentChange(change({ kind: "change", target: owner, node: account, role: VIEWER, previousRole: OWNER })))).toBe(5);
    });
    it("refuses an actor who grants themselves a role", () => {
      expect(refusedBy(checkAssignmentChange(change({ target: owner, role: VIEWER })))).toBe(5);
    });
    it("lets a viewer leave, although they hold no role.assign", () => {
      const viewer = principal("cust-viewer", [[customer, VIEWER]]);
      const verdict = checkAssignmentChange(change({ kind: "remove", actor: viewer, target: viewer, role: undefined, previousRole: VIEWER }));
      expect(refusedBy(verdict)).toBeNull();
    });
  });

  describe("rule 6: owner continuity", () => {
    it("refuses a change that leaves no qualifying Owner", () => {
      expect(checkOwnerContinuity(0)).toMatchObject({ ok: false, rule: 6 });
    });
    it("allows a change that leaves one", () => {
      expect(checkOwnerContinuity(1)).toEqual({ ok: true });
    });
  });

  describe("rule 7: the home rule", () => {
    it("refuses an assignment above a customer user's home organization", () => {
      expect(refusedBy(checkAssignmentChange(change({ node: emea, targetHomePath: customer.path })))).toBe(7);
    });
    it("allows one on the home organization itself", () => {
      expect(refusedBy(checkAssignmentChange(change({ node: customer, targetHomePath: customer.path })))).toBeNull();
    });
    it("refuses any assignment across accounts", () => {
      const stranger = { ...newcomer, principal: { ...newcomer.principal, accountId: "other-account" } };
      expect(refusedBy(checkAssignmentChange(change({ target: stranger })))).toBe(7);
    });
  });

  describe("effective Owner", () => {
    it("counts an Owner grant above the node and not one below it", () => {
      const orgOwner = principal("org-owner", [[customer, OWNER]]);
      expect(isEffectiveOwner(owner, customer)).toBe(true);
      expect(isEffectiveOwner(orgOwner, customer)).toBe(true);
      expect(isEffectiveOwner(orgOwner, emea)).toBe(false);
    });
    it("does not count an expired Owner grant", () => {
      const expired = { ...owner, grants: owner.grants.map((grant) => ({ ...grant, expiresAt: new Date("2026-01-01") })) };
      expect(isEffectiveOwner(expired, customer)).toBe(false);
    });
  });
});

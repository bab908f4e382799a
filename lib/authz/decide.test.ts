import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES } from "./builtin-roles";
import { PERMISSIONS, type Capability, type Permission } from "./catalog";
import { authContext, can, grantsWith, SCAN_AT_MOST, type AuthContext, type AuthPrincipal, type Grant, type NodeRef } from "./decide";
import { childPath, isWithin, pathIds, subtreeRange } from "./paths";

// The oracle below is written from SPEC §4 and §6, not derived from the code under test.
const SPEC_CATALOG = [
  "tenant.read", "tenant.create", "tenant.update", "tenant.move", "tenant.delete",
  "member.read", "member.invite", "member.manage", "role.assign", "profile.manage",
  "apiclient.manage", "idp.manage", "account.manage",
  "asset.read", "asset.manage", "asset.transfer",
  "consumption.read", "entitlement.manage", "budget.manage", "billing.read", "billing.manage",
  "capability.assign", "policy.read", "policy.manage", "audit.read",
] as const satisfies readonly Permission[];

const SPEC_MANAGER = [
  "tenant.read", "tenant.create", "tenant.update", "tenant.move", "tenant.delete",
  "member.read", "member.invite", "member.manage", "role.assign", "profile.manage",
  "asset.read", "asset.manage", "asset.transfer",
  "consumption.read", "entitlement.manage", "budget.manage",
  "capability.assign", "policy.read", "policy.manage", "audit.read",
] as const satisfies readonly Permission[];

const SPEC_VIEWER = ["tenant.read", "member.read", "asset.read", "consumption.read", "policy.read"] as const satisfies readonly Permission[];

const SPEC_CAPABILITY_BOUND: [Permission, Capability][] = [
  ["consumption.read", "flex"],
  ["entitlement.manage", "flex"],
  ["budget.manage", "flex"],
  ["asset.read", "assets"],
  ["asset.manage", "assets"],
  ["asset.transfer", "assets"],
  ["policy.read", "policies"],
  ["policy.manage", "policies"],
  ["idp.manage", "sso"],
  ["apiclient.manage", "api"],
];
const ALL_CAPABILITIES: ReadonlySet<Capability> = new Set(["flex", "assets", "policies", "sso", "api", "reseller"]);

const sorted = (values: Iterable<string>) => [...values].sort();

// A small tree: account > (emea > (acme, globex), apac > initech); a second account with one org.
const ids = {
  account: crypto.randomUUID(),
  emea: crypto.randomUUID(),
  acme: crypto.randomUUID(),
  globex: crypto.randomUUID(),
  apac: crypto.randomUUID(),
  initech: crypto.randomUUID(),
  otherAccount: crypto.randomUUID(),
  otherOrg: crypto.randomUUID(),
};

function node(accountId: string, ...chain: string[]): NodeRef {
  return { id: chain.at(-1)!, accountId, path: chain.map((id) => `${id}/`).join(""), capabilities: ALL_CAPABILITIES };
}

const tree = {
  account: node(ids.account, ids.account),
  emea: node(ids.account, ids.account, ids.emea),
  acme: node(ids.account, ids.account, ids.emea, ids.acme),
  globex: node(ids.account, ids.account, ids.emea, ids.globex),
  apac: node(ids.account, ids.account, ids.apac),
  initech: node(ids.account, ids.account, ids.apac, ids.initech),
  otherAccount: node(ids.otherAccount, ids.otherAccount),
  otherOrg: node(ids.otherAccount, ids.otherAccount, ids.otherOrg),
};

const NOW = new Date("2026-03-01T12:00:00Z");

function principal(overrides: Partial<AuthPrincipal> = {}): AuthPrincipal {
  return {
    id: crypto.randomUUID(),
    accountId: ids.account,
    homeNodeId: ids.account,
    kind: "user",
    status: "active",
    name: "Test User",
    email: "test@example.com",
    ...overrides,
  };
}

function grant(on: NodeRef, permissions: readonly Permission[], overrides: Partial<Grant> = {}): Grant {
  return {
    assignmentId: crypto.randomUUID(),
    nodeId: on.id,
    nodePath: on.path,
    roleId: crypto.randomUUID(),
    roleKey: "custom-role",
    roleName: "Role",
    permissions: new Set(permissions),
    expiresAt: null,
    source: "direct",
    ...overrides,
  };
}

function context(grants: Grant[], overrides: Partial<AuthPrincipal> = {}): AuthContext {
  return { principal: principal(overrides), grants, now: NOW };
}

describe("path helpers", () => {
  it("builds an account path and a child path from ids", () => {
    expect(childPath(null, "a")).toBe("a/");
    expect(childPath("a/", "b")).toBe("a/b/");
    expect(childPath("a/b/", "c")).toBe("a/b/c/");
  });

  it("lists the ids of a path from the account down", () => {
    expect(pathIds("a/b/c/")).toEqual(["a", "b", "c"]);
    expect(pathIds("a/")).toEqual(["a"]);
    expect(pathIds("")).toEqual([]);
  });

  it("treats a node as within itself and its ancestors only", () => {
    expect(isWithin("a/b/", "a/b/")).toBe(true);
    expect(isWithin("a/b/c/", "a/b/")).toBe(true);
    expect(isWithin("a/b/c/d/", "a/")).toBe(true);
    expect(isWithin("a/", "a/b/")).toBe(false);
    expect(isWithin("a/x/", "a/b/")).toBe(false);
    expect(isWithin("a/bc/", "a/b/")).toBe(false);
  });

  it("gives a byte range that holds the subtree and nothing else", () => {
    const range = subtreeRange("a/b/");
    expect(range).toEqual({ lower: "a/b/", upper: "a/b0" });
    const inRange = (path: string) => path >= range.lower && path < range.upper;
    for (const inside of ["a/b/", "a/b/c/", "a/b/zz/y/", "a/b/~/"]) expect(inRange(inside), inside).toBe(true);
    for (const outside of ["a/", "a/a/", "a/b-x/", "a/b./", "a/b0/", "a/bc/", "a/c/", "b/"]) {
      expect(inRange(outside), outside).toBe(false);
    }
  });

  it("agrees with isWithin on real uuid paths", () => {
    const nodes = Object.values(tree);
    for (const ancestor of nodes) {
      const range = subtreeRange(ancestor.path);
      for (const candidate of nodes) {
        const inRange = candidate.path >= range.lower && candidate.path < range.upper;
        expect(inRange).toBe(isWithin(candidate.path, ancestor.path));
      }
    }
  });
});

describe("can", () => {
  it("grants on the assignment's node and every node below it", () => {
    const ctx = context([grant(tree.emea, ["tenant.read"])]);
    expect(can(ctx, "tenant.read", tree.emea)).toBe(true);
    expect(can(ctx, "tenant.read", tree.acme)).toBe(true);
    expect(can(ctx, "tenant.read", tree.globex)).toBe(true);
  });

  it("does not leak to the parent, the account or a sibling branch", () => {
    const ctx = context([grant(tree.emea, ["tenant.read"])]);
    expect(can(ctx, "tenant.read", tree.account)).toBe(false);
    expect(can(ctx, "tenant.read", tree.apac)).toBe(false);
    expect(can(ctx, "tenant.read", tree.initech)).toBe(false);
  });

  it("does not leak from an organization to its sibling", () => {
    const ctx = context([grant(tree.acme, ["tenant.read"])]);
    expect(can(ctx, "tenant.read", tree.acme)).toBe(true);
    expect(can(ctx, "tenant.read", tree.globex)).toBe(false);
    expect(can(ctx, "tenant.read", tree.emea)).toBe(false);
  });

  it("grants only the permissions of the role", () => {
    const ctx = context([grant(tree.account, ["tenant.read"])]);
    expect(can(ctx, "tenant.read", tree.acme)).toBe(true);
    expect(can(ctx, "tenant.update", tree.acme)).toBe(false);
  });

  it("unions the roles of assignments on the node and its ancestors", () => {
    const ctx = context([grant(tree.account, ["tenant.read"]), grant(tree.emea, ["tenant.update"])]);
    expect(can(ctx, "tenant.update", tree.acme)).toBe(true);
    expect(can(ctx, "tenant.read", tree.acme)).toBe(true);
    expect(can(ctx, "tenant.update", tree.initech)).toBe(false);
    expect(can(ctx, "tenant.read", tree.initech)).toBe(true);
  });

  it("grants nothing from an expired assignment", () => {
    const expired = grant(tree.account, ["tenant.read"], { expiresAt: new Date(NOW.getTime() - 1) });
    const ctx = context([expired]);
    expect(can(ctx, "tenant.read", tree.account)).toBe(false);
    expect(can(ctx, "tenant.read", tree.acme)).toBe(false);
  });

  it("treats an assignment expiring exactly now as expired", () => {
    const ctx = context([grant(tree.account, ["tenant.read"], { expiresAt: new Date(NOW) })]);
    expect(can(ctx, "tenant.read", tree.account)).toBe(false);
  });

  it("grants from an assignment that expires later", () => {
    const ctx = context([grant(tree.account, ["tenant.read"], { expiresAt: new Date(NOW.getTime() + 60_000) })]);
    expect(can(ctx, "tenant.read", tree.acme)).toBe(true);
  });

  it.each(["disabled", "invited"] as const)("refuses a %s principal even with an Owner assignment", (status) => {
    const ctx = context([grant(tree.account, SPEC_CATALOG)], { status });
    for (const permission of SPEC_CATALOG) {
      expect(can(ctx, permission, tree.account), permission).toBe(false);
      expect(can(ctx, permission, tree.acme), permission).toBe(false);
    }
  });

  it("refuses a node of another account", () => {
    const ctx = context([grant(tree.account, SPEC_CATALOG)]);
    expect(can(ctx, "tenant.read", tree.otherAccount)).toBe(false);
    expect(can(ctx, "tenant.read", tree.otherOrg)).toBe(false);
  });

  it("refuses another account's node even when a grant's path would cover it", () => {
    // A grant carried over from the other account must not open it to this principal.
    const ctx = context([grant(tree.otherAccount, ["tenant.read"])]);
    expect(can(ctx, "tenant.read", tree.otherOrg)).toBe(false);
  });

  it.each(SPEC_CAPABILITY_BOUND)("refuses an Owner %s on a node without %s", (permission, capability) => {
    const ctx = context([grant(tree.account, SPEC_CATALOG)]);
    const without = new Set([...ALL_CAPABILITIES].filter((c) => c !== capability));
    expect(can(ctx, permission, { ...tree.acme, capabilities: without })).toBe(false);
    expect(can(ctx, permission, { ...tree.acme, capabilities: undefined })).toBe(false);
    expect(can(ctx, permission, { ...tree.acme, capabilities: new Set([capability]) })).toBe(true);
  });

  it("grants an Owner every permission not bound to a capability on a node without capabilities", () => {
    const bound = new Set(SPEC_CAPABILITY_BOUND.map(([permission]) => permission));
    const ctx = context([grant(tree.account, SPEC_CATALOG)]);
    const bare: NodeRef = { ...tree.acme, capabilities: new Set() };
    for (const permission of SPEC_CATALOG) {
      expect(can(ctx, permission, bare), permission).toBe(!bound.has(permission));
    }
  });
});

describe("can with many grants", () => {
  // A delegated admin of dozens of organizations: decisions look grants up by the ids on the node's
  // path. On a generated tree, every node and permission must be decided as the plain definition says:
  // some in-force grant carrying the permission on the node or an ancestor.
  function generatedTree(size: number): NodeRef[] {
    const nodes = [tree.account];
    for (let i = 1; i < size; i++) {
      const parent = nodes[(i * 7919) % nodes.length]!;
      const id = crypto.randomUUID();
      nodes.push({ id, accountId: ids.account, path: childPath(parent.path, id), capabilities: ALL_CAPABILITIES });
    }
    return nodes;
  }

  it(`decides like a scan of every grant, on both sides of ${SCAN_AT_MOST} grants`, () => {
    const nodes = generatedTree(300);
    const permissions = ["tenant.read", "tenant.update", "member.invite", "asset.read"] as const;
    for (const count of [1, 8, SCAN_AT_MOST - 1, SCAN_AT_MOST, SCAN_AT_MOST + 1, 200]) {
      const grants = Array.from({ length: count }, (_, i) =>
        grant(nodes[(i * 37 + count) % nodes.length]!, [permissions[i % 4]!, permissions[(i + 1) % 4]!], {
          expiresAt: i % 5 === 0 ? new Date(NOW.getTime() - 1) : null,
        }),
      );
      // Two grants on one node, each with a permission no other grant carries: both must be found.
      const shared = nodes[1 + (count % 50)]!;
      grants.push(grant(shared, ["billing.read"]), grant(shared, ["audit.read"]));
      const ctx = context(grants);
      expect(can(ctx, "billing.read", shared) && can(ctx, "audit.read", shared), `${count} grants, two on one node`).toBe(true);
      let allowed = 0;
      for (const node of nodes) {
        for (const permission of [...permissions, "billing.read", "audit.read"] as const) {
          const expected = grants.some((g) => g.permissions.has(permission) && isWithin(node.path, g.nodePath) && (g.expiresAt === null || g.expiresAt > NOW));
          expect(can(ctx, permission, node), `${count} grants, ${permission}`).toBe(expected);
          if (expected) allowed++;
        }
      }
      expect(allowed).toBeGreaterThan(0);
    }
  });

  it("decides each context at its own time and status, even when contexts share their grants", () => {
    const nodes = generatedTree(50);
    const grants = nodes.slice(0, SCAN_AT_MOST + 1).map((node) => grant(node, ["tenant.read"], { expiresAt: new Date(NOW.getTime() + 1000) }));
    const before = context(grants);
    const after = { ...before, now: new Date(NOW.getTime() + 1000) };
    const disabled = { ...before, principal: { ...before.principal, status: "disabled" as const } };
    expect(can(before, "tenant.read", nodes[1]!)).toBe(true);
    expect(can(after, "tenant.read", nodes[1]!)).toBe(false);
    expect(can(disabled, "tenant.read", nodes[1]!)).toBe(false);
    expect(can(before, "tenant.read", nodes[1]!)).toBe(true);
  });

  it("decides a copy of a built context at the copy's own time and status", () => {
    // authContext builds the decision table with the context; a `{ ...ctx, now }` copy carries it along.
    const nodes = generatedTree(20);
    for (const count of [3, SCAN_AT_MOST + 1]) {
      const grants = nodes.slice(0, count).map((node) => grant(node, ["tenant.read"], { expiresAt: new Date(NOW.getTime() + 1000) }));
      const built = authContext(principal(), grants, NOW);
      expect(can(built, "tenant.read", nodes[1]!), `${count} grants`).toBe(true);
      const later = { ...built, now: new Date(NOW.getTime() + 1000) };
      const disabled = { ...built, principal: { ...built.principal, status: "disabled" as const } };
      // nodes[0] is the account, nodes[1] its child: no other grant is above nodes[1].
      const fewer = { ...built, grants: grants.filter((g) => g.nodeId !== nodes[1]!.id && g.nodeId !== nodes[0]!.id) };
      expect(can(later, "tenant.read", nodes[1]!), `${count} grants, later`).toBe(false);
      expect(can(disabled, "tenant.read", nodes[1]!), `${count} grants, disabled`).toBe(false);
      expect(can(fewer, "tenant.read", nodes[1]!), `${count} grants, fewer`).toBe(false);
      expect(can(built, "tenant.read", nodes[1]!), `${count} grants, the original`).toBe(true);
    }
  });
});

describe("grantsWith", () => {
  it("returns the unexpired grants that carry the permission", () => {
    const reader = grant(tree.emea, ["tenant.read"]);
    const later = grant(tree.apac, ["tenant.read", "tenant.update"], { expiresAt: new Date(NOW.getTime() + 1000) });
    const expired = grant(tree.acme, ["tenant.read"], { expiresAt: new Date(NOW.getTime() - 1000) });
    const updater = grant(tree.globex, ["tenant.update"]);
    const ctx = context([reader, later, expired, updater]);
    expect(grantsWith(ctx, "tenant.read").map((g) => g.assignmentId)).toEqual([reader.assignmentId, later.assignmentId]);
    expect(grantsWith(ctx, "tenant.update").map((g) => g.assignmentId)).toEqual([later.assignmentId, updater.assignmentId]);
    expect(grantsWith(ctx, "audit.read")).toEqual([]);
  });

  it.each(["disabled", "invited"] as const)("returns nothing for a %s principal", (status) => {
    const ctx = context([grant(tree.account, ["tenant.read"])], { status });
    expect(grantsWith(ctx, "tenant.read")).toEqual([]);
  });
});

describe("built-in roles", () => {
  it("has exactly the SPEC §4 catalog", () => {
    expect(sorted(PERMISSIONS)).toEqual(sorted(SPEC_CATALOG));
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
  });

  it.each([
    ["owner", "Owner", SPEC_CATALOG],
    ["manager", "Manager", SPEC_MANAGER],
    ["viewer", "Viewer", SPEC_VIEWER],
  ] as const)("gives %s exactly the SPEC permissions", (key, name, expected) => {
    const role = BUILTIN_ROLES.find((candidate) => candidate.key === key);
    expect(role?.name).toBe(name);
    expect(sorted(role!.permissions)).toEqual(sorted(expected));
    expect(new Set(role!.permissions).size).toBe(role!.permissions.length);
  });

  it("keeps account, billing, API client and IdP management from Managers", () => {
    const manager = new Set(BUILTIN_ROLES.find((role) => role.key === "manager")!.permissions);
    for (const permission of ["account.manage", "billing.read", "billing.manage", "apiclient.manage", "idp.manage"] as const) {
      expect(manager.has(permission), permission).toBe(false);
    }
  });

  it("defines exactly Owner, Manager and Viewer", () => {
    expect(sorted(BUILTIN_ROLES.map((role) => role.key))).toEqual(["manager", "owner", "viewer"]);
  });
});

import { newEnforcer, newModelFromString, Util, type Adapter, type Enforcer, type Model } from "casbin";
import { REQUIRED_CAPABILITY } from "@/lib/authz/catalog";
import { inForce, ROLE_PERMISSIONS, type Dataset } from "./dataset";
import type { RoleKey } from "./generate-access";

/**
 * RBAC with domains, where the domain is the node's materialized path. A grouping rule
 * `g, <principal>, role:<key>, <assignment path>*` gives the role in that domain, and the domain
 * matching function keyMatch makes `<path>*` match the node itself and every node below it — the
 * role applies to the subtree. Role permissions are `p, role:<key>, <account path>*, <permission>,
 * <required capability or ->`. The node's effective capabilities come with the request, like any
 * ABAC attribute, and a custom function checks the one the permission needs.
 * The cheap comparisons come first in the matcher so g() (the expensive part) runs only for the
 * policy lines of the requested permission.
 */
const MODEL = `
[request_definition]
r = sub, dom, act, caps

[policy_definition]
p = sub, dom, act, cap

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && keyMatch(r.dom, p.dom) && hasCapability(r.caps, p.cap) && g(r.sub, p.sub, r.dom)
`;

/** Casbin has no expiry or principal status: the adapter loads only in-force assignments of active principals. */
export async function buildEnforcer(data: Dataset, principals: Iterable<number>): Promise<{ enforcer: Enforcer; links: number; domains: number }> {
  const account = data.nodes[0]!.path;
  const policies: string[][] = [];
  for (const [key, permissions] of Object.entries(ROLE_PERMISSIONS)) {
    for (const permission of permissions) policies.push([roleName(key as RoleKey), `${account}*`, permission, REQUIRED_CAPABILITY[permission] ?? "-"]);
  }
  const links: string[][] = [];
  for (const principal of principals) {
    if (data.principals[principal]!.status !== "active") continue;
    for (const index of data.byPrincipal[principal]!) {
      const assignment = data.assignments[index]!;
      if (!inForce(assignment, data.now)) continue;
      links.push([data.principals[principal]!.id, roleName(assignment.role), `${data.nodes[assignment.node]!.path}*`]);
    }
  }
  const enforcer = await newEnforcer(newModelFromString(MODEL), new ArrayAdapter(policies, links));
  await enforcer.addNamedDomainMatchingFunc("g", Util.keyMatchFunc);
  await enforcer.addFunction("hasCapability", (caps: string, cap: string) => cap === "-" || caps.includes(` ${cap} `));
  return { enforcer, links: links.length, domains: new Set(links.map((link) => link[2])).size };
}

function roleName(key: RoleKey): string {
  return `role:${key}`;
}

/** The capabilities request attribute: space-delimited, with spaces around, so includes(" x ") is exact. */
export function capabilityAttribute(capabilities: ReadonlySet<string>): string {
  return ` ${[...capabilities].join(" ")} `;
}

/**
 * Domains the role manager holds now. With a domain matching function, casbin's DefaultRoleManager
 * iterates all of them on every g() call and also adds each requested domain (node path) it has not
 * seen, so this grows past the policy's domains as checks run. Read from its internal map.
 */
export function roleManagerDomains(enforcer: Enforcer): number | null {
  const manager = enforcer.getRoleManager() as unknown as { allDomains?: Map<string, unknown> };
  return manager.allDomains?.size ?? null;
}

/** Serves policies from memory, as a database adapter would after its query. */
class ArrayAdapter implements Adapter {
  constructor(
    private readonly policies: string[][],
    private readonly links: string[][],
  ) {}

  async loadPolicy(model: Model): Promise<void> {
    model.addPolicies("p", "p", this.policies);
    model.addPolicies("g", "g", this.links);
  }

  async savePolicy(): Promise<boolean> {
    return false;
  }

  async addPolicy(): Promise<void> {}

  async removePolicy(): Promise<void> {}

  async removeFilteredPolicy(): Promise<void> {}
}

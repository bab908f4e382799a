import { BUILTIN_ROLES } from "@/lib/authz/builtin-roles";
import type { Permission } from "@/lib/authz/catalog";
import { generateAccess, type GenAssignment, type GenPrincipal, type RoleKey } from "./generate-access";
import { generateTree, type GenNode } from "./generate-tree";
import { Random } from "./random";

export interface Dataset {
  now: Date;
  nodes: GenNode[];
  principals: GenPrincipal[];
  assignments: GenAssignment[];
  /** Assignment indices of each principal. */
  byPrincipal: number[][];
  /** Principals 0..owners-1 are Owners at the account. */
  owners: number;
  /** Node indices in path (byte) order, and for each node its position there and the end of its subtree. */
  pathOrder: Int32Array;
  position: Int32Array;
  subtreeEnd: Int32Array;
}

/** A custom permission profile of the account, so that not every role is built in. */
export const CUSTOM_ROLE = {
  key: "auditor",
  name: "Billing auditor",
  permissions: ["tenant.read", "member.read", "billing.read", "audit.read", "consumption.read"] as Permission[],
};

/** Permissions of every role the generator hands out, by key. */
export const ROLE_PERMISSIONS: Record<RoleKey, ReadonlySet<Permission>> = {
  owner: new Set(BUILTIN_ROLES.find((role) => role.key === "owner")!.permissions),
  manager: new Set(BUILTIN_ROLES.find((role) => role.key === "manager")!.permissions),
  viewer: new Set(BUILTIN_ROLES.find((role) => role.key === "viewer")!.permissions),
  auditor: new Set(CUSTOM_ROLE.permissions),
};

export function generateDataset(options: { nodes: number; principals: number; assignments: number; seed: number }): Dataset {
  const random = new Random(options.seed);
  // Whole seconds: timestamps survive the round trip through PostgreSQL unchanged.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const nodes = generateTree(options.nodes, random, now);
  const { principals, assignments, owners } = generateAccess(nodes, options.principals, options.assignments, random, now);
  const byPrincipal: number[][] = principals.map(() => []);
  assignments.forEach((assignment, index) => byPrincipal[assignment.principal]!.push(index));
  return { now, nodes, principals, assignments, byPrincipal, owners, ...pathIndex(nodes) };
}

/** Sorting paths byte-wise puts every subtree in one contiguous run, as the `path` index does. */
function pathIndex(nodes: readonly GenNode[]) {
  const order = nodes.map((_, index) => index).sort((a, b) => (nodes[a]!.path < nodes[b]!.path ? -1 : 1));
  const pathOrder = Int32Array.from(order);
  const position = new Int32Array(nodes.length);
  order.forEach((node, at) => (position[node] = at));
  const subtreeEnd = new Int32Array(nodes.length);
  for (let at = 0; at < order.length; at++) {
    const prefix = nodes[order[at]!]!.path;
    let low = at + 1;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (nodes[order[mid]!]!.path.startsWith(prefix)) low = mid + 1;
      else high = mid;
    }
    subtreeEnd[order[at]!] = low;
  }
  return { pathOrder, position, subtreeEnd };
}

/** Whether an assignment is in force at the dataset's `now`. */
export function inForce(assignment: GenAssignment, now: Date): boolean {
  return assignment.expiresAt === null || assignment.expiresAt > now;
}

import { createMongoAbility, subject, type MongoAbility, type RawRuleOf } from "@casl/ability";
import { REQUIRED_CAPABILITY, type Capability, type Permission } from "@/lib/authz/catalog";
import { inForce, ROLE_PERMISSIONS, type Dataset } from "./dataset";
import type { GenNode } from "./generate-tree";

export type CaslNode = ReturnType<typeof caslNode>;

/** The node as CASL sees it: a tagged plain object with the attributes the conditions read. */
export function caslNode(node: GenNode) {
  return subject("Node", { id: node.id, path: node.path, capabilities: [...node.effective] });
}

/**
 * CASL's idiom is one ability per user, built per request from the user's current assignments
 * (`defineAbilityFor(user)`), so expired assignments and inactive principals simply contribute no rules.
 * Each in-force assignment becomes one rule per capability its role's permissions need: the subtree is
 * a path prefix ($regex anchored at the start) and a capability-bound permission also needs
 * `capabilities` to contain that capability (Mongo semantics: equality against an array field).
 */
export function buildAbility(data: Dataset, principal: number): MongoAbility {
  const rules: RawRuleOf<MongoAbility>[] = [];
  if (data.principals[principal]!.status === "active") {
    for (const index of data.byPrincipal[principal]!) {
      const assignment = data.assignments[index]!;
      if (!inForce(assignment, data.now)) continue;
      const prefix = { $regex: `^${escapeRegex(data.nodes[assignment.node]!.path)}` };
      for (const [capability, actions] of byCapability(ROLE_PERMISSIONS[assignment.role])) {
        const conditions = capability ? { path: prefix, capabilities: capability } : { path: prefix };
        rules.push({ action: actions, subject: "Node", conditions });
      }
    }
  }
  return createMongoAbility(rules);
}

/** Permissions grouped by the capability they need ("" for none). */
function byCapability(permissions: ReadonlySet<Permission>): Map<Capability | "", Permission[]> {
  const groups = new Map<Capability | "", Permission[]>();
  for (const permission of permissions) {
    const key = REQUIRED_CAPABILITY[permission] ?? "";
    groups.set(key, [...(groups.get(key) ?? []), permission]);
  }
  return groups;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

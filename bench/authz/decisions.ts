import { can, type AuthContext, type NodeRef } from "@/lib/authz/decide";
import { PERMISSIONS, type Permission } from "@/lib/authz/catalog";
import type { MongoAbility } from "@casl/ability";
import type { Enforcer } from "casbin";
import { capabilityAttribute } from "./casbin";
import { caslNode, type CaslNode } from "./casl";
import { inForce, ROLE_PERMISSIONS, type Dataset } from "./dataset";
import type { Random } from "./random";

export interface Decision {
  principal: number;
  node: number;
  permission: Permission;
}

/** The sampled principals: every account Owner, then distinct random principals. */
export function samplePrincipals(data: Dataset, count: number, random: Random): number[] {
  const chosen = new Set<number>();
  for (let i = 0; i < data.owners && chosen.size < count; i++) chosen.add(i);
  const target = Math.min(count, data.principals.length);
  while (chosen.size < target) chosen.add(random.int(data.principals.length));
  return [...chosen];
}

/**
 * Decisions over the sampled principals: 45% on a node inside one of the principal's assignments
 * (expired ones favoured), with a permission of that role most of the time; 10% on an ancestor of an
 * assigned node; 45% on any node with any permission — so both allowed and denied cases are common.
 */
export function sampleDecisions(data: Dataset, principals: readonly number[], count: number, random: Random): Decision[] {
  const decisions: Decision[] = [];
  while (decisions.length < count) {
    const principal = random.pick(principals);
    const grants = data.byPrincipal[principal]!;
    const roll = random.next();
    if (grants.length > 0 && roll < 0.55) {
      // Expired assignments are rare (~5%); aim at them often enough to test that they grant nothing.
      const expired = random.chance(0.25) ? grants.filter((index) => !inForce(data.assignments[index]!, data.now)) : [];
      const assignment = data.assignments[random.pick(expired.length > 0 ? expired : grants)]!;
      if (roll < 0.45) {
        const from = data.position[assignment.node]!;
        const node = data.pathOrder[from + random.int(data.subtreeEnd[assignment.node]! - from)]!;
        const permission = random.chance(0.6) ? random.pick([...ROLE_PERMISSIONS[assignment.role]]) : random.pick(PERMISSIONS);
        decisions.push({ principal, node, permission });
      } else {
        decisions.push({ principal, node: ancestorOf(data, assignment.node, random), permission: random.pick(PERMISSIONS) });
      }
    } else {
      decisions.push({ principal, node: random.int(data.nodes.length), permission: random.pick(PERMISSIONS) });
    }
  }
  return decisions;
}

function ancestorOf(data: Dataset, node: number, random: Random): number {
  let current = node;
  const steps = 1 + random.int(3);
  for (let i = 0; i < steps && data.nodes[current]!.parent >= 0; i++) current = data.nodes[current]!.parent;
  return current;
}

/** Each library's arguments for every decision, resolved ahead so the timed loops only decide. */
export interface Prepared {
  arbor: { ctx: AuthContext; node: NodeRef }[];
  casbin: { id: string; path: string; caps: string }[];
  casl: { ability: MongoAbility; node: CaslNode }[];
  permissions: Permission[];
}

export function prepare(data: Dataset, decisions: readonly Decision[], contexts: Map<number, AuthContext>, abilities: Map<number, MongoAbility>): Prepared {
  const account = data.nodes[0]!.id;
  const refs = new Map<number, { arbor: NodeRef; casl: CaslNode; caps: string }>();
  const nodeFor = (index: number) => {
    let ref = refs.get(index);
    if (!ref) {
      const node = data.nodes[index]!;
      ref = { arbor: { id: node.id, accountId: account, path: node.path, capabilities: node.effective }, casl: caslNode(node), caps: capabilityAttribute(node.effective) };
      refs.set(index, ref);
    }
    return ref;
  };
  const prepared: Prepared = { arbor: [], casbin: [], casl: [], permissions: [] };
  for (const decision of decisions) {
    const ref = nodeFor(decision.node);
    const ctx = contexts.get(decision.principal);
    const ability = abilities.get(decision.principal);
    if (!ctx || !ability) throw new Error(`principal ${decision.principal} was not prepared`);
    prepared.arbor.push({ ctx, node: ref.arbor });
    prepared.casbin.push({ id: data.principals[decision.principal]!.id, path: ref.arbor.path, caps: ref.caps });
    prepared.casl.push({ ability, node: ref.casl });
    prepared.permissions.push(decision.permission);
  }
  return prepared;
}

export interface Agreement {
  sampled: number;
  allowed: number;
  denied: number;
  /** Decisions on a node under an expired assignment of the principal. */
  with_expired_assignment: number;
  /** ...of which denied: the expired assignment would have granted it, or nothing else does. */
  denied_with_expired_assignment: number;
  inactive_principal: number;
  mismatches: number;
  examples: { principal: string; node: string; permission: Permission; arbor: boolean; casbin: boolean; casl: boolean }[];
}

/** Runs every decision through the three libraries and counts where they differ. */
export function checkAgreement(data: Dataset, decisions: readonly Decision[], prepared: Prepared, enforcer: Enforcer): Agreement {
  const result: Agreement = { sampled: decisions.length, allowed: 0, denied: 0, with_expired_assignment: 0, denied_with_expired_assignment: 0, inactive_principal: 0, mismatches: 0, examples: [] };
  decisions.forEach((decision, i) => {
    const permission = prepared.permissions[i]!;
    const arbor = can(prepared.arbor[i]!.ctx, permission, prepared.arbor[i]!.node);
    const casbin = enforcer.enforceSync(prepared.casbin[i]!.id, prepared.casbin[i]!.path, permission, prepared.casbin[i]!.caps);
    const casl = prepared.casl[i]!.ability.can(permission, prepared.casl[i]!.node);
    if (arbor) result.allowed++;
    else result.denied++;
    if (data.principals[decision.principal]!.status !== "active") result.inactive_principal++;
    if (hasExpiredOnPath(data, decision)) {
      result.with_expired_assignment++;
      if (!arbor) result.denied_with_expired_assignment++;
    }
    if (arbor === casbin && arbor === casl) return;
    result.mismatches++;
    if (result.examples.length < 10) {
      result.examples.push({ principal: data.principals[decision.principal]!.id, node: data.nodes[decision.node]!.id, permission, arbor, casbin, casl });
    }
  });
  return result;
}

function hasExpiredOnPath(data: Dataset, decision: Decision): boolean {
  const path = data.nodes[decision.node]!.path;
  return data.byPrincipal[decision.principal]!.some((index) => {
    const assignment = data.assignments[index]!;
    return !inForce(assignment, data.now) && path.startsWith(data.nodes[assignment.node]!.path);
  });
}

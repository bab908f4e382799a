import { can, type AuthContext } from "@/lib/authz/decide";
import type { MongoAbility } from "@casl/ability";
import { buildEnforcer, roleManagerDomains } from "./casbin";
import { buildAbility } from "./casl";
import type { Dataset } from "./dataset";
import { checkAgreement, prepare, sampleDecisions, type Agreement, type Decision } from "./decisions";
import type { Random } from "./random";
import { medianOfRounds, timeChecks, type CheckTiming, type RoundsTiming } from "./stats";

export interface CasbinPolicy {
  principals: number;
  grouping_rules: number;
  domains: number;
  load_ms: number;
  /** Domains in casbin's role manager after the checks: policy domains plus every node path requested. */
  role_manager_domains_after_checks: number | null;
}

export interface ChecksResult {
  agreement: Agreement;
  /** The harness timing a call that only reads an array: the machine's and the timer's own floor and jitter. */
  floor: RoundsTiming;
  /** The harness timing a call that reads the decision's context and node path: what cold memory costs here. */
  memory_floor: RoundsTiming;
  arbor: RoundsTiming;
  casbin: RoundsTiming & { policy: CasbinPolicy };
  casl: RoundsTiming & { abilities: number; build_mean_us: number };
  /** casbin with every principal's policies loaded, on the same decisions, bounded by time. */
  casbin_full_policy: (CheckTiming & { policy: CasbinPolicy; checked: number; mismatches: number }) | null;
}

// Enough calls for stable percentiles, but never more than a few seconds per library and round.
const TIMING = { minCalls: 1_000_000, maxMs: 8_000 };
const CASBIN_TIMING = { minCalls: 1_000_000, maxMs: 3_000 };
// The libraries take turns, round after round, so that each sees the same drift of the machine.
const ROUNDS = 5;
const FULL_POLICY_TIMING = { minCalls: 2_000, maxMs: 15_000 };

export async function runChecks(
  data: Dataset,
  principals: readonly number[],
  contexts: Map<number, AuthContext>,
  options: { samples: number; casbinFull: boolean },
  random: Random,
): Promise<ChecksResult> {
  let started = Date.now();
  const { enforcer, links, domains } = await buildEnforcer(data, principals);
  const policy: CasbinPolicy = { principals: principals.length, grouping_rules: links, domains, load_ms: Date.now() - started, role_manager_domains_after_checks: null };
  console.log(`[casbin] ${links} grouping rules in ${domains} domains for ${principals.length} principals, loaded in ${policy.load_ms} ms`);

  started = Date.now();
  const abilities = new Map<number, MongoAbility>(principals.map((principal) => [principal, buildAbility(data, principal)]));
  const buildMeanUs = ((Date.now() - started) * 1000) / principals.length;

  const decisions = sampleDecisions(data, principals, options.samples, random);
  const prepared = prepare(data, decisions, contexts, abilities);
  // Also the warm-up: every library has run every decision once before it is timed.
  const agreement = checkAgreement(data, decisions, prepared, enforcer);
  console.log(`[agreement] ${agreement.sampled} decisions (${agreement.allowed} allowed, ${agreement.denied} denied), ${agreement.mismatches} mismatches`);

  const { permissions } = prepared;
  const rounds: Record<"floor" | "memory_floor" | "arbor" | "casl" | "casbin", CheckTiming[]> = { floor: [], memory_floor: [], arbor: [], casl: [], casbin: [] };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.floor.push(timeChecks(decisions.length, (i) => permissions[i] !== undefined, TIMING));
    rounds.memory_floor.push(
      timeChecks(decisions.length, (i) => prepared.arbor[i]!.ctx.grants.length < 0 || prepared.arbor[i]!.node.path.charCodeAt(prepared.arbor[i]!.node.path.length - 2) === 47, TIMING),
    );
    rounds.arbor.push(timeChecks(decisions.length, (i) => can(prepared.arbor[i]!.ctx, permissions[i]!, prepared.arbor[i]!.node), TIMING));
    rounds.casl.push(timeChecks(decisions.length, (i) => prepared.casl[i]!.ability.can(permissions[i]!, prepared.casl[i]!.node), TIMING));
    rounds.casbin.push(
      timeChecks(
        decisions.length,
        (i) => enforcer.enforceSync(prepared.casbin[i]!.id, prepared.casbin[i]!.path, permissions[i]!, prepared.casbin[i]!.caps),
        CASBIN_TIMING,
      ),
    );
    console.log(`[checks] round ${round + 1}/${ROUNDS}: Arbor p99 ${(rounds.arbor[round]!.p99 / 1000).toFixed(2)} µs, cold memory read p99 ${(rounds.memory_floor[round]!.p99 / 1000).toFixed(2)} µs`);
  }
  const [floor, memoryFloor, arbor, casl, casbin] = [rounds.floor, rounds.memory_floor, rounds.arbor, rounds.casl, rounds.casbin].map(medianOfRounds) as [
    RoundsTiming,
    RoundsTiming,
    RoundsTiming,
    RoundsTiming,
    RoundsTiming,
  ];
  policy.role_manager_domains_after_checks = roleManagerDomains(enforcer);
  const full = options.casbinFull ? await timeFullPolicy(data, decisions, prepared, contexts) : null;
  return {
    agreement,
    floor,
    memory_floor: memoryFloor,
    arbor,
    casbin: { ...casbin, policy },
    casl: { ...casl, abilities: abilities.size, build_mean_us: buildMeanUs },
    casbin_full_policy: full,
  };
}

/** The same decisions against an enforcer holding every active principal's in-force assignments. */
async function timeFullPolicy(data: Dataset, decisions: readonly Decision[], prepared: ReturnType<typeof prepare>, contexts: Map<number, AuthContext>) {
  const started = Date.now();
  const { enforcer, links, domains } = await buildEnforcer(data, data.principals.keys());
  const policy: CasbinPolicy = { principals: data.principals.length, grouping_rules: links, domains, load_ms: Date.now() - started, role_manager_domains_after_checks: null };
  console.log(`[casbin full] ${links} grouping rules in ${domains} domains, loaded in ${policy.load_ms} ms`);
  // Results are only recorded while timing; they are compared with Arbor afterwards.
  const results = new Map<number, boolean>();
  const timing = timeChecks(
    decisions.length,
    (i) => {
      const allowed = enforcer.enforceSync(prepared.casbin[i]!.id, prepared.casbin[i]!.path, prepared.permissions[i]!, prepared.casbin[i]!.caps);
      results.set(i, allowed);
      return allowed;
    },
    FULL_POLICY_TIMING,
  );
  let mismatches = 0;
  for (const [i, allowed] of results) {
    if (allowed !== can(contexts.get(decisions[i]!.principal)!, prepared.permissions[i]!, prepared.arbor[i]!.node)) mismatches++;
  }
  const checked = results.size;
  policy.role_manager_domains_after_checks = roleManagerDomains(enforcer);
  return { ...timing, policy, checked, mismatches };
}

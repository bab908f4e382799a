import { addDays, daysBetween } from "@/lib/consumption/calendar";
import type { Node } from "../schema";

// What the demo's organizations run, described as plans: deterministic (a generator seeded by each
// organization's slug), so every demo shows the same shapes whatever day it is seeded.

/** The organization that used 86% of last month's budget: its 80% alert was raised. */
export const NEAR_BUDGET = "adler-logistik";
/** The organization that went over last month's budget (108%): both alerts were raised. */
export const OVER_BUDGET = "harbour-lane-dental";

export interface EntitlementPlan {
  organization: Node;
  product: string;
  /** Entitlements of an organization with the same configuration name share one configuration. */
  configuration: string;
  parameters: Record<string, string | number>;
  description: string;
  status: "pending" | "active" | "stopped" | "expired";
  /** The activation day; null while pending. */
  start: string | null;
  /** The last day with usage (the day it stopped or expired); null while it runs. */
  end: string | null;
  /** The day's points, from the configuration's points per day. */
  points: (day: string, pointsPerDay: number) => number;
}

interface Template {
  product: string;
  configuration: string;
  parameters: (random: () => number) => Record<string, string | number>;
  /** How many entitlements of it an organization runs. */
  count: (random: () => number) => number;
  /** Usage follows people (weekends, growth, bursts) rather than a fixed capacity. */
  byUsers?: boolean;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: () => number, low: number, high: number, step = 1) => low + step * Math.floor((random() * (high - low + step)) / step);

const ENTERPRISE: Template[] = [
  { product: "fortigate-vm", configuration: "Datacenter firewall pair", parameters: (r) => ({ cpu: pick(r, ["4", "8", "16"]), service: pick(r, ["utp", "ent"]) }), count: () => 2 },
  { product: "fortigate-vm", configuration: "Branch firewall", parameters: (r) => ({ cpu: pick(r, ["1", "2"]), service: pick(r, ["fc", "atp", "utp"]) }), count: (r) => between(r, 1, 4) },
  { product: "fortianalyzer-vm", configuration: "Log analytics", parameters: (r) => ({ storage_gb: between(r, 20, 200, 5), adoms: between(r, 1, 5) }), count: () => 1 },
  { product: "forticlient-ems", configuration: "Endpoint protection", parameters: (r) => ({ endpoints: between(r, 200, 2000, 25), service: pick(r, ["epp", "epp-managed"]) }), count: () => 1, byUsers: true },
  { product: "fortisase", configuration: "Remote workforce", parameters: (r) => ({ users: between(r, 100, 800, 25), tier: pick(r, ["standard", "advanced"]) }), count: () => 1, byUsers: true },
  { product: "fortiweb-vm", configuration: "Web application firewall", parameters: (r) => ({ cpu: pick(r, ["2", "4"]), service: pick(r, ["std", "adv"]) }), count: () => 1 },
];

const SMB: Template[] = [
  { product: "fortigate-vm", configuration: "Office firewall", parameters: (r) => ({ cpu: pick(r, ["1", "2"]), service: pick(r, ["fc", "utp"]) }), count: () => 1 },
  { product: "forticlient-ems", configuration: "Endpoint protection", parameters: (r) => ({ endpoints: between(r, 25, 150, 25), service: pick(r, ["ztna", "epp"]) }), count: () => 1, byUsers: true },
  { product: "fortiap-cloud", configuration: "Office Wi-Fi", parameters: (r) => ({ access_points: between(r, 2, 12), tier: pick(r, ["cloud", "utp"]) }), count: () => 1 },
];

const RESELLER: Template[] = [
  { product: "fortimanager-vm", configuration: "Customer fleet management", parameters: (r) => ({ devices: between(r, 20, 60), adoms: between(r, 3, 8) }), count: () => 1 },
  { product: "fortianalyzer-vm", configuration: "Customer log analytics", parameters: (r) => ({ storage_gb: between(r, 50, 150, 5), adoms: between(r, 3, 8) }), count: () => 1 },
];

/** A small seeded generator (mulberry32): the same slug gives the same plans. */
function generator(seed: string): () => number {
  let state = 0;
  for (const char of seed) state = (Math.imul(state, 31) + char.charCodeAt(0)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function templatesOf(organization: Node): Template[] {
  if (organization.slug === "fabrikam-partners") return RESELLER;
  return organization.tags.includes("tier:enterprise") ? ENTERPRISE : SMB;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Points per day of a plan: fixed capacity (VMs, access points) bills its configuration every day;
 * user-driven products dip at weekends, grow over the year and now and then burst for a few days.
 */
function shape(random: () => number, template: Template, firstDay: string, today: string): EntitlementPlan["points"] {
  if (!template.byUsers) return (_day, pointsPerDay) => pointsPerDay;
  const span = daysBetween(firstDay, today);
  const bursts = random() < 0.25 ? [between(random, 20, span - 10)].map((offset) => ({ from: addDays(firstDay, offset), to: addDays(firstDay, offset + between(random, 3, 6)) })) : [];
  return (day, pointsPerDay) => {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.6 : 1;
    const growth = 0.75 + (0.35 * daysBetween(firstDay, day)) / span;
    const burst = bursts.some((window) => day >= window.from && day <= window.to) ? 2.6 : 1;
    return round4(pointsPerDay * weekend * growth * burst);
  };
}

/** The entitlements of every organization over [firstDay, today]: a growing estate, a few stopped, expired and pending. */
export function demoEntitlementPlans(organizations: Node[], firstDay: string, today: string): EntitlementPlan[] {
  const span = daysBetween(firstDay, today);
  const plans: EntitlementPlan[] = [];
  for (const organization of organizations) {
    const random = generator(organization.slug);
    const templates = templatesOf(organization).filter((_, index) => index < 2 || random() < 0.7);
    const chosen = templates.map((template) => template.parameters(random));
    templates.forEach((template, index) => {
      const parameters = chosen[index]!;
      for (let copy = template.count(random); copy > 0; copy--) {
        // Half the estate runs from the start; the rest is added over the year.
        const start = random() < 0.5 ? firstDay : addDays(firstDay, between(random, 1, span - 20));
        const fate = random();
        const lifetime = daysBetween(start, today);
        const end = fate < 0.1 && lifetime > 40 ? addDays(start, between(random, 20, lifetime - 10)) : null;
        plans.push({
          organization,
          product: template.product,
          configuration: template.configuration,
          parameters,
          description: `${template.configuration} for ${organization.name}`,
          status: end === null ? "active" : fate < 0.07 ? "stopped" : "expired",
          start,
          end,
          points: shape(random, template, firstDay, today),
        });
      }
    });
    if (random() < 0.12) {
      const template = templates[0]!;
      plans.push({
        organization,
        product: template.product,
        configuration: template.configuration,
        parameters: chosen[0]!,
        description: `Planned expansion for ${organization.name}`,
        status: "pending",
        start: null,
        end: null,
        points: () => 0,
      });
    }
  }
  return plans;
}

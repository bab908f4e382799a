import type { BuiltinRoleKey, Capability, Permission } from "@/lib/authz";
import { slugify } from "@/lib/tenants/slug";

// The demo provider: a realistic MSSP tree, described as data so the seed stays a small loop.

export interface DemoNode {
  slug: string;
  name: string;
  kind: "group" | "organization";
  parent: string;
  tags: string[];
  capabilities: Capability[];
}

export interface DemoUser {
  email: string;
  name: string;
  home: string;
  status: "active" | "invited" | "disabled";
  role: BuiltinRoleKey | typeof HELPDESK_PROFILE.key;
  on: string;
}

export const DEMO_ACCOUNT = { slug: "northwind", name: "Northwind MSSP" } as const;

export const ACCOUNT_CAPABILITIES: Capability[] = ["flex", "assets", "policies", "sso", "api", "reseller"];
const GROUP_CAPABILITIES: Capability[] = ["flex", "assets", "policies", "sso", "api"];
const CUSTOMER_CAPABILITIES: Capability[] = ["flex", "assets", "policies"];

export const HELPDESK_PROFILE = {
  key: "helpdesk-operator",
  name: "Helpdesk Operator",
  description: "First-line support: reads tenants and audit, handles members and assets.",
  permissions: ["tenant.read", "member.read", "member.invite", "asset.read", "asset.manage", "audit.read"] as Permission[],
} as const;

const REGIONS = [
  { slug: "emea", name: "EMEA" },
  { slug: "americas", name: "Americas" },
  { slug: "apac", name: "APAC" },
] as const;

const TIERS = [
  { slug: "enterprise", name: "Enterprise" },
  { slug: "smb", name: "SMB" },
] as const;

const CUSTOMERS: Record<string, string[]> = {
  "emea-enterprise": ["Adler Logistik", "Baltic Freight Lines", "Castellane Assurances", "Duna Energetika", "Elbe Chemie", "Fjord Maritime", "Galway Medtech"],
  "emea-smb": ["Harbour Lane Dental", "Isar Bakery Group", "Jura Watchworks", "Kestrel Accountancy", "Loire Vineyards", "Mosel Printing", "Nordlys Architects"],
  "americas-enterprise": ["Orchard Health Systems", "Pioneer Rail", "Quarry Ridge Mining", "Redwood Insurance", "Sierra Grid Power", "Tidewater Foods", "Union Plains Bank"],
  "americas-smb": ["Vista Optometry", "Willow Creek Clinic", "Yellowstone Outfitters", "Zephyr Coffee Roasters", "Aspen Legal Partners", "Bayou Marine Supply", "Cobalt Dental Lab"],
  "apac-enterprise": ["Dragon Gate Securities", "Eucalypt Mining", "Fuji Precision Works", "Ganges Textiles", "Harbourfront Telecom", "Indus Steel", "Jade Harbor Shipping"],
  "apac-smb": ["Kiwi Orchards", "Lotus Wellness Spa", "Monsoon Travel", "Nusantara Crafts", "Opal Coast Surf", "Pacific Rim Tutors", "Quokka Design Studio"],
};

const RESELLER = { slug: "fabrikam-partners", name: "Fabrikam Partners" };
const RESELLER_CUSTOMERS = ["Greenfield Pharmacy", "Hillside Veterinary", "Ironwood Carpentry"];

/** The groups and organizations below the account, parents before children. */
export function demoNodes(): DemoNode[] {
  const list: DemoNode[] = [
    { slug: "regions", name: "Regions", kind: "group", parent: DEMO_ACCOUNT.slug, tags: [], capabilities: GROUP_CAPABILITIES },
    { slug: "partners", name: "Partners", kind: "group", parent: DEMO_ACCOUNT.slug, tags: [], capabilities: GROUP_CAPABILITIES },
  ];
  for (const region of REGIONS) {
    list.push({ ...region, kind: "group", parent: "regions", tags: [`region:${region.slug}`], capabilities: GROUP_CAPABILITIES });
    for (const tier of TIERS) {
      const groupSlug = `${region.slug}-${tier.slug}`;
      list.push({
        slug: groupSlug,
        name: tier.name,
        kind: "group",
        parent: region.slug,
        tags: [`region:${region.slug}`, `tier:${tier.slug}`],
        capabilities: GROUP_CAPABILITIES,
      });
      for (const customer of CUSTOMERS[groupSlug] ?? []) {
        list.push({
          slug: slugify(customer),
          name: customer,
          kind: "organization",
          parent: groupSlug,
          tags: [`region:${region.slug}`, `tier:${tier.slug}`],
          capabilities: CUSTOMER_CAPABILITIES,
        });
      }
    }
  }
  list.push({ ...RESELLER, kind: "organization", parent: "partners", tags: ["channel:reseller"], capabilities: ["flex", "assets", "policies", "api", "reseller"] });
  for (const customer of RESELLER_CUSTOMERS) {
    list.push({ slug: slugify(customer), name: customer, kind: "organization", parent: RESELLER.slug, tags: ["channel:reseller"], capabilities: ["flex", "assets"] });
  }
  return list;
}

const FIRST_NAMES = ["Hannah", "Mateo", "Chloe", "Arjun", "Ingrid", "Kofi", "Lena", "Diego", "Yuki", "Marta", "Tomasz", "Amara", "Felix", "Nadia", "Rafael", "Sienna", "Jonas", "Aisha", "Henrik", "Valentina", "Omar", "Elsa", "Bruno", "Keiko"];
const LAST_NAMES = ["Weber", "Silva", "Dubois", "Patel", "Larsen", "Mensah", "Fischer", "Ramos", "Sato", "Novak", "Kowalski", "Okafor", "Meyer", "Haddad", "Costa", "Rossi", "Berg", "Rahman", "Nilsen", "Greco", "Farouk", "Holm", "Moreau", "Ito"];

/** Provider staff, OU admins, customer managers and viewers, a disabled user and a pending invitee. */
export function demoUsers(): DemoUser[] {
  const provider = `${DEMO_ACCOUNT.slug}.example`;
  const account = DEMO_ACCOUNT.slug;
  const users: DemoUser[] = [
    { email: `ava.thompson@${provider}`, name: "Ava Thompson", home: account, status: "active", role: "owner", on: account },
    { email: `liam.carter@${provider}`, name: "Liam Carter", home: account, status: "active", role: "owner", on: account },
    { email: `sofia.martins@${provider}`, name: "Sofia Martins", home: account, status: "active", role: "manager", on: account },
    { email: `noah.becker@${provider}`, name: "Noah Becker", home: account, status: "active", role: "manager", on: account },
    { email: `grace.kim@${provider}`, name: "Grace Kim", home: account, status: "active", role: "viewer", on: account },
    { email: `ethan.brooks@${provider}`, name: "Ethan Brooks", home: account, status: "active", role: HELPDESK_PROFILE.key, on: account },
    { email: `emma.schulz@${provider}`, name: "Emma Schulz", home: account, status: "active", role: "manager", on: "emea" },
    { email: `lucas.oliveira@${provider}`, name: "Lucas Oliveira", home: account, status: "active", role: "manager", on: "americas" },
    { email: `mei.tanaka@${provider}`, name: "Mei Tanaka", home: account, status: "active", role: "manager", on: "apac" },
    { email: `oscar.lindqvist@${provider}`, name: "Oscar Lindqvist", home: account, status: "disabled", role: "manager", on: "emea" },
    { email: `priya.nair@${provider}`, name: "Priya Nair", home: account, status: "invited", role: "viewer", on: account },
    { email: `nora.fabri@${RESELLER.slug}.example`, name: "Nora Fabri", home: RESELLER.slug, status: "active", role: "owner", on: RESELLER.slug },
    { email: `paul.ironwood@${RESELLER.slug}.example`, name: "Paul Ironwood", home: RESELLER.slug, status: "active", role: "viewer", on: slugify(RESELLER_CUSTOMERS[2]!) },
  ];
  const customers = demoNodes().filter((node) => node.kind === "organization" && node.parent !== RESELLER.slug && node.slug !== RESELLER.slug);
  customers.slice(0, 14).forEach((customer, index) => {
    const domain = `${customer.slug}.example`;
    const viewerName = `${FIRST_NAMES[index]!} ${LAST_NAMES[index]!}`;
    users.push({ email: `${slugify(viewerName).replace("-", ".")}@${domain}`, name: viewerName, home: customer.slug, status: "active", role: "viewer", on: customer.slug });
    if (index < 10) {
      const managerName = `${FIRST_NAMES[index + 14]!} ${LAST_NAMES[index + 14]!}`;
      users.push({ email: `${slugify(managerName).replace("-", ".")}@${domain}`, name: managerName, home: customer.slug, status: "active", role: "manager", on: customer.slug });
    }
  });
  return users;
}

/** The users the start output offers for signing in, one per persona. */
export function demoPersonas(): { persona: string; email: string }[] {
  const users = demoUsers();
  const firstViewer = users.find((user) => user.role === "viewer" && user.home !== DEMO_ACCOUNT.slug && user.home !== RESELLER.slug);
  return [
    { persona: "provider owner", email: users[0]!.email },
    { persona: "EMEA OU admin", email: users[6]!.email },
    { persona: "customer viewer", email: firstViewer!.email },
  ];
}

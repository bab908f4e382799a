import { PERMISSIONS, type Permission } from "@/lib/authz";

export interface PermissionArea {
  key: string;
  label: string;
  permissions: Permission[];
}

// Areas by the permission's prefix, in the order a provider admin thinks of them.
const AREAS: readonly { key: string; label: string; prefixes: readonly string[] }[] = [
  { key: "tenants", label: "Tenants", prefixes: ["tenant", "capability"] },
  { key: "members", label: "Members and roles", prefixes: ["member", "role", "profile"] },
  { key: "integration", label: "API clients, identity and account", prefixes: ["apiclient", "idp", "account"] },
  { key: "assets", label: "Assets", prefixes: ["asset"] },
  { key: "consumption", label: "Consumption and billing", prefixes: ["consumption", "entitlement", "budget", "billing"] },
  { key: "governance", label: "Policies and audit", prefixes: ["policy", "audit"] },
];

/** The permissions given (the whole catalog by default) grouped into areas; empty areas are left out. */
export function groupByArea(permissions: readonly Permission[] = PERMISSIONS): PermissionArea[] {
  const given = new Set(permissions);
  return AREAS.map((area) => ({
    key: area.key,
    label: area.label,
    permissions: PERMISSIONS.filter((permission) => given.has(permission) && area.prefixes.includes(permission.split(".")[0]!)),
  })).filter((area) => area.permissions.length > 0);
}

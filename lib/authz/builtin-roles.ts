import { PERMISSIONS, type Permission } from "./catalog";

export type BuiltinRoleKey = "owner" | "manager" | "viewer";

export interface BuiltinRole {
  key: BuiltinRoleKey;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

const NOT_FOR_MANAGERS: ReadonlySet<Permission> = new Set<Permission>([
  "account.manage",
  "billing.read",
  "billing.manage",
  "apiclient.manage",
  "idp.manage",
]);

/** Owner, Manager and Viewer exactly as SPEC §4 defines them. */
export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  {
    key: "owner",
    name: "Owner",
    description: "Everything, including billing, API clients, identity providers and the account itself.",
    permissions: PERMISSIONS,
  },
  {
    key: "manager",
    name: "Manager",
    description: "Manages tenants, members and services; no billing, API clients, identity providers or account settings.",
    permissions: PERMISSIONS.filter((permission) => !NOT_FOR_MANAGERS.has(permission)),
  },
  {
    key: "viewer",
    name: "Viewer",
    description: "Reads tenants, members, assets, consumption and policies.",
    permissions: ["tenant.read", "member.read", "asset.read", "consumption.read", "policy.read"],
  },
];

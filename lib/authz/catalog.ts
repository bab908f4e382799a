/** Every permission a server entry point may name (SPEC §4). */
export const PERMISSIONS = [
  "tenant.read",
  "tenant.create",
  "tenant.update",
  "tenant.move",
  "tenant.delete",
  "member.read",
  "member.invite",
  "member.manage",
  "role.assign",
  "profile.manage",
  "apiclient.manage",
  "idp.manage",
  "account.manage",
  "asset.read",
  "asset.manage",
  "asset.transfer",
  "consumption.read",
  "entitlement.manage",
  "budget.manage",
  "billing.read",
  "billing.manage",
  "capability.assign",
  "policy.read",
  "policy.manage",
  "audit.read",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Services a node may be given (SPEC §6). */
export const CAPABILITIES = ["flex", "assets", "policies", "sso", "api", "reseller"] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** Permissions that are denied, even to Owners, on a node without this capability. */
export const REQUIRED_CAPABILITY: Readonly<Partial<Record<Permission, Capability>>> = {
  "consumption.read": "flex",
  "entitlement.manage": "flex",
  "budget.manage": "flex",
  "asset.read": "assets",
  "asset.manage": "assets",
  "asset.transfer": "assets",
  "policy.read": "policies",
  "policy.manage": "policies",
  "idp.manage": "sso",
  "apiclient.manage": "api",
};

const permissionSet: ReadonlySet<string> = new Set(PERMISSIONS);

/** Whether a string names a permission of the catalog. */
export function isPermission(value: string): value is Permission {
  return permissionSet.has(value);
}

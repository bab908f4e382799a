import { REQUIRED_CAPABILITY, type Capability, type Permission } from "./catalog";
import { isWithin } from "./paths";

/** One unexpired-or-not role assignment of the principal, with what the decision needs of it. */
export interface Grant {
  assignmentId: string;
  nodeId: string;
  nodePath: string;
  roleId: string;
  roleName: string;
  permissions: ReadonlySet<Permission>;
  expiresAt: Date | null;
  source: "direct" | "invitation" | "idp";
}

export interface AuthPrincipal {
  id: string;
  accountId: string;
  homeNodeId: string;
  kind: "user" | "api_client";
  status: "invited" | "active" | "disabled";
  name: string;
  email: string | null;
}

/** Everything one request needs to decide; built per request, never shared between requests. */
export interface AuthContext {
  principal: AuthPrincipal;
  grants: readonly Grant[];
  now: Date;
}

/** A node as decisions see it. `capabilities` are its effective capabilities, when known. */
export interface NodeRef {
  id: string;
  accountId: string;
  path: string;
  capabilities?: ReadonlySet<Capability>;
}

/** Grants of the context that are in force at its time and carry `permission`. */
export function grantsWith(ctx: AuthContext, permission: Permission): Grant[] {
  if (ctx.principal.status !== "active") return [];
  return ctx.grants.filter(
    (grant) => grant.permissions.has(permission) && (grant.expiresAt === null || grant.expiresAt > ctx.now),
  );
}

/** Whether the principal holds `permission` on `node` (capability-bound permissions need `node.capabilities`). */
export function can(ctx: AuthContext, permission: Permission, node: NodeRef): boolean {
  if (node.accountId !== ctx.principal.accountId) return false;
  const capability = REQUIRED_CAPABILITY[permission];
  if (capability && !node.capabilities?.has(capability)) return false;
  return grantsWith(ctx, permission).some((grant) => isWithin(node.path, grant.nodePath));
}

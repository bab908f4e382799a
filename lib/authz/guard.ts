import { DomainError, notFound } from "@/lib/errors";
import type { Permission } from "./catalog";
import { can, explain, type AuthContext, type NodeRef } from "./decide";

/**
 * The one check every entry point makes before acting on a node. A node the principal may not even
 * read is "not found", exactly like a node that does not exist; one it may read but not change is
 * "forbidden", with the reason.
 */
export function checkPermission(ctx: AuthContext, permission: Permission, node: NodeRef | null): DomainError | null {
  if (!node || !can(ctx, "tenant.read", node)) return notFound();
  if (can(ctx, permission, node)) return null;
  const why = explain(ctx, permission, node);
  return new DomainError("forbidden", why.allowed ? `You may not use ${permission} here.` : `You may not use ${permission} here: ${why.message}`);
}

import "server-only";
import { notFound } from "next/navigation";
import { mayViewRoles } from "@/lib/access/profile-read";
import { effectivePermissions, type Permission } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { loadNode } from "../load-node";

/**
 * The roles pages' context: the node in the URL (readable, or not found), whether the principal may
 * see roles here, and what they hold on the account, where profiles live and are edited.
 */
export async function loadRolesContext(slug: string) {
  const context = await loadNode(slug);
  const { db, authz, node } = context;
  const account = await loadTreeNode(db, authz.principal.accountId, { id: authz.principal.accountId }, authz.now);
  const heldOnAccount: Set<Permission> = account ? effectivePermissions(authz, account) : new Set();
  return { ...context, mayView: mayViewRoles(authz, node), mayManage: heldOnAccount.has("profile.manage"), heldOnAccount };
}

/** For pages that only make sense to someone who may manage profiles. */
export async function requireProfileManager(slug: string) {
  const context = await loadRolesContext(slug);
  if (!context.mayManage) notFound();
  return context;
}

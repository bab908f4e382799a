import { eq } from "drizzle-orm";
import { localCredentials } from "@/db/schema";
import { authorize, recordDenial } from "@/lib/audit/record";
import { checkMayManage, type AuthContext, type Permission } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

export interface ManagedPrincipal {
  target: AuthContext;
  home: TreeNode;
  hasPassword: boolean;
}

/**
 * The principal an admin acts on, once the admin holds `permission` on its home node and is not
 * outranked there (grant rule 4). A principal of another account is simply not found.
 */
export async function loadManagedPrincipal(ctx: ServiceContext, action: string, permission: Permission, principalId: string): Promise<ManagedPrincipal> {
  const target = await loadAuthContext(ctx.db, principalId, ctx.authz.now);
  if (!target || target.principal.accountId !== ctx.authz.principal.accountId) throw notFound("user");
  const home = await loadTreeNode(ctx.db, target.principal.accountId, { id: target.principal.homeNodeId }, ctx.authz.now);
  await authorize(ctx, action, permission, home, "user");
  const verdict = checkMayManage(ctx.authz, target, home!);
  if (!verdict.ok) {
    await recordDenial(ctx, { action, nodeId: home!.id, reason: verdict.message, targetType: "principal", targetId: principalId });
    throw new DomainError("forbidden", verdict.message, { rule: verdict.rule });
  }
  const [credential] = await ctx.db.select({ id: localCredentials.principalId }).from(localCredentials).where(eq(localCredentials.principalId, principalId));
  return { target, home: home!, hasPassword: credential !== undefined };
}

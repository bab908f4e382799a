import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { nodeCapabilities, nodes } from "@/db/schema";
import { can, effectiveCapabilities, pathIds, type Permission } from "@/lib/authz";
import type { ServiceContext } from "@/lib/service-context";

/**
 * Which of these organizations the principal holds `permission` on, decided on each organization as
 * the services decide it (its own path and capabilities), so that a page offers an action only on the
 * rows the server will accept. Two queries whatever the number of organizations.
 */
export async function organizationsWith(ctx: ServiceContext, permission: Permission, organizationIds: readonly string[]): Promise<Set<string>> {
  const accountId = ctx.authz.principal.accountId;
  const ids = [...new Set(organizationIds)];
  if (ids.length === 0) return new Set();
  const found = await ctx.db
    .select({ id: nodes.id, path: nodes.path })
    .from(nodes)
    .where(and(eq(nodes.accountId, accountId), inArray(nodes.id, ids)));
  const onPaths = [...new Set(found.flatMap((node) => pathIds(node.path)))];
  const settings = await ctx.db
    .select({ nodeId: nodeCapabilities.nodeId, capability: nodeCapabilities.capability, expiresAt: nodeCapabilities.expiresAt })
    .from(nodeCapabilities)
    .where(and(eq(nodeCapabilities.accountId, accountId), inArray(nodeCapabilities.nodeId, onPaths)));
  const allowed = new Set<string>();
  for (const node of found) {
    const effective = effectiveCapabilities(
      pathIds(node.path).map((id) => settings.filter((setting) => setting.nodeId === id)),
      ctx.authz.now,
    );
    const ref = { id: node.id, accountId, path: node.path, capabilities: new Set(effective.map((entry) => entry.capability)) };
    if (can(ctx.authz, permission, ref)) allowed.add(node.id);
  }
  return allowed;
}

import { and, eq, inArray } from "drizzle-orm";
import { nodes, type NodeKind } from "@/db/schema";
import { can, pathIds, type AuthContext } from "@/lib/authz";
import { listAccessibleNodes } from "@/lib/authz/queries";
import type { Database } from "@/db/client";

export interface NodeMatch {
  id: string;
  slug: string;
  name: string;
  kind: NodeKind;
  /** The names of the readable ancestors, top-down: tells apart the "Enterprise" of each region. */
  trail: string[];
}

export const SEARCH_LIMIT = 20;

/** The nodes the principal may read whose name (or exact key:value tag) matches, in tree order. */
export async function searchReadableNodes(db: Database, ctx: AuthContext, query: string): Promise<NodeMatch[]> {
  const search = query.trim().slice(0, 100);
  const { items } = await listAccessibleNodes(db, ctx, "tenant.read", { search: search || undefined, limit: SEARCH_LIMIT });
  const ancestorIds = [...new Set(items.flatMap((item) => pathIds(item.path).slice(0, -1)))];
  const ancestors = ancestorIds.length
    ? await db
        .select({ id: nodes.id, name: nodes.name, path: nodes.path, accountId: nodes.accountId })
        .from(nodes)
        .where(and(eq(nodes.accountId, ctx.principal.accountId), inArray(nodes.id, ancestorIds)))
    : [];
  const readableNames = new Map(ancestors.filter((ancestor) => can(ctx, "tenant.read", ancestor)).map((ancestor) => [ancestor.id, ancestor.name]));
  return items.map((item) => ({
    id: item.id,
    slug: item.slug,
    name: item.name,
    kind: item.kind,
    trail: pathIds(item.path)
      .slice(0, -1)
      .flatMap((id) => (readableNames.has(id) ? [readableNames.get(id)!] : [])),
  }));
}

import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { nodes, type NodeKind, type NodeStatus } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { can, pathIds } from "@/lib/authz";
import { listAccessibleNodes, loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";

export interface SearchHit {
  id: string;
  slug: string;
  name: string;
  kind: NodeKind;
  status: NodeStatus;
  tags: string[];
  /** Names of the readable nodes above the hit, from the top down. */
  trail: string[];
}

const searchQuery = z.object({
  q: z.string().trim().min(1, "Enter part of a name, or a tag such as region:emea.").max(200, "Use at most 200 characters."),
  cursor: z.string().max(2_000).nullish(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

/**
 * Nodes the principal may read whose name contains the query, or that carry it as a `key:value` tag,
 * in tree order a page at a time, each with the path that leads to it.
 */
export async function searchTree(ctx: ServiceContext, raw: z.input<typeof searchQuery>): Promise<{ hits: SearchHit[]; nextCursor: string | null }> {
  const { q, cursor, limit } = parseInput(searchQuery, raw);
  // Tags are stored in lower case; names are matched without regard to case anyway.
  const search = q.includes(":") ? q.toLowerCase() : q;
  const page = await listAccessibleNodes(ctx.db, ctx.authz, "tenant.read", { search, cursor, limit });
  const above = [...new Set(page.items.flatMap((node) => pathIds(node.path).slice(0, -1)))];
  const ancestors = above.length
    ? await ctx.db
        .select({ id: nodes.id, accountId: nodes.accountId, path: nodes.path, name: nodes.name })
        .from(nodes)
        .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), inArray(nodes.id, above)))
    : [];
  const readable = new Map(ancestors.filter((node) => can(ctx.authz, "tenant.read", node)).map((node) => [node.id, node.name]));
  const hits = page.items.map((node) => ({
    id: node.id,
    slug: node.slug,
    name: node.name,
    kind: node.kind,
    status: node.status,
    tags: node.tags,
    trail: pathIds(node.path)
      .slice(0, -1)
      .flatMap((id) => readable.get(id) ?? []),
  }));
  return { hits, nextCursor: page.nextCursor };
}

export interface Destination {
  id: string;
  name: string;
  kind: NodeKind;
  trail: string[];
}

const destinationQuery = z.object({ q: z.string().trim().max(200, "Use at most 200 characters.").default("") });

/**
 * Where the principal may move a node: the account and groups it may create under (tenant.create),
 * not archived, outside the node's own subtree and other than its current parent. Needs tenant.move on the node.
 */
export async function listMoveDestinations(ctx: ServiceContext, nodeId: string, raw: z.input<typeof destinationQuery>): Promise<Destination[]> {
  const { q } = parseInput(destinationQuery, raw);
  const node = z.uuid().safeParse(nodeId).success ? await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: nodeId }, ctx.authz.now) : null;
  await authorize(ctx, "node.move", "tenant.move", node);
  const options = { search: q || undefined, limit: 30 };
  const [accounts, groups] = await Promise.all(
    (["account", "group"] as const).map((kind) => listAccessibleNodes(ctx.db, ctx.authz, "tenant.create", { ...options, kind })),
  );
  const candidates = [...accounts!.items, ...groups!.items].filter(
    (candidate) => candidate.status !== "archived" && !candidate.path.startsWith(node!.path) && candidate.id !== node!.parentId,
  );
  const names = new Map(candidates.map((candidate) => [candidate.id, candidate.name]));
  const missing = [...new Set(candidates.flatMap((candidate) => pathIds(candidate.path)))].filter((id) => !names.has(id));
  if (missing.length > 0) {
    const rows = await ctx.db
      .select({ id: nodes.id, accountId: nodes.accountId, path: nodes.path, name: nodes.name })
      .from(nodes)
      .where(and(eq(nodes.accountId, ctx.authz.principal.accountId), inArray(nodes.id, missing)));
    for (const row of rows) if (can(ctx.authz, "tenant.read", row)) names.set(row.id, row.name);
  }
  return candidates.slice(0, 20).map((candidate) => ({
    id: candidate.id,
    name: candidate.name,
    kind: candidate.kind,
    trail: pathIds(candidate.path)
      .slice(0, -1)
      .flatMap((id) => names.get(id) ?? []),
  }));
}

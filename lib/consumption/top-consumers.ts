import "server-only";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { loadReadableNode } from "./dashboard";
import { readableSubtree } from "./scope";
import { topConsumersInput, type TopConsumersInput } from "./read-inputs";
import { nodePoints, ownPoints, pointsNumber, rowsOf } from "./rollup-sums";

export interface TopConsumer {
  organizationId: string;
  name: string;
  slug: string;
  /** The organization's own points over the range (a reseller's customers count for themselves). */
  points: number;
  /** Its share of the node's points over the range, in percent. */
  share: number;
}

export interface TopConsumers {
  node: { id: string; name: string };
  from: string;
  to: string;
  /** The node's points over the range: what the shares are of. */
  total: number;
  consumers: TopConsumer[];
}

/** The organizations of a node's subtree that consumed the most over a range of days, from the roll-ups. */
export async function topConsumers(ctx: ServiceContext, raw: TopConsumersInput): Promise<TopConsumers> {
  const input = parseInput(topConsumersInput, raw);
  const node = await loadReadableNode(ctx, input.nodeId);
  // Organizations where flex is not in force are not named (their points stay in the node's total).
  const readable = await readableSubtree(ctx.db, node, ctx.authz.now);
  const [rows, totals] = await Promise.all([
    rowsOf<{ id: string; name: string; slug: string; points: string }>(
      ctx.db,
      sql`select own.node_id::text as id, own.name, own.slug, own.points::text as points
        from (${ownPoints(node.accountId, readable, input.from, input.to)}) as own
        where own.points > 0
        order by own.points desc, own.name, own.node_id
        limit ${input.limit}`,
    ),
    rowsOf<{ points: string }>(ctx.db, nodePoints(node.accountId, node.id, input.from, input.to)),
  ]);
  const total = pointsNumber(totals[0]?.points);
  return {
    node: { id: node.id, name: node.name },
    from: input.from,
    to: input.to,
    total,
    consumers: rows.map((row) => {
      const points = pointsNumber(row.points);
      return { organizationId: row.id, name: row.name, slug: row.slug, points, share: total > 0 ? Math.round((points / total) * 10_000) / 100 : 0 };
    }),
  };
}

import { and, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { nodes } from "@/db/schema";
import { REQUIRED_CAPABILITY, type Permission } from "./catalog";
import { grantsWith, type AuthContext } from "./decide";
import { subtreeRange } from "./paths";

/**
 * The SQL twin of `can` for permissions not tied to a capability: a condition on `nodes` that holds
 * exactly for the nodes where the context grants `permission`. One range scan per granting assignment.
 */
export function nodesGrantingCondition(ctx: AuthContext, permission: Permission): SQL {
  if (REQUIRED_CAPABILITY[permission]) {
    throw new Error(`nodesGrantingCondition does not evaluate capabilities; ${permission} needs one`);
  }
  const ranges = grantsWith(ctx, permission).map((grant) => {
    const { lower, upper } = subtreeRange(grant.nodePath);
    return and(gte(nodes.path, lower), lt(nodes.path, upper));
  });
  if (ranges.length === 0) return sql`false`;
  return and(eq(nodes.accountId, ctx.principal.accountId), or(...ranges)) as SQL;
}

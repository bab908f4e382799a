import { z } from "zod";
import { authorize } from "@/lib/audit/record";
import { PERMISSIONS, explain, type Explanation } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode } from "@/lib/authz/queries";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";

export const explainAccessInput = z.object({
  principalId: z.uuid("Not a valid id.").optional().meta({ description: "Whom to ask about; yourself when left out." }),
  permission: z.enum(PERMISSIONS, { error: "Not a permission of the catalog." }),
  nodeId: z.uuid("Not a valid id."),
});

/**
 * Whether a principal holds a permission on a node, and why (SPEC §4 Explain). Asking about yourself
 * needs only tenant.read on the node; asking about anyone else needs member.read there.
 */
export async function explainAccess(ctx: ServiceContext, raw: unknown): Promise<Explanation & { principalId: string }> {
  const input = parseInput(explainAccessInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  const self = input.principalId === undefined || input.principalId === ctx.authz.principal.id;
  await authorize(ctx, "access.explain", self ? "tenant.read" : "member.read", node);
  const subject = self ? ctx.authz : await loadAuthContext(ctx.db, input.principalId!, ctx.authz.now);
  if (!subject || subject.principal.accountId !== ctx.authz.principal.accountId) throw notFound("principal");
  return { ...explain(subject, input.permission, node!), principalId: subject.principal.id };
}

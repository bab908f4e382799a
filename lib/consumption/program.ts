import "server-only";
import { eq } from "drizzle-orm";
import { flexPrograms, type FlexProgram } from "@/db/schema";
import { authorize, recordAudit } from "@/lib/audit/record";
import type { TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { nodeIdInput, setProgramInput } from "./schemas";
import { loadNode } from "./scope";

function requireAccount(node: TreeNode): void {
  if (node.kind !== "account") throw new DomainError("invalid", "The consumption program belongs to the account: open it at the account.");
}

/** The account's program (point price, currency, billing day), or null before one is set; needs billing.read at the account. */
export async function readProgram(ctx: ServiceContext, raw: unknown): Promise<FlexProgram | null> {
  const { nodeId } = parseInput(nodeIdInput, raw);
  const node = await loadNode(ctx, nodeId);
  await authorize(ctx, "flex.program.read", "billing.read", node);
  requireAccount(node!);
  const [program] = await ctx.db.select().from(flexPrograms).where(eq(flexPrograms.accountId, node!.accountId));
  return program ?? null;
}

/** Sets the account's program; needs billing.manage at the account. A changed price counts for every statement read after it. */
export async function setProgram(ctx: ServiceContext, raw: unknown): Promise<FlexProgram> {
  const input = parseInput(setProgramInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "flex.program.set", "billing.manage", node);
  requireAccount(node!);
  const values = { pointPrice: input.pointPrice, currency: input.currency, billingDay: input.billingDay };
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(flexPrograms).where(eq(flexPrograms.accountId, node!.accountId)).for("update");
    if (input.expectedVersion !== undefined && (current?.version ?? 0) !== input.expectedVersion) {
      throw new DomainError("precondition_failed", "The program was changed by someone else; reload it and try again.");
    }
    const [saved] = current
      ? await tx
          .update(flexPrograms)
          .set({ ...values, updatedAt: new Date(), version: current.version + 1 })
          .where(eq(flexPrograms.accountId, node!.accountId))
          .returning()
      : await tx
          .insert(flexPrograms)
          .values({ accountId: node!.accountId, ...values })
          .onConflictDoNothing()
          .returning();
    if (!saved) throw new DomainError("conflict", "The program was set by someone else at the same time; reload it and try again.");
    const summary = (program: FlexProgram) => ({ pointPrice: program.pointPrice, currency: program.currency, billingDay: program.billingDay });
    await recordAudit(tx, ctx, {
      action: "flex.program.set",
      nodeId: node!.id,
      targetType: "flex_program",
      targetId: node!.accountId,
      before: current ? summary(current) : null,
      after: summary(saved),
    });
    return saved;
  });
}

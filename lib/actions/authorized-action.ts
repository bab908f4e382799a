import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/audit/record";
import type { Permission } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { getRequestContext } from "@/lib/auth/request-context";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

/** What every form's server action returns to `useActionState`. */
export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
}

interface ActionConfig<S extends z.ZodType> {
  input: S;
  permission: Permission;
  /** The node the permission is needed on, from the parsed input. */
  node: (input: z.output<S>, ctx: ServiceContext) => string | null | Promise<string | null>;
}

/**
 * The one wrapper every portal server action goes through: signed in (both steps), input parsed,
 * permission checked on the node with the shared check (a denial is audited), then the service runs.
 * Domain errors become messages and field errors; anything else a generic message, details logged.
 */
export function authorizedAction<S extends z.ZodType>(
  config: ActionConfig<S>,
  run: (ctx: ServiceContext, input: z.output<S>) => Promise<string | void>,
) {
  return async (_previous: ActionState, formData: FormData): Promise<ActionState> => {
    const context = await getRequestContext();
    if (!context) return { error: "Your session has ended. Sign in again." };
    const parsed = config.input.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      return { error: "Check the highlighted fields.", fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
    }
    const ctx: ServiceContext = { db: context.db, authz: context.authz, request: context.request };
    try {
      const nodeId = await config.node(parsed.data, ctx);
      const node = nodeId && z.uuid().safeParse(nodeId).success ? await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: nodeId }, ctx.authz.now) : null;
      await authorize(ctx, `action.${config.permission}`, config.permission, node);
      const message = await run(ctx, parsed.data);
      revalidatePath("/", "layout");
      return { ok: true, message: message ?? "Done." };
    } catch (error) {
      if (error instanceof DomainError) return { error: error.message, fieldErrors: error.details.fieldErrors };
      console.error("arbor: action failed", error);
      return { error: "Something went wrong; nothing was changed. Try again." };
    }
  };
}

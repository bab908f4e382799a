"use server";

import { z } from "zod";
import { authorizedAction, type ActionState } from "@/lib/actions/authorized-action";
import { addMapping, configureProvider, removeMapping } from "@/lib/idp/service";
import type { ServiceContext } from "@/lib/service-context";

// The settings page's writes. Each goes through the shared action wrapper (signed in, idp.manage on
// the account) and then the IdP service, which checks again, validates and records the change.

/** What the forms get back; a failed one also what was typed, so nothing has to be typed twice. */
export interface SsoFormState extends ActionState {
  values?: Record<string, string>;
}

/** Every write here needs idp.manage on the account node, the only node the IdP belongs to. */
const onTheAccount = { permission: "idp.manage", node: (_input: unknown, ctx: ServiceContext) => ctx.authz.principal.accountId } as const;

const saveProvider = authorizedAction(
  {
    ...onTheAccount,
    input: z.object({
      issuer: z.string(),
      clientId: z.string(),
      clientSecret: z.string().optional(),
      rolesClaim: z.string(),
      enabled: z.literal("on").optional(),
      expectedVersion: z.string().optional(),
    }),
  },
  async (ctx, form) => {
    await configureProvider(ctx, { ...form, enabled: form.enabled === "on", expectedVersion: form.expectedVersion ? Number(form.expectedVersion) : undefined });
    return "Saved.";
  },
);

const addRule = authorizedAction(
  { ...onTheAccount, input: z.object({ claimValue: z.string(), nodeId: z.string(), roleId: z.string() }) },
  async (ctx, form) => {
    await addMapping(ctx, form);
    return `Rule added: ${form.claimValue.trim()}.`;
  },
);

const removeRule = authorizedAction({ ...onTheAccount, input: z.object({ mappingId: z.string() }) }, async (ctx, form) => {
  await removeMapping(ctx, form);
  return "Rule removed.";
});

/** A failed form keeps what was typed (never the secret); field errors show beside their fields only. */
function withValues(state: ActionState, formData: FormData): SsoFormState {
  if (state.ok) return state;
  const values = Object.fromEntries([...formData].filter(([key, value]) => typeof value === "string" && key !== "clientSecret" && !key.startsWith("$")));
  const error = state.fieldErrors && Object.keys(state.fieldErrors).length > 0 ? "Check the highlighted fields." : state.error;
  return { ...state, error, values: values as Record<string, string> };
}

export async function saveProviderAction(previous: SsoFormState, formData: FormData): Promise<SsoFormState> {
  return withValues(await saveProvider(previous, formData), formData);
}

export async function addRuleAction(previous: SsoFormState, formData: FormData): Promise<SsoFormState> {
  return withValues(await addRule(previous, formData), formData);
}

export async function removeRuleAction(previous: SsoFormState, formData: FormData): Promise<SsoFormState> {
  return removeRule(previous, formData);
}

"use client";

import { useActionState } from "react";
import { Field, FormError } from "@/components/ui/field";
import { saveProviderAction, type SsoFormState } from "./actions";

export interface ProviderFormValues {
  issuer: string;
  clientId: string;
  rolesClaim: string;
  enabled: boolean;
  version: number | null;
}

const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

/** Issuer, client, write-only secret, roles claim and the on/off switch of the account's IdP. */
export function ProviderForm({ saved }: { saved: ProviderFormValues }) {
  const [state, formAction, pending] = useActionState(saveProviderAction, {} as SsoFormState);
  const typed = state.values;
  const configured = saved.version !== null;
  const secretErrors = state.fieldErrors?.clientSecret;
  return (
    <form action={formAction} className="max-w-xl space-y-4" noValidate>
      <FormError message={state.error} />
      {state.ok ? (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800 dark:bg-brand-900 dark:text-brand-100">
          {state.message}
        </p>
      ) : null}
      <input type="hidden" name="expectedVersion" value={saved.version ?? ""} />
      <Field
        label="Issuer URL"
        name="issuer"
        type="url"
        defaultValue={typed?.issuer ?? saved.issuer}
        errors={state.fieldErrors?.issuer}
        hint="The IdP's OpenID Connect issuer, e.g. https://login.example.com/realms/staff."
      />
      <Field label="Client id" name="clientId" autoComplete="off" defaultValue={typed?.clientId ?? saved.clientId} errors={state.fieldErrors?.clientId} />
      <div className="space-y-1">
        <label htmlFor="clientSecret" className="block text-sm font-medium">
          Client secret
        </label>
        <input
          id="clientSecret"
          name="clientSecret"
          type="password"
          autoComplete="new-password"
          required={!configured}
          aria-invalid={secretErrors ? true : undefined}
          aria-describedby={secretErrors ? "clientSecret-hint clientSecret-error" : "clientSecret-hint"}
          className={inputClass}
        />
        <p id="clientSecret-hint" className="text-xs text-slate-600 dark:text-slate-400">
          {configured ? "Stored encrypted and never shown. Leave empty to keep the current secret." : "Stored encrypted and never shown again."}
        </p>
        {secretErrors ? (
          <p id="clientSecret-error" className="text-sm text-red-700 dark:text-red-300">
            {secretErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <Field
        label="Roles claim"
        name="rolesClaim"
        autoComplete="off"
        defaultValue={typed?.rolesClaim ?? saved.rolesClaim}
        errors={state.fieldErrors?.rolesClaim}
        hint="The ID token claim whose values the rules below match, e.g. roles or groups."
      />
      <div className="flex items-center gap-2">
        <input
          id="enabled"
          name="enabled"
          type="checkbox"
          defaultChecked={typed ? typed.enabled === "on" : saved.enabled}
          className="size-4 rounded border-slate-300 accent-brand-700"
        />
        <label htmlFor="enabled" className="text-sm font-medium">
          Allow sign-in through this identity provider
        </label>
      </div>
      <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}

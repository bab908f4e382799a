"use client";

import { useActionState } from "react";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { startSsoSignIn, type SsoState } from "./actions";

export function SsoForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(startSsoSignIn, {} as SsoState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={state.error} />
      <input type="hidden" name="next" value={next} />
      <Field
        label="Account short name"
        name="account"
        autoComplete="organization"
        defaultValue={state.account}
        errors={state.fieldErrors?.account}
        hint="The short name of your provider's account, as in its portal address /t/short-name. For example: northwind."
      />
      <SubmitButton pending={pending} pendingText="Going to your identity provider…">
        Continue
      </SubmitButton>
    </form>
  );
}

"use client";

import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useStep } from "../use-step";

export function CodeForm({ next }: { next: string }) {
  const { state, pending, submit } = useStep("/login/code", (body) => window.location.assign(body.next ?? "/"));
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={state.error} />
      <input type="hidden" name="next" value={next} />
      <Field
        label="Authentication code"
        name="code"
        autoComplete="one-time-code"
        errors={state.fieldErrors?.code}
        hint="The 6-digit code from your authenticator app, or one of your recovery codes."
      />
      <SubmitButton pending={pending} pendingText="Checking…">
        Verify
      </SubmitButton>
    </form>
  );
}

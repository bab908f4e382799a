"use client";

import { useActionState } from "react";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { verifyCode, type StepState } from "../actions";

export function CodeForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(verifyCode, {} as StepState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
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

"use client";

import { useActionState } from "react";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import { resetAction } from "./actions";

export function ResetForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState(resetAction, {} as ActionState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={state.error} />
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="email" autoComplete="username" value={email} />
      <Field label="New password" name="password" type="password" autoComplete="new-password" errors={state.fieldErrors?.password} hint="At least 12 characters." />
      <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" errors={state.fieldErrors?.confirm} />
      <SubmitButton pending={pending} pendingText="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}

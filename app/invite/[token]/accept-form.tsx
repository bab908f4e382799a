"use client";

import { useActionState } from "react";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import { acceptAction, declineAction } from "./actions";

export function AcceptForm({ token, needsPassword, email }: { token: string; needsPassword: boolean; email: string }) {
  const [state, accept, accepting] = useActionState(acceptAction, {} as ActionState);
  const [declined, decline, declining] = useActionState(declineAction, {} as ActionState);
  if (declined.ok) return <p role="status">{declined.message}</p>;
  return (
    <div className="space-y-4">
      <form action={accept} className="space-y-4" noValidate>
        <FormError message={state.error ?? declined.error} />
        <input type="hidden" name="token" value={token} />
        {needsPassword ? (
          <>
            <input type="hidden" name="email" autoComplete="username" value={email} />
            <Field label="Choose a password" name="password" type="password" autoComplete="new-password" errors={state.fieldErrors?.password} hint="At least 12 characters." />
            <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" errors={state.fieldErrors?.confirm} />
          </>
        ) : null}
        <SubmitButton pending={accepting} pendingText="Accepting…">
          {needsPassword ? "Set password and accept" : "Accept invitation"}
        </SubmitButton>
      </form>
      <form action={decline}>
        <input type="hidden" name="token" value={token} />
        <button type="submit" disabled={declining} className="w-full rounded-md px-4 py-2 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
          Decline
        </button>
      </form>
    </div>
  );
}

"use client";

import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useStep } from "./use-step";

export function SignInForm({ next }: { next: string }) {
  const { state, pending, submit } = useStep("/login/password", (body) => window.location.assign(body.next ?? "/login/verify"));
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={state.error} />
      <input type="hidden" name="next" value={next} />
      <Field label="Email" name="email" type="email" autoComplete="username" defaultValue={state.email} errors={state.fieldErrors?.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" errors={state.fieldErrors?.password} />
      <SubmitButton pending={pending} pendingText="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}

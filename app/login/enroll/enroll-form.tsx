"use client";

import { useActionState } from "react";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import type { StepBody } from "@/lib/auth/step-response";
import { continueAfterEnrolment } from "../actions";
import { useStep } from "../use-step";

/** The QR code and key until the first code confirms them; then the recovery codes, once. */
export function EnrollForm({ next, qrSvg, secret }: { next: string; qrSvg: string; secret: string }) {
  const { state, pending, submit } = useStep("/login/enroll/confirm", () => undefined);
  if (state.recoveryCodes) return <RecoveryCodes codes={state.recoveryCodes} next={next} />;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="space-y-3">
        <div
          role="img"
          aria-label="QR code for your authenticator app"
          className="mx-auto w-48 rounded bg-white p-1"
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <p className="text-center text-sm text-slate-600 dark:text-slate-400">Or enter this key in the app:</p>
        <p data-testid="totp-key" className="break-all text-center font-mono text-sm tracking-wider">
          {secret.match(/.{1,4}/g)!.join(" ")}
        </p>
      </div>
      <FormError message={state.error} />
      <Field label="Code from your app" name="code" inputMode="numeric" autoComplete="one-time-code" errors={state.fieldErrors?.code} />
      <SubmitButton pending={pending} pendingText="Checking…">
        Turn on two-step verification
      </SubmitButton>
    </form>
  );
}

function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  const [state, formAction, pending] = useActionState(continueAfterEnrolment, {} as StepBody);
  return (
    <form action={formAction} className="space-y-4">
      <FormError message={state.error} />
      <div role="status" className="space-y-2">
        <h2 className="font-semibold">Save your recovery codes</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Each code signs you in once if you lose your authenticator. They are shown only now.
        </p>
        <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-800">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ul>
      </div>
      <input type="hidden" name="next" value={next} />
      <SubmitButton pending={pending} pendingText="Opening the portal…">
        I have saved them — continue
      </SubmitButton>
    </form>
  );
}

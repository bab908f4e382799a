"use client";

import { useActionState } from "react";
import { Field, FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** The account's program: the price of a point, its currency and the day each billing period starts. */
export function ProgramForm(props: { nodeId: string; program: { pointPrice: number; currency: string; billingDay: number; version: number } | null; action: Action }) {
  const [state, formAction, pending] = useActionState(props.action, {} as ActionState);
  const { program } = props;
  return (
    <form action={formAction} className="grid max-w-3xl gap-4 sm:grid-cols-3" noValidate>
      <input type="hidden" name="nodeId" value={props.nodeId} />
      {program ? <input type="hidden" name="expectedVersion" value={program.version} /> : null}
      <Field label="Point price" name="pointPrice" inputMode="text" defaultValue={program ? String(program.pointPrice) : ""} errors={state.fieldErrors?.pointPrice} hint="Up to four decimals." />
      <Field label="Currency" name="currency" defaultValue={program?.currency ?? "USD"} errors={state.fieldErrors?.currency} hint="A three-letter code, such as USD or EUR." />
      <Field label="Billing day" name="billingDay" inputMode="numeric" defaultValue={String(program?.billingDay ?? 1)} errors={state.fieldErrors?.billingDay} hint="1 to 28: each period starts on this day." />
      <div className="space-y-2 sm:col-span-3">
        <FormError message={state.error} />
        {state.ok ? (
          <p role="status" className="text-sm text-brand-800 dark:text-brand-100">
            {state.message}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
          {pending ? "Saving…" : program ? "Save the program" : "Start the program"}
        </button>
      </div>
    </form>
  );
}

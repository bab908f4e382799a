"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/authorized-action";
import { removeCapabilityAction, setCapabilityAction } from "./actions";

/** Sets (or re-sets) a capability with an optional expiry; the server's field error shows by the date. */
export function SetCapabilityForm(props: { nodeId: string; capability: string; isSet: boolean; expiresOn?: string }) {
  const [state, formAction, pending] = useActionState(setCapabilityAction, {} as ActionState);
  const dateId = `expires-${props.capability}`;
  const errors = state.fieldErrors?.expiresAt;
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="nodeId" value={props.nodeId} />
      <input type="hidden" name="capability" value={props.capability} />
      <div className="space-y-1">
        <label htmlFor={dateId} className="block text-xs font-medium">
          Expiry of {props.capability} (optional)
        </label>
        <input
          id={dateId}
          name="expiresAt"
          type="date"
          defaultValue={props.expiresOn}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${dateId}-error` : undefined}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60"
      >
        {pending ? "Saving…" : props.isSet ? `Update ${props.capability}` : `Set ${props.capability}`}
      </button>
      <Outcome state={state} />
      {errors ? (
        <p id={`${dateId}-error`} className="basis-full text-sm text-red-700 dark:text-red-300">
          {errors.join(" ")}
        </p>
      ) : null}
    </form>
  );
}

export function RemoveCapabilityForm(props: { nodeId: string; capability: string }) {
  const [state, formAction, pending] = useActionState(removeCapabilityAction, {} as ActionState);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="nodeId" value={props.nodeId} />
      <input type="hidden" name="capability" value={props.capability} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950"
      >
        {pending ? "Removing…" : `Remove ${props.capability}`}
      </button>
      <Outcome state={state} />
    </form>
  );
}

function Outcome({ state }: { state: ActionState }) {
  if (state.error) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        {state.error}
      </p>
    );
  }
  return (
    <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
      {state.ok ? state.message : ""}
    </p>
  );
}

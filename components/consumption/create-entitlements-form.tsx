"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/actions/authorized-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const CONTROL = "rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900";

/** Pending entitlements from one configuration: how many and what they are for, behind a button. */
export function CreateEntitlementsForm({ configuration, action }: { configuration: { id: string; name: string }; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {} as ActionState);
  const [open, setOpen] = useState(false);
  const id = (field: string) => `${field}-${configuration.id}`;
  return (
    <div className="space-y-1">
      {open ? (
        <form action={formAction} className="flex flex-wrap items-end gap-2 text-xs" noValidate>
          <input type="hidden" name="configurationId" value={configuration.id} />
          <div>
            <label htmlFor={id("count")} className="block font-medium">
              How many
            </label>
            <input id={id("count")} name="count" type="number" min={1} max={100} defaultValue={1} className={`${CONTROL} w-20`} />
          </div>
          <div>
            <label htmlFor={id("description")} className="block font-medium">
              Description
            </label>
            <input id={id("description")} name="description" type="text" maxLength={500} className={CONTROL} />
          </div>
          <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-2 py-1 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
            {pending ? "Creating…" : "Create"}
          </button>
          <button type="button" onClick={() => setOpen(false)} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700">
            Close
          </button>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium whitespace-nowrap hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Create entitlements<span className="sr-only"> from {configuration.name}</span>
        </button>
      )}
      <p role="status" className={`text-xs ${state.error ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`}>
        {state.error ? [state.error, ...Object.values(state.fieldErrors ?? {}).flat()].join(" ") : state.ok ? state.message : ""}
      </p>
    </div>
  );
}

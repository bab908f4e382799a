"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/actions/authorized-action";

/**
 * A bulk action over the selected members, asked twice before it runs. The service refuses the whole
 * batch when any member is refused; the reasons come back per member and are listed by name.
 */
export function BulkAction(props: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  nodeId: string;
  selectedIds: string[];
  names: Record<string, string>;
  label: string;
  confirmLabel: (count: number) => string;
}) {
  const [state, formAction, pending] = useActionState(props.action, {} as ActionState);
  const [confirming, setConfirming] = useState(false);
  const count = props.selectedIds.length;
  const refusals = Object.entries(state.fieldErrors ?? {}).filter(([id]) => id !== "nodeId" && id !== "principalIds");
  return (
    <div className="space-y-1">
      {confirming && count > 0 ? (
        <form action={formAction} onSubmit={() => setConfirming(false)} className="flex gap-2">
          <input type="hidden" name="nodeId" value={props.nodeId} />
          <input type="hidden" name="principalIds" value={props.selectedIds.join(",")} />
          <button type="submit" className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800">
            {props.confirmLabel(count)}
          </button>
          <button type="button" onClick={() => setConfirming(false)} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          disabled={count === 0 || pending}
          onClick={() => setConfirming(true)}
          className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950"
        >
          {pending ? "Working…" : props.label}
        </button>
      )}
      <div role="status" className="text-sm">
        {state.ok ? <p className="text-slate-700 dark:text-slate-300">{state.message}</p> : null}
        {state.error ? <p className="text-red-700 dark:text-red-300">{state.error}</p> : null}
        {refusals.length > 0 ? (
          <ul aria-label="Refused members" className="list-disc pl-5 text-red-700 dark:text-red-300">
            {refusals.map(([id, reasons]) => (
              <li key={id}>
                {props.names[id] ?? "A selected member"}: {reasons?.join(" ")}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

"use client";

import { useActionState, useState } from "react";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import { useSharedAction } from "./shared-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const CONTROL = "block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

/** Sets a month's budget at the node (a month that has one gets the new figure). */
export function SetBudgetForm({ nodeId, month, action }: { nodeId: string; month: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {} as ActionState);
  return (
    <form action={formAction} className="flex flex-wrap items-start gap-3" noValidate>
      <input type="hidden" name="nodeId" value={nodeId} />
      <div className="space-y-1">
        <label htmlFor="budget-month" className="block text-sm font-medium">
          Month
        </label>
        <input id="budget-month" name="month" type="month" defaultValue={month} aria-invalid={state.fieldErrors?.month ? true : undefined} aria-describedby={state.fieldErrors?.month ? "budget-month-error" : undefined} className={CONTROL} />
        {state.fieldErrors?.month ? (
          <p id="budget-month-error" className="text-sm text-red-700 dark:text-red-300">
            {state.fieldErrors.month.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="budget-points" className="block text-sm font-medium">
          Points
        </label>
        <input id="budget-points" name="points" type="number" min={0} step="any" inputMode="decimal" aria-invalid={state.fieldErrors?.points ? true : undefined} aria-describedby={state.fieldErrors?.points ? "budget-points-error" : undefined} className={CONTROL} />
        {state.fieldErrors?.points ? (
          <p id="budget-points-error" className="text-sm text-red-700 dark:text-red-300">
            {state.fieldErrors.points.join(" ")}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={pending} className="mt-6 rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Saving…" : "Set budget"}
      </button>
      <div className="basis-full">
        <FormError message={state.error} />
        {state.ok ? (
          <p role="status" className="text-sm text-brand-800 dark:text-brand-100">
            {state.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/**
 * Change or remove one month's budget, in its row. A change is reported in the row; a removal, which
 * takes the row away, above the table (the shared action is the remove).
 */
export function BudgetRowActions(props: { nodeId: string; budget: { month: string; label: string; points: number; version: number }; setAction: Action }) {
  const [changed, changeAction, changing] = useActionState(props.setAction, {} as ActionState);
  const { formAction: removeAction, pending: removing } = useSharedAction();
  const [mode, setMode] = useState<"idle" | "change" | "remove">("idle");
  const { budget } = props;
  const fields = (
    <>
      <input type="hidden" name="nodeId" value={props.nodeId} />
      <input type="hidden" name="month" value={budget.month.slice(0, 7)} />
    </>
  );
  return (
    <div className="space-y-1 text-xs">
      {mode === "change" ? (
        <form action={changeAction} onSubmit={() => setMode("idle")} className="flex flex-wrap items-end gap-2">
          {fields}
          <input type="hidden" name="expectedVersion" value={budget.version} />
          <label>
            <span className="block font-medium">Points for {budget.label}</span>
            <input name="points" type="number" min={0} step="any" defaultValue={budget.points} className="w-32 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" />
          </label>
          <button type="submit" className="rounded-md bg-brand-700 px-2 py-1 font-medium text-white hover:bg-brand-800">
            Save
          </button>
          <button type="button" onClick={() => setMode("idle")} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700">
            Cancel
          </button>
        </form>
      ) : mode === "remove" ? (
        <form action={removeAction} onSubmit={() => setMode("idle")} className="flex flex-wrap gap-2">
          {fields}
          <button type="submit" className="rounded-md bg-red-700 px-2 py-1 font-medium text-white hover:bg-red-800">
            Remove the budget for {budget.label}
          </button>
          <button type="button" onClick={() => setMode("idle")} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700">
            Cancel
          </button>
        </form>
      ) : (
        <div className="flex gap-2">
          <button type="button" disabled={changing || removing} onClick={() => setMode("change")} className="rounded-md border border-slate-300 px-2 py-1 font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800">
            Change<span className="sr-only"> the budget for {budget.label}</span>
          </button>
          <button
            type="button"
            disabled={changing || removing}
            onClick={() => setMode("remove")}
            className="rounded-md border border-red-300 px-2 py-1 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950"
          >
            Remove<span className="sr-only"> the budget for {budget.label}</span>
          </button>
        </div>
      )}
      <p role="status" className={changed.error ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}>
        {changing ? "Working…" : changed.error ? [changed.error, ...Object.values(changed.fieldErrors ?? {}).flat()].join(" ") : changed.ok ? changed.message : ""}
      </p>
    </div>
  );
}

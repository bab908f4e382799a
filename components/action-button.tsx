"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/authorized-action";

/** A one-button form for a server action, with its outcome announced next to it. */
export function ActionButton(props: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  tone?: "default" | "danger";
}) {
  const [state, formAction, pending] = useActionState(props.action, {} as ActionState);
  const tone =
    props.tone === "danger"
      ? "border-red-300 text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950"
      : "border-slate-300 text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800";
  return (
    <form action={formAction} className="inline-flex flex-col gap-1">
      {Object.entries(props.fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" disabled={pending} className={`rounded-md border px-3 py-1.5 text-sm font-medium disabled:opacity-60 ${tone}`}>
        {pending ? (props.pendingLabel ?? "Working…") : props.label}
      </button>
      <span role="status" className={`text-xs ${state.error ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`}>
        {state.error ?? (state.ok ? state.message : "")}
      </span>
    </form>
  );
}

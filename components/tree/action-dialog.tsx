"use client";

import { useActionState, useEffect, useId, useRef } from "react";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";

export type FormAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * A modal native <dialog> around one server action's form: it opens on mount (the browser moves focus
 * into it and back to the opener on close), shows field errors from the server next to the fields, and
 * closes itself when the action succeeds.
 */
export function ActionDialog(props: {
  title: string;
  action: FormAction;
  hidden: Record<string, string>;
  submitLabel: string;
  tone?: "default" | "danger";
  onClose: () => void;
  onDone: (message: string) => void;
  children?: (state: ActionState) => React.ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction, pending] = useActionState(props.action, {} as ActionState);
  const { onDone } = props;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  // Once per successful submission, however often the parent re-renders meanwhile.
  const handled = useRef<ActionState | null>(null);
  useEffect(() => {
    if (!state.ok || handled.current === state) return;
    handled.current = state;
    onDone(state.message ?? "Done.");
    dialog.current?.close();
  }, [state, onDone]);

  const submitTone =
    props.tone === "danger" ? "bg-red-700 hover:bg-red-800 text-white" : "bg-brand-700 hover:bg-brand-800 text-white";
  return (
    <ModalFrame ref={dialog} title={props.title} onClose={props.onClose}>
      <form action={formAction} noValidate className="space-y-4">
        {Object.entries(props.hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {props.children?.(state)}
        <FormError message={state.error} />
        <div className="flex justify-end gap-2">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
            Cancel
          </button>
          <button type="submit" disabled={pending} className={`rounded-md px-4 py-2 text-sm font-medium disabled:opacity-60 ${submitTone}`}>
            {pending ? "Working…" : props.submitLabel}
          </button>
        </div>
      </form>
    </ModalFrame>
  );
}

/** The dialog element itself, titled, closed by Escape or the close event. */
export function ModalFrame({ ref, ...props }: { ref: React.Ref<HTMLDialogElement>; title: string; onClose: () => void; children: React.ReactNode }) {
  const titleId = useId();
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={props.onClose}
      className="m-auto w-full max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id={titleId} className="mb-4 text-lg font-semibold">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}

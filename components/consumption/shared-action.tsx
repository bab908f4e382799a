"use client";

import { createContext, useActionState, useContext } from "react";
import type { ActionState } from "@/lib/actions/authorized-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const SharedAction = createContext<{ formAction: (data: FormData) => void; pending: boolean } | null>(null);

/**
 * One server action shared by the rows of a table, its outcome announced above them: a row that the
 * action moves out of a filtered view (an entitlement stopped in a list of active ones, a budget
 * removed) takes no message with it.
 */
export function SharedActionProvider({ action, children }: { action: Action; children: React.ReactNode }) {
  const [state, formAction, pending] = useActionState(action, {} as ActionState);
  const details = Object.values(state.fieldErrors ?? {}).flat();
  return (
    <SharedAction.Provider value={{ formAction, pending }}>
      <p role="status" className={`text-sm ${state.error ? "text-red-700 dark:text-red-300" : "text-slate-700 dark:text-slate-300"}`}>
        {pending ? "Working…" : state.error ? [state.error, ...details].join(" ") : state.ok ? state.message : ""}
      </p>
      {children}
    </SharedAction.Provider>
  );
}

/** The shared action of the nearest provider. */
export function useSharedAction() {
  const shared = useContext(SharedAction);
  if (!shared) throw new Error("useSharedAction needs a SharedActionProvider above it");
  return shared;
}

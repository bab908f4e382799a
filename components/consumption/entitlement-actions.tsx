"use client";

import { useState } from "react";
import { ENTITLEMENT_TRANSITIONS, type EntitlementStatusName, type EntitlementTransition } from "@/lib/consumption/transitions";
import { useSharedAction } from "./shared-action";

const LABEL: Record<EntitlementTransition, string> = { activate: "Activate", stop: "Stop", reactivate: "Reactivate", expire: "Expire" };

/** The transitions an entitlement in `status` may take. */
export function transitionsFrom(status: EntitlementStatusName): EntitlementTransition[] {
  return (Object.keys(ENTITLEMENT_TRANSITIONS) as EntitlementTransition[]).filter((transition) =>
    (ENTITLEMENT_TRANSITIONS[transition].from as readonly EntitlementStatusName[]).includes(status),
  );
}

/**
 * An entitlement's lifecycle buttons: activate, stop and reactivate act at once (from today); expire is
 * final, so it asks first and takes the end day. The outcome is announced above the table.
 */
export function EntitlementActions(props: { entitlement: { id: string; serialNumber: string; status: EntitlementStatusName; version: number }; today: string }) {
  const { formAction, pending } = useSharedAction();
  const [expiring, setExpiring] = useState(false);
  const { entitlement } = props;
  const transitions = transitionsFrom(entitlement.status);
  if (transitions.length === 0) return null;
  const hidden = (
    <>
      <input type="hidden" name="entitlementId" value={entitlement.id} />
      <input type="hidden" name="expectedVersion" value={entitlement.version} />
    </>
  );
  if (expiring) {
    return (
      <form action={formAction} onSubmit={() => setExpiring(false)} className="flex flex-wrap items-end gap-2">
        {hidden}
        <input type="hidden" name="transition" value="expire" />
        <label className="text-xs">
          <span className="block font-medium">End day</span>
          <input name="day" type="date" defaultValue={props.today} max={props.today} className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" />
        </label>
        <button type="submit" className="rounded-md bg-red-700 px-2 py-1 text-xs font-medium text-white hover:bg-red-800">
          Expire {entitlement.serialNumber}
        </button>
        <button type="button" onClick={() => setExpiring(false)} className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700">
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="flex gap-1">
      {transitions.map((transition) =>
        transition === "expire" ? (
          <button key={transition} type="button" disabled={pending} onClick={() => setExpiring(true)} className={`${BUTTON} ${DANGER}`}>
            Expire<span className="sr-only"> {entitlement.serialNumber}</span>
          </button>
        ) : (
          <form key={transition} action={formAction}>
            {hidden}
            <input type="hidden" name="transition" value={transition} />
            <button type="submit" disabled={pending} className={`${BUTTON} ${PLAIN}`}>
              {LABEL[transition]}
              <span className="sr-only"> {entitlement.serialNumber}</span>
            </button>
          </form>
        ),
      )}
    </div>
  );
}

const BUTTON = "rounded-md border px-2 py-1 text-xs font-medium whitespace-nowrap disabled:opacity-60";
const PLAIN = "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
const DANGER = "border-red-300 text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950";

"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormError, SelectField } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface RoleDialogProps {
  principal: { id: string; name: string };
  node: { id: string; name: string };
  /** Only the roles the actor may grant here. */
  roles: { id: string; name: string }[];
  /** The assignment on this node when changing it; none when assigning a first role here. */
  assignment?: { id: string; roleId: string; expiresAt: Date | null };
  actions: { assign: Action; change: Action; revoke: Action };
}

/** A button that opens a dialog to assign, change or revoke a principal's role on one node. */
export function RoleDialog(props: RoleDialogProps) {
  const [open, setOpen] = useState(false);
  const [verb, link] = props.assignment ? ["Change role", "of"] : ["Assign role", "to"];
  const label = `${verb} ${link} ${props.principal.name} on ${props.node.name}`;
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium whitespace-nowrap hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        {verb}
        <span className="sr-only">{` ${link} ${props.principal.name} on ${props.node.name}`}</span>
      </button>
      {/* Mounted only while open: one dialog (and one set of field ids) on the page at a time. */}
      {open ? <RoleDialogBody {...props} title={label} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function RoleDialogBody(props: RoleDialogProps & { title: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction, pending] = useActionState(props.assignment ? props.actions.change : props.actions.assign, {} as ActionState);
  const [revoked, revokeAction, revoking] = useActionState(props.actions.revoke, {} as ActionState);
  const { onClose } = props;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    if (state.ok || revoked.ok) onClose();
  }, [state.ok, revoked.ok, onClose]);

  const expires = props.assignment?.expiresAt ? new Date(props.assignment.expiresAt).toISOString().slice(0, 10) : "";
  return (
    <dialog
      ref={dialog}
      aria-labelledby="role-dialog-title"
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id="role-dialog-title" className="text-lg font-semibold">
        {props.title}
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        The role applies to {props.node.name} and everything below it. Only the roles you may grant here are listed.
      </p>
      <form action={formAction} className="mt-4 space-y-4" noValidate>
        {props.assignment ? (
          <input type="hidden" name="assignmentId" value={props.assignment.id} />
        ) : (
          <>
            <input type="hidden" name="principalId" value={props.principal.id} />
            <input type="hidden" name="nodeId" value={props.node.id} />
          </>
        )}
        <SelectField
          label="Role"
          name="roleId"
          options={props.roles.map((role) => ({ id: role.id, label: role.name }))}
          defaultValue={props.assignment && props.roles.some((role) => role.id === props.assignment!.roleId) ? props.assignment.roleId : props.roles[0]?.id}
          errors={state.fieldErrors?.roleId}
        />
        <div className="space-y-1">
          <label htmlFor="expiresAt" className="block text-sm font-medium">
            Expires on (optional)
          </label>
          <input
            id="expiresAt"
            name="expiresAt"
            type="date"
            defaultValue={expires}
            aria-invalid={state.fieldErrors?.expiresAt ? true : undefined}
            aria-describedby={state.fieldErrors?.expiresAt ? "expiresAt-error" : "expiresAt-hint"}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
          />
          {state.fieldErrors?.expiresAt ? (
            <p id="expiresAt-error" className="text-sm text-red-700 dark:text-red-300">
              {state.fieldErrors.expiresAt.join(" ")}
            </p>
          ) : (
            <p id="expiresAt-hint" className="text-xs text-slate-600 dark:text-slate-400">
              Leave empty for a role that does not expire.
            </p>
          )}
        </div>
        <FormError message={state.fieldErrors ? "Check the highlighted fields." : (state.error ?? revoked.error)} />
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
            Cancel
          </button>
          <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
            {pending ? "Saving…" : props.assignment ? "Save role" : "Assign role"}
          </button>
        </div>
      </form>
      {props.assignment ? (
        <form action={revokeAction} className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-700">
          <input type="hidden" name="assignmentId" value={props.assignment.id} />
          <button
            type="submit"
            disabled={revoking}
            className="rounded-md border border-red-300 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950"
          >
            {revoking ? "Revoking…" : "Revoke this role"}
          </button>
        </form>
      ) : null}
    </dialog>
  );
}

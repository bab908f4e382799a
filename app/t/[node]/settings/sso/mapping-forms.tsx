"use client";

import { useActionState } from "react";
import { Field, FormError, SelectField as Select } from "@/components/ui/field";
import { addRuleAction, removeRuleAction, type SsoFormState } from "./actions";


/** A new rule: users whose roles claim holds this value get this role on this node. */
export function AddRuleForm({ nodes, roles }: { nodes: { id: string; label: string }[]; roles: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState(addRuleAction, {} as SsoFormState);
  const typed = state.values;
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label="Add a rule">
      <FormError message={state.error} />
      {state.ok ? (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800 dark:bg-brand-900 dark:text-brand-100">
          {state.message}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Claim value" name="claimValue" autoComplete="off" defaultValue={typed?.claimValue} errors={state.fieldErrors?.claimValue} />
        <Select label="Node" name="nodeId" options={nodes} defaultValue={typed?.nodeId} errors={state.fieldErrors?.nodeId} />
        <Select
          label="Role"
          name="roleId"
          options={roles.map((role) => ({ id: role.id, label: role.name }))}
          defaultValue={typed?.roleId}
          errors={state.fieldErrors?.roleId}
        />
      </div>
      <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Adding…" : "Add rule"}
      </button>
    </form>
  );
}

/** Removes one rule; its error, if any, shows beside it. */
export function RemoveRuleButton({ mappingId, description }: { mappingId: string; description: string }) {
  const [state, formAction, pending] = useActionState(removeRuleAction, {} as SsoFormState);
  return (
    <form action={formAction} className="flex items-center justify-end gap-2">
      <input type="hidden" name="mappingId" value={mappingId} />
      {state.error ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-300">
          {state.error}
        </span>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        aria-label={`Remove rule ${description}`}
        className="rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950"
      >
        {pending ? "Removing…" : "Remove"}
      </button>
    </form>
  );
}

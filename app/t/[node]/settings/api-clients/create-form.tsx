"use client";

import { useActionState } from "react";
import { Field, FormError, SelectField } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import { createApiClientAction } from "./actions";

export function CreateApiClientForm({ nodeId, roles }: { nodeId: string; roles: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState(createApiClientAction, {} as ActionState);
  return (
    <form action={formAction} className="grid max-w-3xl gap-3 sm:grid-cols-[2fr_1.5fr_auto] sm:items-end" noValidate>
      <input type="hidden" name="nodeId" value={nodeId} />
      <Field label="Name" name="name" autoComplete="off" errors={state.fieldErrors?.name} />
      <SelectField label="Role" name="roleId" options={roles.map((role) => ({ id: role.id, label: role.name }))} defaultValue={roles[0]?.id} errors={state.fieldErrors?.roleId} />
      <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Creating…" : "Create client"}
      </button>
      <div className="sm:col-span-3">
        <FormError message={state.error} />
        {state.ok ? (
          <p role="status" className="break-all rounded-md border border-brand-600 bg-brand-50 p-3 font-mono text-sm text-brand-900 dark:bg-brand-900 dark:text-brand-50">
            {state.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}

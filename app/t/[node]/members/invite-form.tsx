"use client";

import { useActionState } from "react";
import { Field, FormError, SelectField } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import { inviteAction } from "./actions";

export function InviteForm({ nodeId, roles }: { nodeId: string; roles: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState(inviteAction, {} as ActionState);
  return (
    <form action={formAction} className="grid max-w-3xl gap-3 sm:grid-cols-[2fr_1.5fr_1fr_auto] sm:items-end" noValidate>
      <input type="hidden" name="nodeId" value={nodeId} />
      <Field label="Email" name="email" type="email" autoComplete="off" errors={state.fieldErrors?.email} />
      <Field label="Name (optional)" name="name" autoComplete="off" errors={state.fieldErrors?.name} />
      <SelectField
        label="Role"
        name="roleId"
        options={roles.map((role) => ({ id: role.id, label: role.name }))}
        defaultValue={roles[0]?.id}
        errors={state.fieldErrors?.roleId}
      />
      <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Sending…" : "Invite"}
      </button>
      <div className="sm:col-span-4">
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

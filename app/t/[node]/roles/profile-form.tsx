"use client";

import { useActionState } from "react";
import { FormError } from "@/components/ui/field";
import type { PermissionArea } from "@/lib/access/permission-areas";
import type { ProfileFormState } from "./actions";

const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

export interface ProfileFormProps {
  action: (state: ProfileFormState, formData: FormData) => Promise<ProfileFormState>;
  slug: string;
  areas: PermissionArea[];
  /** Permissions the editor holds on the account: only those can be put in a profile. */
  held: string[];
  saved: { id?: string; version?: number; name: string; description: string; permissions: string[] };
  submitLabel: string;
}

/** Name, description and the permissions grouped by area; the server's errors show next to each. */
export function ProfileForm(props: ProfileFormProps) {
  const [state, formAction, pending] = useActionState(props.action, {} as ProfileFormState);
  const typed = state.values;
  const chosen = new Set(typed?.permissions ?? props.saved.permissions);
  const held = new Set(props.held);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="max-w-3xl space-y-5" noValidate>
      <FormError message={state.error} />
      {state.ok ? (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800 dark:bg-brand-900 dark:text-brand-100">
          {state.message}
        </p>
      ) : null}
      <input type="hidden" name="slug" value={props.slug} />
      {props.saved.id ? <input type="hidden" name="roleId" value={props.saved.id} /> : null}
      {props.saved.version ? <input type="hidden" name="expectedVersion" value={props.saved.version} /> : null}
      <TextInput label="Name" name="name" defaultValue={typed?.name ?? props.saved.name} errors={errors.name} />
      <TextInput label="Description" name="description" defaultValue={typed?.description ?? props.saved.description} errors={errors.description} optional />
      <fieldset aria-describedby={errors.permissions ? "permissions-error" : undefined} className="space-y-3">
        <legend className="text-sm font-medium">Permissions</legend>
        {errors.permissions ? (
          <p id="permissions-error" className="text-sm text-red-700 dark:text-red-300">
            {errors.permissions.join(" ")}
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {props.areas.map((area) => (
            <fieldset key={area.key} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
              <legend className="px-1 text-sm font-semibold">{area.label}</legend>
              <ul className="space-y-1">
                {area.permissions.map((permission) => (
                  <li key={permission} className="flex items-center gap-2">
                    <input
                      id={`permission-${permission}`}
                      type="checkbox"
                      name={`permission:${permission}`}
                      defaultChecked={chosen.has(permission)}
                      disabled={!held.has(permission)}
                      className="size-4 accent-brand-700"
                    />
                    <label htmlFor={`permission-${permission}`} className="font-mono text-sm">
                      {permission}
                      {held.has(permission) ? null : <span className="ml-1 font-sans text-xs text-slate-600 dark:text-slate-400">(you do not hold it)</span>}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Saving…" : props.submitLabel}
      </button>
    </form>
  );
}

function TextInput(props: { label: string; name: string; defaultValue: string; errors?: string[]; optional?: boolean }) {
  const errorId = `${props.name}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={props.name} className="block text-sm font-medium">
        {props.label}
        {props.optional ? <span className="ml-1 font-normal text-slate-600 dark:text-slate-400">(optional)</span> : null}
      </label>
      <input
        id={props.name}
        name={props.name}
        defaultValue={props.defaultValue}
        autoComplete="off"
        aria-invalid={props.errors ? true : undefined}
        aria-describedby={props.errors ? errorId : undefined}
        className={inputClass}
      />
      {props.errors ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

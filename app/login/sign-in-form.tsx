"use client";

import { useActionState } from "react";
import { signInWithPassword, type SignInState } from "./actions";

const initialState: SignInState = { email: "" };

export function SignInForm() {
  const [state, formAction, pending] = useActionState(signInWithPassword, initialState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {state.error}
        </p>
      ) : null}
      <Field label="Email" name="email" type="email" autoComplete="username" defaultValue={state.email} errors={state.fieldErrors?.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" errors={state.fieldErrors?.password} />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function Field(props: { label: string; name: string; type: string; autoComplete: string; defaultValue?: string; errors?: string[] }) {
  const errorId = `${props.name}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={props.name} className="block text-sm font-medium">
        {props.label}
      </label>
      <input
        id={props.name}
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        defaultValue={props.defaultValue}
        required
        aria-invalid={props.errors ? true : undefined}
        aria-describedby={props.errors ? errorId : undefined}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
      />
      {props.errors ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

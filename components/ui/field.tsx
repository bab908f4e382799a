/** A labelled input with its server-side errors announced next to it. */
export function Field(props: {
  label: string;
  name: string;
  type?: string;
  autoComplete?: string;
  defaultValue?: string;
  inputMode?: "numeric" | "text";
  errors?: string[];
  hint?: string;
}) {
  const errorId = `${props.name}-error`;
  const hintId = `${props.name}-hint`;
  const describedBy = [props.errors ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={props.name} className="block text-sm font-medium">
        {props.label}
      </label>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        defaultValue={props.defaultValue}
        required
        aria-invalid={props.errors ? true : undefined}
        aria-describedby={describedBy}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
      />
      {props.hint ? (
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
          {props.hint}
        </p>
      ) : null}
      {props.errors ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled select with its server-side errors next to it; without a default it asks for a choice. */
export function SelectField(props: { label: string; name: string; options: { id: string; label: string }[]; defaultValue?: string; errors?: string[] }) {
  const errorId = `${props.name}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={props.name} className="block text-sm font-medium">
        {props.label}
      </label>
      <select
        id={props.name}
        name={props.name}
        defaultValue={props.defaultValue ?? ""}
        aria-invalid={props.errors ? true : undefined}
        aria-describedby={props.errors ? errorId : undefined}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
      >
        {props.defaultValue === undefined ? (
          <option value="" disabled>
            Choose…
          </option>
        ) : null}
        {props.options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
      {props.errors ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** The form-level error of a server action, read out when it appears. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {message}
    </p>
  );
}

export function SubmitButton({ pending, children, pendingText }: { pending: boolean; children: React.ReactNode; pendingText: string }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="w-full rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60"
    >
      {pending ? pendingText : children}
    </button>
  );
}

/** Shared pieces of the filter forms above the data tables. */
export const FILTER_CONTROL = "block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

/** A labelled select of a filter form; the empty choice is "Any". */
export function Choice(props: { label: string; name: string; value?: string; options: [string, string][] }) {
  return (
    <div className="space-y-1">
      <label htmlFor={`filter-${props.name}`} className="block text-sm font-medium">
        {props.label}
      </label>
      <select id={`filter-${props.name}`} name={props.name} defaultValue={props.value ?? ""} className={FILTER_CONTROL}>
        <option value="">Any</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

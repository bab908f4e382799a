/** Search by name or by tag: a plain GET form, so a search is a link that can be shared and reloaded. */
export function TreeSearchForm(props: { action: string; defaultValue: string; error?: string; includeArchived: boolean }) {
  return (
    <form action={props.action} method="get" role="search" className="flex max-w-2xl flex-wrap items-start gap-2">
      <div className="min-w-64 flex-1 space-y-1">
        <label htmlFor="tree-search" className="sr-only">
          Search by name or tag
        </label>
        <input
          id="tree-search"
          name="q"
          type="search"
          defaultValue={props.defaultValue}
          placeholder="Search by name, or a tag such as region:emea"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? "tree-search-error" : undefined}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
        {props.error ? (
          <p id="tree-search-error" className="text-sm text-red-700 dark:text-red-300">
            {props.error}
          </p>
        ) : null}
      </div>
      {props.includeArchived ? <input type="hidden" name="archived" value="1" /> : null}
      <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
        Search
      </button>
      {props.defaultValue ? (
        <a href={props.includeArchived ? `${props.action}?archived=1` : props.action} className="self-center text-sm text-brand-700 underline dark:text-brand-500">
          Clear search
        </a>
      ) : null}
    </form>
  );
}

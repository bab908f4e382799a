/** The members table's filters: a plain GET form, so that a filtered view has an address; it starts again at page 1. */
export function MemberFilters(props: {
  values: { q?: string; roleId?: string; status?: string; source?: string; kind?: string };
  roles: { id: string; name: string }[];
  keep: { sort?: string; dir?: string; pageSize?: string };
}) {
  return (
    <form role="search" aria-label="Filter members" className="flex flex-wrap items-end gap-3">
      {Object.entries(props.keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <div className="space-y-1">
        <label htmlFor="filter-q" className="block text-sm font-medium">
          Search
        </label>
        <input id="filter-q" name="q" type="search" placeholder="name or email" defaultValue={props.values.q} className={CONTROL} />
      </div>
      <Choice label="Role" name="roleId" value={props.values.roleId} options={props.roles.map((role) => [role.id, role.name])} />
      <Choice label="Status" name="status" value={props.values.status} options={[["active", "Active"], ["invited", "Invited"], ["disabled", "Disabled"]]} />
      <Choice label="Source" name="source" value={props.values.source} options={[["direct", "Direct"], ["invitation", "Invitation"], ["idp", "Identity provider"]]} />
      <Choice label="Kind" name="kind" value={props.values.kind} options={[["user", "Users"], ["api_client", "API clients"]]} />
      <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
        Filter
      </button>
    </form>
  );
}

function Choice(props: { label: string; name: string; value?: string; options: [string, string][] }) {
  return (
    <div className="space-y-1">
      <label htmlFor={`filter-${props.name}`} className="block text-sm font-medium">
        {props.label}
      </label>
      <select id={`filter-${props.name}`} name={props.name} defaultValue={props.value ?? ""} className={CONTROL}>
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

const CONTROL = "block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

import { Choice, FILTER_CONTROL } from "@/components/ui/filter-choice";
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
        <input id="filter-q" name="q" type="search" placeholder="name or email" defaultValue={props.values.q} className={FILTER_CONTROL} />
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

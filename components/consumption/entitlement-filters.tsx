import { Choice, FILTER_CONTROL } from "@/components/ui/filter-choice";
/** The entitlements table's filters: a plain GET form, so that a filtered view has an address; it starts again at page 1. */
export function EntitlementFilters(props: {
  values: { q?: string; status?: string; productId?: string };
  products: { id: string; name: string }[];
  keep: { sort?: string; dir?: string; pageSize?: string };
}) {
  return (
    <form role="search" aria-label="Filter entitlements" className="flex flex-wrap items-end gap-3">
      {Object.entries(props.keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <div className="space-y-1">
        <label htmlFor="filter-q" className="block text-sm font-medium">
          Serial number
        </label>
        <input id="filter-q" name="q" type="search" placeholder="part of it" defaultValue={props.values.q} className={FILTER_CONTROL} />
      </div>
      <Choice
        label="Status"
        name="status"
        value={props.values.status}
        options={[
          ["pending", "Pending"],
          ["active", "Active"],
          ["stopped", "Stopped"],
          ["expired", "Expired"],
        ]}
      />
      <Choice label="Product" name="productId" value={props.values.productId} options={props.products.map((product) => [product.id, product.name])} />
      <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
        Filter
      </button>
    </form>
  );
}

import Link from "next/link";
import { quickRanges, viewQuery, type DashboardView } from "./range";

const CONTROL = "block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

/**
 * The dashboard's range: one-click ranges as links and a plain GET form for any other, so that every
 * view has an address and works without script.
 */
export function RangePicker(props: { base: string; view: DashboardView; today: string; splits: { id: DashboardView["split"]; label: string }[] }) {
  const { view } = props;
  const inputType = view.granularity === "day" ? "date" : "month";
  return (
    <div className="space-y-3">
      <nav aria-label="Quick ranges">
        <ul className="flex flex-wrap gap-2 text-sm">
          {quickRanges(props.today).map((range) => {
            const current = range.granularity === view.granularity && range.from === view.from && range.to === view.to;
            return (
              <li key={range.label}>
                <Link
                  href={`${props.base}?${viewQuery(view, range)}`}
                  aria-current={current ? "true" : undefined}
                  className={`inline-block rounded-full border px-3 py-1 font-medium ${
                    current
                      ? "border-brand-700 bg-brand-50 text-brand-800 dark:border-brand-500 dark:bg-brand-900 dark:text-brand-100"
                      : "border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800"
                  }`}
                >
                  {range.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <form role="search" aria-label="Choose the range" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="range-view" className="block text-sm font-medium">
            By
          </label>
          <select id="range-view" name="view" defaultValue={view.granularity} className={CONTROL}>
            <option value="day">Day</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="range-from" className="block text-sm font-medium">
            From
          </label>
          <input id="range-from" name="from" type={inputType} defaultValue={view.from} className={CONTROL} />
        </div>
        <div className="space-y-1">
          <label htmlFor="range-to" className="block text-sm font-medium">
            To
          </label>
          <input id="range-to" name="to" type={inputType} defaultValue={view.to} className={CONTROL} />
        </div>
        <div className="space-y-1">
          <label htmlFor="range-split" className="block text-sm font-medium">
            Split by
          </label>
          <select id="range-split" name="split" defaultValue={view.split} className={CONTROL}>
            {props.splits.map((split) => (
              <option key={split.id} value={split.id}>
                {split.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          Show
        </button>
      </form>
    </div>
  );
}

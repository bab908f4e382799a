import Link from "next/link";

export function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold">{value}</dd>
    </div>
  );
}

/** A titled card of the overview, with a link to the page that says more. */
export function Section(props: { id: string; title: string; link?: { href: string; label: string }; children: React.ReactNode }) {
  return (
    <section aria-labelledby={props.id} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={props.id} className="text-lg font-semibold">
          {props.title}
        </h2>
        {props.link ? (
          <Link href={props.link.href} className="text-sm text-brand-700 underline dark:text-brand-500">
            {props.link.label}
          </Link>
        ) : null}
      </div>
      {props.children}
    </section>
  );
}

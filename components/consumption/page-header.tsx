import { SectionNav, type Section } from "./section-nav";

/** The title of a consumption or billing page, what it is about, its actions (exports) and the section tabs. */
export function PageHeader(props: { title: string; description: string; sections: Section[]; navLabel: string; actions?: React.ReactNode }) {
  return (
    <header className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{props.title}</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">{props.description}</p>
        </div>
        {props.actions ? <div className="flex flex-wrap gap-2">{props.actions}</div> : null}
      </div>
      {props.sections.length > 1 ? <SectionNav label={props.navLabel} sections={props.sections} /> : null}
    </header>
  );
}

/** A link that downloads a table as CSV: a plain link, so that the browser saves the file. */
export function ExportLink({ href, label }: { href: string; label: string }) {
  return (
    <a
      href={href}
      download
      className="inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      {label}
    </a>
  );
}

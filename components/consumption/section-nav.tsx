"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface Section {
  href: string;
  label: string;
}

/** The consumption pages of a node as tabs: only those the principal may open, the current one marked. */
export function SectionNav({ label, sections }: { label: string; sections: Section[] }) {
  const pathname = usePathname();
  // The longest matching address wins, so the dashboard tab is not current on its sub-pages.
  const current = sections
    .filter((section) => pathname === section.href || pathname.startsWith(`${section.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label={label} className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex flex-wrap gap-x-4">
        {sections.map((section) => (
          <li key={section.href}>
            <Link
              href={section.href}
              aria-current={section.href === current ? "page" : undefined}
              className={`inline-block border-b-2 px-1 py-2 text-sm font-medium ${
                section.href === current
                  ? "border-brand-700 text-brand-800 dark:border-brand-500 dark:text-brand-100"
                  : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
              }`}
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

"use client";

import { usePathname } from "next/navigation";
import { useState } from "react";

/**
 * The frame's layout: the sidebar beside the page from md up; below md it folds away behind a Menu
 * button and closes again on navigation.
 */
export function ShellFrame(props: { sidebar: React.ReactNode; header: React.ReactNode; children: React.ReactNode }) {
  const pathname = usePathname();
  // Open for the page it was opened on only: navigating closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-40 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <aside
        id="sidebar"
        className={`${open ? "fixed inset-y-0 left-0 z-30 block shadow-xl" : "hidden"} w-60 shrink-0 border-r border-slate-200 bg-white md:block md:shadow-none dark:border-slate-800 dark:bg-slate-900`}
      >
        {/* The column runs the page's full height; its content stays in view while the page scrolls. */}
        <div className="sticky top-0 max-h-screen overflow-y-auto px-3 py-4">{props.sidebar}</div>
      </aside>
      {open ? <div aria-hidden="true" className="fixed inset-0 z-20 bg-slate-900/40 md:hidden" onClick={() => setOpenOn(null)} /> : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-white px-4 py-3 md:px-6 dark:border-slate-800 dark:bg-slate-900">
          <button
            type="button"
            aria-expanded={open}
            aria-controls="sidebar"
            onClick={() => setOpenOn(open ? null : pathname)}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium md:hidden dark:border-slate-700"
          >
            Menu
          </button>
          {props.header}
        </header>
        <main id="main" className="flex-1 px-4 py-6 md:px-6">
          {props.children}
        </main>
      </div>
    </div>
  );
}

"use client";

/** When the tree's page fails to load: say so plainly and offer to try again. */
export default function TreeError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="space-y-3">
      <h1 className="text-2xl font-semibold">Tenant tree</h1>
      <p className="text-slate-700 dark:text-slate-300">The tenant tree could not be loaded. Nothing was changed.</p>
      <button type="button" onClick={reset} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
        Try again
      </button>
    </div>
  );
}

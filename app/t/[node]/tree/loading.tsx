/** Shown while the tree's roots and counts load. */
export default function TreeLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <h1 className="text-2xl font-semibold">Tenant tree</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">Loading the tenant tree…</p>
      <div className="h-[32rem] max-h-[70vh] animate-pulse rounded-lg border border-slate-200 bg-slate-100 dark:border-slate-800 dark:bg-slate-900" />
    </div>
  );
}

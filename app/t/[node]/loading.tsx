/** Shown inside the frame while a page of the node loads. */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading…</span>
      <div aria-hidden="true" className="h-8 w-64 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div aria-hidden="true" className="grid max-w-3xl grid-cols-2 gap-4 sm:grid-cols-4">
        {[0, 1, 2, 3].map((key) => (
          <div key={key} className="h-20 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800" />
        ))}
      </div>
      <div aria-hidden="true" className="h-40 max-w-3xl animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800" />
    </div>
  );
}

/** Shown while the server sorts, filters and pages the members. */
export default function Loading() {
  return (
    <div role="status" aria-label="Loading members" className="space-y-3">
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-64 animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
    </div>
  );
}

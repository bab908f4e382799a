/** Shown while the server sorts, filters and pages the entitlements. */
export default function Loading() {
  return (
    <div role="status" aria-label="Loading entitlements" className="space-y-3">
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-64 animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
    </div>
  );
}

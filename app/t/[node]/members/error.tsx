"use client";

/** An unexpected failure while loading members: a plain message and a retry, never a stack trace. */
export default function MembersError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="space-y-3">
      <p className="text-red-700 dark:text-red-300">The members could not be loaded. Nothing was changed.</p>
      <button type="button" onClick={reset} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium dark:border-slate-700">
        Try again
      </button>
    </div>
  );
}

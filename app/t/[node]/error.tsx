"use client";

/** An unexpected failure of a page: a plain message (details stay in the server log) and a retry. */
export default function NodeError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="max-w-lg space-y-3 py-6">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600 dark:text-slate-400">This page could not be shown. Nothing was changed. Try again in a moment.</p>
      <button
        type="button"
        onClick={reset}
        className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800"
      >
        Try again
      </button>
    </div>
  );
}

/** Arbor's logo and word mark. */
export function ArborMark({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 text-brand-600" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M12 21v-7m0 0-4-4m4 4 4-4M12 10V3m0 0L9 6m3-3 3 3" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>Arbor</span>
    </span>
  );
}

import Link from "next/link";

// One answer for a missing page and for a tenant the visitor may not see: no probing by address.
export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">This page does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-4 inline-block text-brand-700 underline dark:text-brand-500">
        Go to your portal
      </Link>
    </main>
  );
}

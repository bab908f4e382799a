import Link from "next/link";

// Something under a node the user may read is missing (or hidden, which answers the same).
export default function NotFoundUnderNode() {
  return (
    <div className="max-w-lg py-6">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">This page does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-4 inline-block text-brand-700 underline dark:text-brand-500">
        Go to your portal
      </Link>
    </div>
  );
}

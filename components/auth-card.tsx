import Link from "next/link";
import { ArborMark } from "./arbor-mark";

/** The centred card every sign-in step is shown in. */
export function AuthCard({ title, intro, children }: { title: string; intro: React.ReactNode; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6 rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="space-y-2 text-center">
          <ArborMark className="text-2xl" />
          <h1 className="text-lg font-semibold">{title}</h1>
          <div className="text-sm text-slate-600 dark:text-slate-400">{intro}</div>
        </div>
        {children}
      </div>
    </main>
  );
}

/** What a single-use link shows once it has expired, was used or was withdrawn. */
export function UnusableLinkCard({ title, intro }: { title: string; intro: string }) {
  return (
    <AuthCard title={title} intro={intro}>
      <p className="text-center">
        <Link href="/login" className="text-brand-700 underline dark:text-brand-500">
          Go to sign-in
        </Link>
      </p>
    </AuthCard>
  );
}

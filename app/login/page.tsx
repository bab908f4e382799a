import type { Metadata } from "next";
import { ArborMark } from "@/components/arbor-mark";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6 rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="space-y-2 text-center">
          <ArborMark className="text-2xl" />
          <h1 className="text-lg font-semibold">Sign in to your portal</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Manage your customers, access and consumption in one place.</p>
        </div>
        <SignInForm />
      </div>
    </main>
  );
}

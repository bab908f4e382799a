import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { FormError } from "@/components/ui/field";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

// Why a sign-in through an IdP came back here: our refusals (sso-*), or Auth.js's error types.
const SSO_ERRORS: Record<string, string> = {
  "sso-email-in-use": "Your identity provider signed you in, but your email address already belongs to another Arbor user. Ask your administrator.",
  "sso-other-account": "Your identity provider signed you in, but this identity belongs to another account in Arbor. Ask your administrator.",
  "sso-missing-email": "Your identity provider did not send your email address, which Arbor needs. Ask your administrator.",
  "sso-disabled": "Your user is disabled. Ask your administrator.",
  "sso-unavailable": "Single sign-on is not available for this account right now. Ask your administrator.",
};

function errorMessage(error: string | undefined): string | undefined {
  if (!error) return undefined;
  return SSO_ERRORS[error] ?? "Single sign-on did not complete. Try again, or ask your administrator.";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const { next, error } = await searchParams;
  const target = safeRedirectPath(next);
  return (
    <AuthCard title="Sign in to your portal" intro="Manage your customers, access and consumption in one place.">
      <FormError message={errorMessage(error)} />
      <SignInForm next={target} />
      <div className="space-y-4 text-center text-sm">
        <p className="flex items-center gap-3 text-slate-500 dark:text-slate-400" aria-hidden="true">
          <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
          or
          <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
        </p>
        <Link
          href={`/login/sso?next=${encodeURIComponent(target)}`}
          className="block w-full rounded-md border border-slate-300 px-4 py-2 font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          Sign in with single sign-on
        </Link>
      </div>
    </AuthCard>
  );
}

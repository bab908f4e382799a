import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { SsoForm } from "./sso-form";

export const metadata: Metadata = { title: "Sign in with single sign-on" };

export default async function SsoLoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeRedirectPath((await searchParams).next);
  return (
    <AuthCard title="Sign in with single sign-on" intro="Your organization's identity provider signs you in, with its own second step.">
      <SsoForm next={next} />
      <p className="text-center text-sm">
        <Link href={`/login?next=${encodeURIComponent(next)}`} className="text-brand-700 underline dark:text-brand-500">
          Sign in with email and password
        </Link>
      </p>
    </AuthCard>
  );
}

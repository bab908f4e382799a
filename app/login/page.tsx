import type { Metadata } from "next";
import { AuthCard } from "@/components/auth-card";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <AuthCard title="Sign in to your portal" intro="Manage your customers, access and consumption in one place.">
      <SignInForm next={safeRedirectPath(next)} />
    </AuthCard>
  );
}

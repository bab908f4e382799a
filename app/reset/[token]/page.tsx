import type { Metadata } from "next";
import Link from "next/link";
import { getDatabase } from "@/db/client";
import { AuthCard } from "@/components/auth-card";
import { findUsableReset } from "@/lib/members/security";
import { ResetForm } from "./reset-form";

export const metadata: Metadata = { title: "Set a new password" };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await findUsableReset(await getDatabase(), token, new Date());
  if (!reset) {
    return (
      <AuthCard title="This link cannot be used" intro="Reset links work once and for 30 minutes. Ask your administrator for a new one.">
        <p className="text-center">
          <Link href="/login" className="text-brand-700 underline dark:text-brand-500">
            Go to sign-in
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Set a new password" intro={`For ${reset.email}. Your two-step verification stays as it is.`}>
      <ResetForm token={token} email={reset.email ?? ""} />
    </AuthCard>
  );
}

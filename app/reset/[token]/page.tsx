import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { AuthCard, UnusableLinkCard } from "@/components/auth-card";
import { findUsableReset } from "@/lib/members/security";
import { ResetForm } from "./reset-form";

export const metadata: Metadata = { title: "Set a new password" };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await findUsableReset(await getDatabase(), token, new Date());
  if (!reset) {
    return <UnusableLinkCard title="This link cannot be used" intro="Reset links work once and for 30 minutes. Ask your administrator for a new one." />;
  }
  return (
    <AuthCard title="Set a new password" intro={`For ${reset.email}. Your two-step verification stays as it is.`}>
      <ResetForm token={token} email={reset.email ?? ""} />
    </AuthCard>
  );
}

import { eq } from "drizzle-orm";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { totpCredentials } from "@/db/schema";
import { AuthCard } from "@/components/auth-card";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { getLiveSession } from "@/lib/auth/request-context";
import { CodeForm } from "./code-form";

export const metadata: Metadata = { title: "Two-step verification" };

export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeRedirectPath((await searchParams).next);
  const live = await getLiveSession();
  if (!live) redirect("/login");
  if (live.session.stage === "complete") redirect(next);
  const [credential] = await live.db
    .select({ confirmedAt: totpCredentials.confirmedAt })
    .from(totpCredentials)
    .where(eq(totpCredentials.principalId, live.session.principalId));
  if (!credential?.confirmedAt) redirect(`/login/enroll?next=${encodeURIComponent(next)}`);
  return (
    <AuthCard title="Two-step verification" intro="Enter the code from your authenticator app.">
      <CodeForm next={next} />
      <p className="text-center text-sm">
        <Link href="/login" className="text-brand-700 underline dark:text-brand-500">
          Sign in as someone else
        </Link>
      </p>
    </AuthCard>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import QRCode from "qrcode";
import { AuthCard } from "@/components/auth-card";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { getLiveSession } from "@/lib/auth/request-context";
import { beginEnrolment } from "@/lib/auth/sign-in";
import { EnrollForm } from "./enroll-form";

export const metadata: Metadata = { title: "Set up two-step verification" };

export default async function EnrollPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeRedirectPath((await searchParams).next);
  const live = await getLiveSession();
  if (!live) redirect("/login");
  const enrolment = await beginEnrolment(live.db, { sessionId: live.session.id, principalId: live.session.principalId }, new Date());
  if (!enrolment.ok) redirect(enrolment.reason === "already-enrolled" ? `/login/verify?next=${encodeURIComponent(next)}` : "/login");
  const qr = await QRCode.toString(enrolment.uri, { type: "svg", margin: 1, width: 192 });
  return (
    <AuthCard
      title="Set up two-step verification"
      intro="Arbor needs a second step for every sign-in. Scan the code with an authenticator app, then enter the code it shows."
    >
      <EnrollForm next={next} qrSvg={qr} secret={enrolment.secret} />
    </AuthCard>
  );
}

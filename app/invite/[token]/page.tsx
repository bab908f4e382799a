import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { AuthCard, UnusableLinkCard } from "@/components/auth-card";
import { findOpenInvitation } from "@/lib/members/invitations";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const open = await findOpenInvitation(await getDatabase(), token, new Date());
  if (!open) {
    return <UnusableLinkCard title="This invitation cannot be used" intro="It has expired, was withdrawn or was already answered. Ask the person who invited you to send it again." />;
  }
  return (
    <AuthCard
      title={`Join ${open.nodeName}`}
      intro={
        <>
          You are invited as <strong>{open.roleName}</strong> ({open.email}).
          {open.needsPassword ? " Choose a password; next you will set up two-step verification." : " Accept, then sign in as usual."}
        </>
      }
    >
      <AcceptForm token={token} needsPassword={open.needsPassword} email={open.email} />
    </AuthCard>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/action-button";
import { can, checkMayManage } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode, whoHasAccess } from "@/lib/authz/queries";
import { isUuid } from "@/lib/auth/sessions";
import { findMember } from "@/lib/members/read";
import { loadNode } from "../../load-node";
import { resetSecondFactorAction, sendResetLinkAction, signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Member" };

const STATUS = { invited: "Invited", active: "Active", disabled: "Disabled" } as const;

export default async function MemberPage({ params }: { params: Promise<{ node: string; principal: string }> }) {
  const { node: slug, principal } = await params;
  const { db, authz, node } = await loadNode(slug);
  const member = isUuid(principal) ? await findMember(db, authz.principal.accountId, principal) : null;
  const home = member ? await loadTreeNode(db, authz.principal.accountId, { id: member.homeNodeId }, authz.now) : null;
  // Shown to whoever reads members where the member lives, or where the member has access; anyone
  // else finds nothing, exactly as for an id that does not exist.
  const here = (await loadTreeNode(db, authz.principal.accountId, { id: node.id }, authz.now))!;
  const visible =
    member !== null &&
    home !== null &&
    (can(authz, "member.read", home) ||
      (can(authz, "member.read", here) && (await whoHasAccess(db, here, authz.now)).some((entry) => entry.principal.id === member.id)));
  if (!visible || !member || !home) notFound();
  const target = await loadAuthContext(db, member.id, authz.now);
  const mayManage = can(authz, "member.manage", home) && target !== null && checkMayManage(authz, target, home).ok;
  return (
    <div className="max-w-2xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">{member.name}</h1>
        <p className="text-slate-600 dark:text-slate-400">{member.email ?? "API client"}</p>
      </header>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Status</dt>
        <dd>{STATUS[member.status]}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Home</dt>
        <dd>{can(authz, "tenant.read", home) ? home.name : "Outside your part of the tree"}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Two-step verification</dt>
        <dd>{member.twoStepEnrolled ? "Set up" : "Not set up yet"}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Last sign-in</dt>
        <dd>{member.lastSignInAt ? `${member.lastSignInAt.toISOString().replace("T", " ").slice(0, 16)} UTC` : "Never"}</dd>
      </dl>
      {mayManage && member.kind === "user" && member.id !== authz.principal.id ? (
        <section aria-labelledby="security-heading" className="space-y-3">
          <h2 id="security-heading" className="text-lg font-semibold">
            Security
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            You never see or choose their password: a reset sends them a link valid for 30 minutes.
          </p>
          <div className="flex flex-wrap gap-3">
            <ActionButton action={sendResetLinkAction} fields={{ principalId: member.id }} label="Send password reset link" />
            <ActionButton action={signOutEverywhereAction} fields={{ principalId: member.id }} label="Sign out everywhere" />
            <ActionButton action={resetSecondFactorAction} fields={{ principalId: member.id }} label="Reset two-step verification" tone="danger" />
          </div>
        </section>
      ) : null}
    </div>
  );
}

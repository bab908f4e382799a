import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { can } from "@/lib/authz";
import { loadTreeNode, whoHasAccess } from "@/lib/authz/queries";
import { listInvitations } from "@/lib/members/invitations";
import { grantableRoles } from "@/lib/members/read";
import { loadNode } from "../load-node";
import { InviteForm } from "./invite-form";
import { resendInvitationAction, revokeInvitationAction } from "./actions";

export const metadata: Metadata = { title: "Members" };

const STATE_LABEL = { pending: "Pending", expired: "Expired", accepted: "Accepted", declined: "Declined", revoked: "Withdrawn" } as const;

export default async function MembersPage({ params }: { params: Promise<{ node: string }> }) {
  const { db, authz, request, node: base } = await loadNode((await params).node);
  const node = (await loadTreeNode(db, authz.principal.accountId, { id: base.id }, authz.now))!;
  if (!can(authz, "member.read", node)) {
    return <p className="text-slate-700 dark:text-slate-300">You may not see the members of {node.name}.</p>;
  }
  const ctx = { db, authz, request };
  const mayInvite = can(authz, "member.invite", node);
  const [access, invitations, roles] = await Promise.all([
    whoHasAccess(db, node, authz.now),
    listInvitations(ctx, node.id),
    mayInvite ? grantableRoles(db, authz, node) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">Who has access to {node.name}, and invitations to it.</p>
      </header>

      {mayInvite && roles.length > 0 ? (
        <section aria-labelledby="invite-heading" className="space-y-3">
          <h2 id="invite-heading" className="text-lg font-semibold">
            Invite someone
          </h2>
          <InviteForm nodeId={node.id} roles={roles} />
        </section>
      ) : null}

      <section aria-labelledby="access-heading" className="space-y-3">
        <h2 id="access-heading" className="text-lg font-semibold">
          Who has access here
        </h2>
        {access.length === 0 ? <p>Nobody has access here yet.</p> : null}
        <table aria-labelledby="access-heading" className="w-full max-w-4xl text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="py-2 pr-4 font-medium">Name</th>
              <th className="py-2 pr-4 font-medium">Email</th>
              <th className="py-2 font-medium">Role, and where it comes from</th>
            </tr>
          </thead>
          <tbody>
            {access.map((entry) => (
              <tr key={entry.principal.id} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-4">
                  <Link href={`/t/${base.slug}/members/${entry.principal.id}`} className="text-brand-700 underline dark:text-brand-500">
                    {entry.principal.name}
                  </Link>
                </td>
                <td className="py-2 pr-4">{entry.principal.email ?? "API client"}</td>
                <td className="py-2">
                  {entry.via.map((via) => `${via.roleName}${via.inherited ? ` (from ${via.nodeName})` : ""}`).join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="invitations-heading" className="space-y-3">
        <h2 id="invitations-heading" className="text-lg font-semibold">
          Invitations
        </h2>
        {invitations.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No invitations to {node.name} yet.</p>
        ) : (
          <table aria-labelledby="invitations-heading" className="w-full max-w-4xl text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th className="py-2 pr-4 font-medium">Email</th>
                <th className="py-2 pr-4 font-medium">Role</th>
                <th className="py-2 pr-4 font-medium">State</th>
                <th className="py-2 pr-4 font-medium">Sent</th>
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="py-2 pr-4">{invitation.email}</td>
                  <td className="py-2 pr-4">{invitation.roleName}</td>
                  <td className="py-2 pr-4">{STATE_LABEL[invitation.state]}</td>
                  <td className="py-2 pr-4">{invitation.createdAt.toISOString().slice(0, 10)}</td>
                  <td className="flex gap-2 py-2">
                    {mayInvite && (invitation.state === "pending" || invitation.state === "expired") ? (
                      <>
                        <ActionButton action={resendInvitationAction} fields={{ invitationId: invitation.id }} label="Resend" />
                        <ActionButton action={revokeInvitationAction} fields={{ invitationId: invitation.id }} label="Withdraw" tone="danger" />
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

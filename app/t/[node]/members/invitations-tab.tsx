import { ActionButton } from "@/components/action-button";
import { can } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { listInvitations } from "@/lib/members/invitations";
import { grantableRoles } from "@/lib/members/read";
import { loadNode } from "../load-node";
import { resendInvitationAction, revokeInvitationAction } from "./actions";
import { InviteForm } from "./invite-form";

const STATE_LABEL = { pending: "Pending", expired: "Expired", accepted: "Accepted", declined: "Declined", revoked: "Withdrawn" } as const;

/** The invite form (for those who may invite) and the node's invitations. */
export async function InvitationsTab({ slug }: { slug: string }) {
  const { db, authz, request, node: base } = await loadNode(slug);
  const node = (await loadTreeNode(db, authz.principal.accountId, { id: base.id }, authz.now))!;
  const mayInvite = can(authz, "member.invite", node);
  const [invitations, roles] = await Promise.all([listInvitations({ db, authz, request }, node.id), mayInvite ? grantableRoles(db, authz, node) : Promise.resolve([])]);
  return (
    <div className="space-y-8">
      {mayInvite && roles.length > 0 ? (
        <section aria-labelledby="invite-heading" className="space-y-3">
          <h2 id="invite-heading" className="text-lg font-semibold">
            Invite someone
          </h2>
          <InviteForm nodeId={node.id} roles={roles} />
        </section>
      ) : null}
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

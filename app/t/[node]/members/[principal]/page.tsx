import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/action-button";
import { AssignmentList } from "@/components/members/assignment-list";
import { ExplainForm } from "@/components/members/explain-form";
import { can, checkMayManage, pathIds } from "@/lib/authz";
import { listAccessibleNodes, loadTreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import { explainAccess, type AccessExplanation } from "@/lib/members/assignments";
import { grantableRoles, readMember } from "@/lib/members/read";
import { loadNode } from "../../load-node";
import { assignRoleAction, changeRoleAction, revokeRoleAction } from "../role-actions";
import { resetSecondFactorAction, sendResetLinkAction, signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Member" };

const STATUS = { invited: "Invited", active: "Active", disabled: "Disabled" } as const;
const ROLE_ACTIONS = { assign: assignRoleAction, change: changeRoleAction, revoke: revokeRoleAction };

export default async function MemberPage({
  params,
  searchParams,
}: {
  params: Promise<{ node: string; principal: string }>;
  searchParams: Promise<{ permission?: string; on?: string }>;
}) {
  const { node: slug, principal } = await params;
  const question = await searchParams;
  const { db, authz, request, node } = await loadNode(slug);
  const ctx = { db, authz, request };
  // Anyone the member is hidden from finds nothing, exactly as for an id that does not exist.
  const here = (await loadTreeNode(db, authz.principal.accountId, { id: node.id }, authz.now))!;
  const detail = await readMember(ctx, principal, here).catch((caught: unknown) => {
    if (caught instanceof DomainError) notFound();
    throw caught;
  });
  const { member, home, target, assignments } = detail;
  const mayManage = can(authz, "member.manage", home) && checkMayManage(authz, target, home).ok;
  const withRoles = await Promise.all(
    assignments.map(async (assignment) => {
      const at = assignment.mayChange ? await loadTreeNode(db, authz.principal.accountId, { id: assignment.nodeId }, authz.now) : null;
      return { ...assignment, roles: at ? await grantableRoles(db, authz, at) : [] };
    }),
  );
  // Nodes are named by their path: "Enterprise" alone would be ambiguous across regions.
  const readable = (await listAccessibleNodes(db, authz, "member.read", { limit: 500 })).items;
  const names = new Map(readable.map((entry) => [entry.id, entry.name]));
  const explainNodes = readable.map((entry) => ({ id: entry.id, label: pathIds(entry.path).flatMap((id) => names.get(id) ?? []).join(" › ") }));
  let answer: AccessExplanation | null = null;
  let explainError: string | null = null;
  if (question.permission && question.on) {
    try {
      answer = await explainAccess(ctx, { principalId: member.id, permission: question.permission, nodeId: question.on });
    } catch (caught) {
      if (!(caught instanceof DomainError)) throw caught;
      explainError = caught.message;
    }
  }
  return (
    <div className="max-w-4xl space-y-8">
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

      <section aria-labelledby="assignments-heading" className="space-y-3">
        <h2 id="assignments-heading" className="text-lg font-semibold">
          Assignments
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">Every role {member.name} holds where you may see members; each applies to its node and everything below it.</p>
        <AssignmentList principal={{ id: member.id, name: member.name }} assignments={withRoles} actions={ROLE_ACTIONS} />
      </section>

      <section aria-labelledby="explain-heading" className="space-y-3">
        <h2 id="explain-heading" className="text-lg font-semibold">
          Explain access
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">Pick a permission and a node to see which assignment grants it to {member.name}, or why nothing does.</p>
        <ExplainForm name={member.name} nodes={explainNodes} values={{ permission: question.permission, nodeId: question.on ?? node.id }} answer={answer} error={explainError} />
      </section>

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

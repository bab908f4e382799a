import type { Metadata } from "next";
import { MEMBER_TABS, MemberTabs, type MemberTab } from "@/components/members/member-tabs";
import { can } from "@/lib/authz";
import { loadNode } from "../load-node";
import { AccessTab } from "./access-tab";
import { InvitationsTab } from "./invitations-tab";
import { MembersTab, type MembersSearch } from "./members-tab";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<MembersSearch & { tab?: string }> }) {
  const { authz, node } = await loadNode((await params).node);
  const search = await searchParams;
  if (!can(authz, "member.read", node)) {
    return <p className="text-slate-700 dark:text-slate-300">You may not see the members of {node.name}.</p>;
  }
  const tab: MemberTab = MEMBER_TABS.some((entry) => entry.id === search.tab) ? (search.tab as MemberTab) : "members";
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Users and access</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {node.kind === "account"
            ? `Everyone of ${node.name}: with a role anywhere in the tree, or with none yet.`
            : `Everyone with a role on ${node.name}, inherited from above it, or held on a node below it.`}
        </p>
      </header>
      <MemberTabs slug={node.slug} current={tab} />
      {tab === "members" ? <MembersTab slug={node.slug} search={search} /> : null}
      {tab === "access" ? <AccessTab slug={node.slug} /> : null}
      {tab === "invitations" ? <InvitationsTab slug={node.slug} /> : null}
    </div>
  );
}

import { MemberFilters } from "@/components/members/member-filters";
import { MembersTable } from "@/components/members/members-table";
import { can } from "@/lib/authz";
import { DomainError } from "@/lib/errors";
import { roleControls } from "@/lib/members/controls";
import { listMembers, MEMBER_PAGE_SIZES, type MemberPage } from "@/lib/members/list";
import { accountRoles, grantableRoles } from "@/lib/members/read";
import { loadNode } from "../load-node";
import { disableMembersAction, removeAccessAction } from "./bulk-actions";
import { assignRoleAction, changeRoleAction, revokeRoleAction } from "./role-actions";

export type MembersSearch = { q?: string; roleId?: string; status?: string; source?: string; kind?: string; sort?: string; dir?: string; page?: string; pageSize?: string };

const ACTIONS = { assign: assignRoleAction, change: changeRoleAction, revoke: revokeRoleAction, disable: disableMembersAction, remove: removeAccessAction };

/** The members table: filters in the URL, sorted and paged by the server, controls only where allowed. */
export async function MembersTab({ slug, search }: { slug: string; search: MembersSearch }) {
  const { db, authz, request, node: base } = await loadNode(slug);
  const ctx = { db, authz, request };
  let result: MemberPage;
  try {
    result = await listMembers(ctx, { nodeId: base.id, ...search });
  } catch (caught) {
    if (!(caught instanceof DomainError)) throw caught;
    return (
      <p role="alert" className="text-red-700 dark:text-red-300">
        {caught.message} <a href={`/t/${base.slug}/members`} className="underline">Show all members</a>
      </p>
    );
  }
  const { node } = result;
  const mayAssign = can(authz, "role.assign", node);
  const [roles, grantable, controls] = await Promise.all([
    accountRoles(db, node.accountId),
    mayAssign ? grantableRoles(db, authz, node) : Promise.resolve([]),
    roleControls(ctx, node, result.rows),
  ]);
  const rows = result.rows.map((row) => {
    const may = controls.get(row.id) ?? { assign: false, change: false };
    return { ...row, may: { assign: may.assign && grantable.length > 0, change: may.change } };
  });
  const sort = search.sort && ["name", "email", "status", "lastSignIn"].includes(search.sort) ? search.sort : "name";
  return (
    <section aria-label="Members" className="space-y-4">
      <MemberFilters values={search} roles={roles} keep={{ sort: search.sort, dir: search.dir, pageSize: search.pageSize }} />
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Role and source filters match a role held here, above or below. Disabling acts on the whole account; removing access removes the role held on{" "}
        {node.name} itself.
      </p>
      <MembersTable
        rows={rows}
        total={result.total}
        node={{ id: node.id, name: node.name, slug: node.slug }}
        sorting={{ id: sort, desc: search.dir === "desc" }}
        page={result.page}
        pageSize={result.pageSize}
        pageSizes={MEMBER_PAGE_SIZES}
        roles={grantable}
        bulk={{ disable: can(authz, "member.manage", node), remove: mayAssign }}
        actions={ACTIONS}
      />
    </section>
  );
}

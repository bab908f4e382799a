"use client";

import Link from "next/link";
import { useMemo } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable, type DataTableColumn, type DataTableFeatures } from "@/components/ui/data-table";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { MemberRow } from "@/lib/members/list";
import { BulkAction } from "./bulk-action";
import { RoleDialog } from "./role-dialog";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface MemberTableRow extends MemberRow {
  /** What the viewer may do to this member's role here, decided on the server. */
  may: { assign: boolean; change: boolean };
}

const STATUS = { invited: "Invited", active: "Active", disabled: "Disabled" } as const;
const SOURCE = { direct: "direct", invitation: "invitation", idp: "identity provider" } as const;

const helper = createColumnHelper<DataTableFeatures, MemberTableRow>();

function formatDay(date: Date | null): string {
  return date ? new Date(date).toISOString().slice(0, 10) : "";
}

function RoleHere({ row }: { row: MemberTableRow }) {
  if (row.here.length === 0) {
    return <span className="text-slate-600 dark:text-slate-400">{row.below > 0 ? `None here; ${row.below} below` : "None in force"}</span>;
  }
  return (
    <ul>
      {row.here.map((assignment) => (
        <li key={assignment.assignmentId}>
          <span className="font-medium">{assignment.roleName}</span>{" "}
          <span className="text-slate-600 dark:text-slate-400">
            {assignment.inherited ? `inherited from ${assignment.nodeName}` : "direct"}
            {assignment.source !== "direct" ? `, via ${SOURCE[assignment.source]}` : ""}
            {assignment.expiresAt ? `, until ${formatDay(assignment.expiresAt)}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The members of a node: sortable, paged by the server, with bulk actions and the role dialog where allowed. */
export function MembersTable(props: {
  rows: MemberTableRow[];
  total: number;
  node: { id: string; name: string; slug: string };
  sorting: { id: string; desc: boolean };
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  roles: { id: string; name: string }[];
  bulk: { disable: boolean; remove: boolean };
  actions: { assign: Action; change: Action; revoke: Action; disable: Action; remove: Action };
}) {
  const { node, roles, actions } = props;
  const columns = useMemo<DataTableColumn<MemberTableRow>[]>(
    () => [
      helper.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <Link href={`/t/${node.slug}/members/${row.original.id}`} className="font-medium whitespace-nowrap text-brand-700 underline dark:text-brand-500">
            {row.original.name}
          </Link>
        ),
      }),
      helper.accessor("email", { id: "email", header: "Email", cell: ({ row }) => row.original.email ?? "—" }),
      helper.accessor("kind", { header: "Kind", enableSorting: false, cell: ({ row }) => (row.original.kind === "user" ? "User" : "API client") }),
      helper.accessor("status", { header: "Status", cell: ({ row }) => STATUS[row.original.status] }),
      helper.accessor("twoStepEnrolled", {
        header: "2FA",
        enableSorting: false,
        cell: ({ row }) => (row.original.kind === "api_client" ? "—" : row.original.twoStepEnrolled ? "On" : "Off"),
      }),
      helper.display({ id: "role", header: "Role here", cell: ({ row }) => <RoleHere row={row.original} /> }),
      helper.accessor("lastSignInAt", { id: "lastSignIn", header: "Last sign-in", cell: ({ row }) => formatDay(row.original.lastSignInAt) || "Never" }),
      helper.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => {
          const member = row.original;
          if (member.may.change && member.direct) {
            return (
              <RoleDialog
                principal={member}
                node={node}
                roles={roles}
                assignment={{ id: member.direct.assignmentId, roleId: member.direct.roleId, expiresAt: member.direct.expiresAt }}
                actions={actions}
              />
            );
          }
          return member.may.assign ? <RoleDialog principal={member} node={node} roles={roles} actions={actions} /> : null;
        },
      }),
    ],
    [node, roles, actions],
  );
  const names = Object.fromEntries(props.rows.map((row) => [row.id, row.name]));
  const selectable = props.bulk.disable || props.bulk.remove;
  return (
    <DataTable
      label="Members"
      columns={columns}
      rows={props.rows}
      rowId={(row) => row.id}
      rowLabel={(row) => row.name}
      rowCount={props.total}
      sorting={props.sorting}
      page={props.page}
      pageSize={props.pageSize}
      pageSizes={props.pageSizes}
      selectable={selectable}
      empty={<p>Nobody matches these filters.</p>}
      bulkActions={(selectedIds) => (
        <>
          {props.bulk.remove ? (
            <BulkAction
              action={actions.remove}
              nodeId={node.id}
              selectedIds={selectedIds}
              names={names}
              label="Remove access here"
              confirmLabel={(count) => `Remove ${count} from ${node.name}`}
            />
          ) : null}
          {props.bulk.disable ? (
            <BulkAction action={actions.disable} nodeId={node.id} selectedIds={selectedIds} names={names} label="Disable" confirmLabel={(count) => `Disable ${count}`} />
          ) : null}
        </>
      )}
    />
  );
}

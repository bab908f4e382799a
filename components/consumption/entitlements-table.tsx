"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, type DataTableColumn, type DataTableFeatures } from "@/components/ui/data-table";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { EntitlementRow } from "@/lib/consumption/entitlement-list";
import { EntitlementActions } from "./entitlement-actions";
import { SharedActionProvider } from "./shared-action";
import { formatExactPoints, formatLongDay } from "./format";
import { EntitlementStatusBadge } from "./status-badge";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export type EntitlementTableRow = Omit<EntitlementRow, "createdAt">;

const helper = createColumnHelper<DataTableFeatures, EntitlementTableRow>();

/** Entitlements sorted, filtered and paged by the server, with lifecycle actions when the viewer may manage them. */
export function EntitlementsTable(props: {
  rows: EntitlementTableRow[];
  total: number;
  sorting: { id: string; desc: boolean };
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  /** Whether to show the organization column (not on an organization's own page). */
  showOrganization: boolean;
  today: string;
  /** The lifecycle action, when the viewer may manage some of the rows' entitlements (decided on the server). */
  action: Action | null;
  /** The organizations whose entitlements the viewer may manage: only their rows get buttons. */
  manageable: readonly string[];
  empty: React.ReactNode;
}) {
  const { showOrganization, today, action, manageable } = props;
  const columns = useMemo<DataTableColumn<EntitlementTableRow>[]>(
    () => [
      helper.accessor("serialNumber", {
        header: "Serial number",
        cell: ({ row }) => (
          <span>
            <span className="font-mono text-xs whitespace-nowrap">{row.original.serialNumber}</span>
            {row.original.description ? <span className="block max-w-64 text-xs text-slate-600 dark:text-slate-400">{row.original.description}</span> : null}
          </span>
        ),
      }),
      helper.accessor("status", { header: "Status", cell: ({ row }) => <EntitlementStatusBadge status={row.original.status} /> }),
      ...(showOrganization
        ? [
            helper.accessor("organization", { header: "Organization", cell: ({ row }) => row.original.organization }),
          ]
        : []),
      helper.accessor("product", {
        header: "Product",
        cell: ({ row }) => (
          <span>
            {row.original.product}
            <span className="block text-xs text-slate-600 dark:text-slate-400">{row.original.configuration}</span>
          </span>
        ),
      }),
      helper.accessor("pointsPerDay", { header: "Points a day", cell: ({ row }) => <span className="tabular-nums">{formatExactPoints(row.original.pointsPerDay)}</span> }),
      helper.accessor("startDate", { header: "Start", cell: ({ row }) => <span className="whitespace-nowrap">{row.original.startDate ? formatLongDay(row.original.startDate) : "—"}</span> }),
      helper.accessor("endDate", { header: "End", cell: ({ row }) => <span className="whitespace-nowrap">{row.original.endDate ? formatLongDay(row.original.endDate) : "—"}</span> }),
      ...(action
        ? [
            helper.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              cell: ({ row }) => (manageable.includes(row.original.nodeId) ? <EntitlementActions entitlement={row.original} today={today} /> : null),
            }),
          ]
        : []),
    ],
    [showOrganization, today, action, manageable],
  );
  const table = (
    <DataTable
      label="Entitlements"
      columns={columns}
      rows={props.rows}
      rowId={(row) => row.id}
      rowLabel={(row) => row.serialNumber}
      rowCount={props.total}
      sorting={props.sorting}
      page={props.page}
      pageSize={props.pageSize}
      pageSizes={props.pageSizes}
      empty={props.empty}
    />
  );
  return action ? <SharedActionProvider action={action}>{table}</SharedActionProvider> : table;
}

"use client";

import {
  rowPaginationFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type PaginationState,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";

/** The table features every server-driven table uses: sorting, selection and paging done by the server. */
export const dataTableFeatures = tableFeatures({ rowSortingFeature, rowSelectionFeature, rowPaginationFeature });
export type DataTableFeatures = typeof dataTableFeatures;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns of one table hold values of different types
export type DataTableColumn<T extends RowData> = ColumnDef<DataTableFeatures, T, any>;

const resolve = <T,>(updater: Updater<T>, previous: T): T => (typeof updater === "function" ? (updater as (value: T) => T)(previous) : updater);

/**
 * A table whose rows the server has already sorted, filtered and paged. Sorting and paging write the
 * URL's search params (`sort`, `dir`, `page`, `pageSize`), so the server renders the next view and
 * every view has an address. Selected rows (for bulk actions) reset whenever the rows change.
 */
export function DataTable<T extends RowData>(props: {
  label: string;
  columns: DataTableColumn<T>[];
  rows: T[];
  rowId: (row: T) => string;
  /** What a row is called, for its selection checkbox's label. */
  rowLabel: (row: T) => string;
  rowCount: number;
  sorting: { id: string; desc: boolean };
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  selectable?: boolean;
  /** Actions over the selected rows, shown above a selectable table. */
  bulkActions?: (selectedIds: string[], clear: () => void) => ReactNode;
  empty: ReactNode;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [navigating, startNavigation] = useTransition();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [selectionFor, setSelectionFor] = useState(props.rows);
  if (selectionFor !== props.rows) {
    setSelectionFor(props.rows);
    setRowSelection({});
  }
  const sorting: SortingState = [props.sorting];
  const pagination: PaginationState = { pageIndex: props.page - 1, pageSize: props.pageSize };

  function navigate(changes: Record<string, string>) {
    const next = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    startNavigation(() => router.push(`${pathname}?${next.toString()}`));
  }

  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns,
    data: props.rows,
    getRowId: (row) => props.rowId(row),
    rowCount: props.rowCount,
    manualSorting: true,
    manualPagination: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: props.selectable === true,
    state: { sorting, pagination, rowSelection },
    onSortingChange: (updater) => {
      const [next] = resolve(updater, sorting);
      if (next) navigate({ sort: next.id, dir: next.desc ? "desc" : "asc", page: "1" });
    },
    onPaginationChange: (updater) => {
      const next = resolve(updater, pagination);
      navigate({ page: String(next.pageIndex + 1), pageSize: String(next.pageSize) });
    },
    onRowSelectionChange: (updater) => setRowSelection((previous) => resolve(updater, previous)),
  });

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const pageCount = Math.max(1, Math.ceil(props.rowCount / props.pageSize));
  const first = props.rowCount === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const last = Math.min(props.page * props.pageSize, props.rowCount);

  return (
    <div className="space-y-3" aria-busy={navigating}>
      {props.bulkActions && props.selectable ? (
        <div role="region" aria-label="Bulk actions" className="flex flex-wrap items-start gap-3 rounded-md border border-slate-200 bg-slate-50 p-3 dark:border-slate-800 dark:bg-slate-900">
          <p className="py-1.5 text-sm font-medium">{selectedIds.length} selected</p>
          {props.bulkActions(selectedIds, () => setRowSelection({}))}
        </div>
      ) : null}
      {/* Relative, so that the visually hidden labels inside (absolutely positioned) scroll with the table
          instead of widening the page on a narrow screen. */}
      <div className="relative overflow-x-auto">
        <table aria-label={props.label} className={`w-full text-left text-sm ${navigating ? "opacity-60" : ""}`}>
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {props.selectable ? (
                  <th scope="col" className="w-8 py-2 pr-2">
                    <input
                      type="checkbox"
                      aria-label="Select every row on this page"
                      checked={table.getIsAllPageRowsSelected()}
                      ref={(box) => {
                        if (box) box.indeterminate = table.getIsSomePageRowsSelected();
                      }}
                      onChange={table.getToggleAllPageRowsSelectedHandler()}
                    />
                  </th>
                ) : null}
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={canSort ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined}
                      className="py-2 pr-4 font-medium whitespace-nowrap"
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={() => header.column.toggleSorting(sorted === "asc")}
                          className="inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:outline-2 dark:hover:text-slate-100"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 align-top dark:border-slate-800" aria-selected={props.selectable ? row.getIsSelected() : undefined}>
                {props.selectable ? (
                  <td className="py-2 pr-2">
                    <input type="checkbox" aria-label={`Select ${props.rowLabel(row.original)}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
                  </td>
                ) : null}
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="py-2 pr-4">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.rows.length === 0 ? <div className="text-slate-600 dark:text-slate-400">{props.empty}</div> : null}
      <nav aria-label="Pages" className="flex flex-wrap items-center gap-3 text-sm">
        <p>
          {first}–{last} of {props.rowCount} · page {props.page} of {pageCount}
        </p>
        <button type="button" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()} className={PAGER}>
          Previous page
        </button>
        <button type="button" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()} className={PAGER}>
          Next page
        </button>
        <label className="flex items-center gap-2">
          Rows per page
          <select
            value={props.pageSize}
            onChange={(event) => navigate({ pageSize: event.target.value, page: "1" })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            {props.pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </div>
  );
}

const PAGER =
  "rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";

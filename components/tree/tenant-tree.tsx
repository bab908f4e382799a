"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { TreeItem } from "@/lib/tenants/tree";
import { NodeActions, type TreeActions } from "./node-actions";
import { TreeRowView } from "./tree-row";
import { useTreeState, type TreeRow } from "./use-tree-state";

const ROW_HEIGHT = 44;

/**
 * The tenant tree as a WAI-ARIA tree: only the rows in view are in the page (so ten thousand children
 * stay smooth), children load when a node opens and further pages as they scroll into view. Arrow keys
 * move and open, Enter opens the node's page; the selected node's actions sit above the tree.
 */
export function TenantTree(props: { roots: TreeItem[]; currentId: string; includeArchived: boolean; actions: TreeActions }) {
  const tree = useTreeState(props.roots, props.includeArchived);
  const { rows, loadMore } = tree;
  const router = useRouter();
  const scroller = useRef<HTMLDivElement>(null);
  const [activeKey, setActiveKey] = useState(() => (rows.some((row) => row.key === props.currentId) ? props.currentId : rows[0]!.key));
  const [selectedId, setSelectedId] = useState(() => (rows.some((row) => row.key === props.currentId) ? props.currentId : props.roots[0]!.id));
  const focusPending = useRef(false);

  // The virtualiser hands out fresh functions on every render by design; nothing here memoizes them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const visible = virtualizer.getVirtualItems();

  // Scrolling a "more" row into view fetches the next page of that branch.
  const lastVisible = visible.length > 0 ? rows[visible[visible.length - 1]!.index] : undefined;
  useEffect(() => {
    if (lastVisible?.kind === "more") loadMore(lastVisible.parent);
  }, [lastVisible, loadMore]);

  const activeIndex = Math.max(0, rows.findIndex((row) => row.key === activeKey));
  const tabbableKey = visible.some((item) => rows[item.index]?.key === activeKey) ? activeKey : rows[visible[0]?.index ?? 0]?.key;

  // After a key press the new active row may not be rendered yet: focus it once it is.
  useEffect(() => {
    if (!focusPending.current) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(activeKey)}"]`);
    if (element) {
      focusPending.current = false;
      element.focus();
    }
  });

  const activate = useCallback(
    (index: number) => {
      const row = rows[Math.min(Math.max(index, 0), rows.length - 1)];
      if (!row) return;
      focusPending.current = true;
      setActiveKey(row.key);
      if (row.kind === "node") setSelectedId(row.item.id);
      virtualizer.scrollToIndex(rows.indexOf(row), { align: "auto" });
    },
    [rows, virtualizer],
  );

  const runRow = (row: TreeRow) => {
    if (row.kind === "node") router.push(`/t/${row.item.slug}`);
    else if (row.kind === "more" || row.kind === "error") loadMore(row.parent);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const row = rows[activeIndex];
    if (!row) return;
    const open = row.kind === "node" && tree.expanded.has(row.item.id);
    const expandable = row.kind === "node" && row.item.subNodes > 0;
    const parentIndex = () => rows.findLastIndex((candidate, index) => index < activeIndex && candidate.kind === "node" && candidate.level === row.level - 1);
    const handlers: Record<string, () => void> = {
      ArrowDown: () => activate(activeIndex + 1),
      ArrowUp: () => activate(activeIndex - 1),
      Home: () => activate(0),
      End: () => activate(rows.length - 1),
      ArrowRight: () => {
        if (row.kind !== "node" || !expandable) return;
        if (open) activate(activeIndex + 1);
        else tree.setOpen(row.item, true);
      },
      ArrowLeft: () => {
        if (row.kind === "node" && open) tree.setOpen(row.item, false);
        else if (row.level > 1) activate(parentIndex());
      },
      Enter: () => runRow(row),
    };
    const handler = handlers[event.key];
    if (!handler) return;
    event.preventDefault();
    handler();
  };

  const selected = tree.items.get(selectedId);
  return (
    <div className="space-y-3">
      {selected ? (
        <NodeActions
          key={selected.id}
          node={selected}
          actions={props.actions}
          includeArchived={props.includeArchived}
          onChanged={(change) => {
            for (const id of change.reload) {
              const item = tree.items.get(id);
              if (item && tree.branches.has(id)) tree.reload(item);
            }
            if (change.status) {
              const [id, status] = change.status;
              tree.patch(id, (item) => ({ ...item, status }));
            }
            for (const [id, delta] of change.counts ?? []) tree.patch(id, (item) => ({ ...item, subNodes: Math.max(0, item.subNodes + delta) }));
            if (change.open) {
              const item = tree.items.get(change.open);
              if (item && !tree.expanded.has(item.id)) tree.setOpen({ ...item, subNodes: item.subNodes + 1 }, true);
            }
          }}
        />
      ) : null}
      <div
        ref={scroller}
        role="tree"
        aria-label="Tenant tree"
        onKeyDown={onKeyDown}
        style={{ height: Math.min(virtualizer.getTotalSize() + 2, 32 * 16) }}
        className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      >
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {visible.map((virtual) => {
            const row = rows[virtual.index]!;
            return (
              <TreeRowView
                key={row.key}
                row={row}
                top={virtual.start}
                height={ROW_HEIGHT}
                tabbable={row.key === tabbableKey}
                selected={row.kind === "node" && row.item.id === selectedId}
                current={row.kind === "node" && row.item.id === props.currentId}
                expanded={row.kind === "node" && row.item.subNodes > 0 ? tree.expanded.has(row.item.id) : undefined}
                onSelect={() => {
                  setActiveKey(row.key);
                  if (row.kind === "node") setSelectedId(row.item.id);
                  else runRow(row);
                }}
                onToggle={() => row.kind === "node" && tree.setOpen(row.item, !tree.expanded.has(row.item.id))}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

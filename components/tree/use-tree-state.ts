"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TreeItem } from "@/lib/tenants/tree";

/** The loaded children of one node: pages are appended as the user scrolls. */
export interface Branch {
  ids: string[];
  nextCursor: string | null;
  state: "loading" | "ready" | "error";
  error?: string;
}

export type TreeRow =
  | { kind: "node"; key: string; item: TreeItem; level: number; posinset: number; setsize: number }
  | { kind: "more" | "loading" | "error"; key: string; parent: TreeItem; level: number; error?: string };

interface ChildrenPage {
  items: TreeItem[];
  nextCursor: string | null;
}

/**
 * The client's part of the lazy tree: which nodes are open, the children loaded so far for each, and
 * the flat list of visible rows that the virtualiser renders. Children come from the node's
 * `/tree/children` route, which checks tenant.read on the server.
 */
export function useTreeState(roots: TreeItem[], includeArchived: boolean) {
  const [items, setItems] = useState(() => new Map(roots.map((root) => [root.id, root])));
  const [branches, setBranches] = useState(() => new Map<string, Branch>(initiallyOpen(roots).map((id) => [id, { ids: [], nextCursor: null, state: "loading" }])));
  const [expanded, setExpanded] = useState(() => new Set(initiallyOpen(roots)));
  const [seenRoots, setSeenRoots] = useState(roots);
  const requests = useRef(new Map<string, number>());

  // A server action re-renders the page with fresh roots: take their new names and counts.
  if (roots !== seenRoots) {
    setSeenRoots(roots);
    setItems((current) => new Map([...current, ...roots.map((root) => [root.id, root] as const)]));
  }

  const setBranch = useCallback((id: string, change: (branch: Branch | undefined) => Branch) => {
    setBranches((current) => new Map(current).set(id, change(current.get(id))));
  }, []);

  /** Fetches a page of `parent`'s children and stores it; `append` keeps the pages already loaded. */
  const fetchPage = useCallback(
    async (parent: TreeItem, cursor: string | null, append: boolean) => {
      const request = (requests.current.get(parent.id) ?? 0) + 1;
      requests.current.set(parent.id, request);
      const query = new URLSearchParams();
      if (cursor) query.set("cursor", cursor);
      if (includeArchived) query.set("archived", "1");
      let page: ChildrenPage;
      try {
        const response = await fetch(`/t/${encodeURIComponent(parent.slug)}/tree/children?${query}`, { cache: "no-store" });
        const body = (await response.json()) as ChildrenPage & { error?: string };
        if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`);
        page = body;
      } catch (error) {
        if (requests.current.get(parent.id) !== request) return;
        const message = error instanceof Error && !(error instanceof SyntaxError) ? error.message : "The server could not be reached.";
        setBranch(parent.id, (branch) => ({ ids: branch?.ids ?? [], nextCursor: branch?.nextCursor ?? null, state: "error", error: message }));
        return;
      }
      if (requests.current.get(parent.id) !== request) return;
      setItems((current) => {
        const next = new Map(current);
        for (const item of page.items) next.set(item.id, item);
        return next;
      });
      setBranch(parent.id, (branch) => ({
        ids: append && branch ? [...branch.ids, ...page.items.map((item) => item.id)] : page.items.map((item) => item.id),
        nextCursor: page.nextCursor,
        state: "ready",
      }));
    },
    [includeArchived, setBranch],
  );

  /** Loads the first page again, e.g. after a change below `parent`. */
  const reload = useCallback(
    (parent: TreeItem) => {
      setBranch(parent.id, (branch) => ({ ids: branch?.ids ?? [], nextCursor: null, state: "loading" }));
      void fetchPage(parent, null, false);
    },
    [fetchPage, setBranch],
  );

  const loadMore = useCallback(
    (parent: TreeItem) => {
      const branch = branches.get(parent.id);
      if (!branch || branch.state === "loading") return;
      if (branch.state === "error" && branch.ids.length === 0) return reload(parent);
      if (!branch.nextCursor) return;
      setBranch(parent.id, (current) => ({ ...current!, state: "loading" }));
      void fetchPage(parent, branch.nextCursor, true);
    },
    [branches, fetchPage, reload, setBranch],
  );

  const setOpen = useCallback(
    (item: TreeItem, open: boolean) => {
      setExpanded((current) => {
        const next = new Set(current);
        if (open) next.add(item.id);
        else next.delete(item.id);
        return next;
      });
      if (open && !branches.has(item.id)) reload(item);
    },
    [branches, reload],
  );

  /** Changes a loaded node in place (a count after a create or a move). */
  const patch = useCallback((id: string, change: (item: TreeItem) => TreeItem) => {
    setItems((current) => {
      const item = current.get(id);
      return item ? new Map(current).set(id, change(item)) : current;
    });
  }, []);

  // The branch opened from the start is fetched once, after the first render.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    for (const root of roots) if (branches.get(root.id)?.state === "loading") void fetchPage(root, null, false);
  }, [roots, branches, fetchPage]);

  const rows = useMemo(() => flatten(roots, items, branches, expanded), [roots, items, branches, expanded]);
  return { rows, items, branches, expanded, setOpen, loadMore, reload, patch };
}

/** A single root opens at once: there is nothing else to choose. */
function initiallyOpen(roots: TreeItem[]): string[] {
  return roots.length === 1 && roots[0]!.subNodes > 0 ? [roots[0]!.id] : [];
}

/** The visible rows, depth first: open nodes are followed by their loaded children and a row for the rest. */
function flatten(roots: TreeItem[], items: Map<string, TreeItem>, branches: Map<string, Branch>, expanded: Set<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (item: TreeItem, level: number, posinset: number, setsize: number) => {
    rows.push({ kind: "node", key: item.id, item, level, posinset, setsize });
    if (!expanded.has(item.id)) return;
    const branch = branches.get(item.id);
    if (!branch) return;
    const size = Math.max(item.subNodes, branch.ids.length);
    branch.ids.forEach((id, index) => {
      const child = items.get(id);
      if (child) visit(child, level + 1, index + 1, size);
    });
    const status = branch.state === "ready" ? (branch.nextCursor ? "more" : null) : branch.state;
    if (status) rows.push({ kind: status, key: `${status}:${item.id}`, parent: item, level: level + 1, error: branch.error });
  };
  roots.forEach((root, index) => visit(items.get(root.id) ?? root, 1, index + 1, roots.length));
  return rows;
}

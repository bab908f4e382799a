"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import type { NodeMatch } from "@/lib/tenants/node-search";

type Search = { query: string; items: NodeMatch[]; state: "idle" | "loading" | "done" | "failed" };

const KIND_LABEL = { account: "Account", group: "Group", organization: "Organization" } as const;

/**
 * Jump to any node the user may read: a combobox in a modal dialog (type, arrows, Enter), opened by its
 * button or Ctrl/Cmd+K. The server answers with readable nodes only; the page checks again.
 */
export function NodeSwitcher({ currentName }: { currentName?: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState<Search>({ query: "", items: [], state: "idle" });
  const [active, setActive] = useState(0);
  const listId = useId();
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        if (!dialog.current?.open) dialog.current?.showModal();
        setOpen(true);
        input.current?.select();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setSearch((previous) => ({ ...previous, state: "loading" }));
      try {
        const response = await fetch(`/node-search?q=${encodeURIComponent(query)}`, { signal: controller.signal });
        if (!response.ok) throw new Error(String(response.status));
        const { items } = (await response.json()) as { items: NodeMatch[] };
        setSearch({ query, items, state: "done" });
        setActive(0);
      } catch {
        if (!controller.signal.aborted) setSearch({ query, items: [], state: "failed" });
      }
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, query]);

  function show() {
    dialog.current?.showModal();
    setOpen(true);
    input.current?.select();
  }

  function close() {
    dialog.current?.close();
  }

  function go(match: NodeMatch | undefined) {
    if (!match) return;
    close();
    router.push(`/t/${match.slug}`);
  }

  function onInputKey(event: React.KeyboardEvent<HTMLInputElement>) {
    const count = search.items.length;
    if (event.key === "ArrowDown" && count > 0) {
      event.preventDefault();
      setActive((index) => (index + 1) % count);
    } else if (event.key === "ArrowUp" && count > 0) {
      event.preventDefault();
      setActive((index) => (index - 1 + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault();
      go(search.items[active]);
    }
  }

  const status =
    search.state === "failed"
      ? "The search failed; try again."
      : search.state === "loading" && search.items.length === 0
        ? "Searching…"
        : search.state === "done" && search.items.length === 0
          ? `No node you may see matches “${search.query}”.`
          : search.state === "done"
            ? `${search.items.length} node${search.items.length === 1 ? "" : "s"}`
            : "";

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-keyshortcuts="Control+K Meta+K"
        className="flex min-w-0 items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        <span className="truncate">Switch node</span>
        {currentName ? <span className="sr-only">, now on {currentName}</span> : null}
        <kbd aria-hidden="true" className="hidden rounded border border-slate-300 px-1 text-xs text-slate-500 sm:inline dark:border-slate-600 dark:text-slate-400">
          Ctrl K
        </kbd>
      </button>
      <dialog
        ref={dialog}
        aria-label="Switch node"
        onClose={() => setOpen(false)}
        onClick={(event) => event.target === dialog.current && close()}
        className="m-auto mt-24 w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="border-b border-slate-200 p-3 dark:border-slate-700">
          <label htmlFor={`${listId}-input`} className="block text-sm font-medium">
            Find a node
          </label>
          <input
            ref={input}
            id={`${listId}-input`}
            role="combobox"
            aria-expanded={open && search.items.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={search.items.length > 0 ? optionId(active) : undefined}
            autoComplete="off"
            placeholder="Name, or a tag such as region:emea"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={onInputKey}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950"
          />
        </div>
        <ul id={listId} role="listbox" aria-label="Nodes" className="max-h-80 overflow-y-auto p-1">
          {search.items.map((match, index) => (
            <li
              key={match.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              onClick={() => go(match)}
              onMouseMove={() => setActive(index)}
              className={`cursor-pointer rounded-md px-3 py-2 ${index === active ? "bg-brand-50 dark:bg-brand-900" : ""}`}
            >
              <span className="block font-medium">{match.name}</span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {KIND_LABEL[match.kind]}
                {match.trail.length > 0 ? ` · ${match.trail.join(" › ")}` : ""}
              </span>
            </li>
          ))}
        </ul>
        <p role="status" className="border-t border-slate-200 px-3 py-2 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400">
          {status}
        </p>
      </dialog>
    </>
  );
}

import Link from "next/link";
import { KindBadge, StatusBadge } from "@/components/node-badges";
import type { TreeRow } from "./use-tree-state";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** One row of the virtualised tree: a node, or the loading / load-more / error row of a branch. */
export function TreeRowView(props: {
  row: TreeRow;
  top: number;
  height: number;
  tabbable: boolean;
  selected: boolean;
  current: boolean;
  expanded: boolean | undefined;
  onSelect: () => void;
  onToggle: () => void;
}) {
  const { row } = props;
  const indent = { paddingLeft: `${0.75 + (row.level - 1) * 1.25}rem` };
  const base = `absolute left-0 flex w-full items-center gap-2 pr-3 text-sm outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-600`;
  const position = { top: props.top, height: props.height, ...indent };

  if (row.kind !== "node") {
    const label =
      row.kind === "loading"
        ? `Loading the contents of ${row.parent.name}…`
        : row.kind === "more"
          ? `Load more of ${row.parent.name}`
          : `Could not load the contents of ${row.parent.name}: ${row.error ?? "the server did not answer."} Select to try again.`;
    return (
      <div
        role="treeitem"
        aria-level={row.level}
        aria-selected={false}
        aria-busy={row.kind === "loading" || undefined}
        data-key={row.key}
        tabIndex={props.tabbable ? 0 : -1}
        onClick={props.onSelect}
        style={position}
        className={`${base} cursor-pointer italic ${row.kind === "error" ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`}
      >
        <span className="pl-6">{label}</span>
      </div>
    );
  }

  const { item } = row;
  const detailsId = `tree-details-${item.id}`;
  // The row's name is the node's name alone, as shown; the badges, tags and counts are hidden from
  // the name and read as its description instead.
  return (
    <div
      role="treeitem"
      aria-describedby={detailsId}
      aria-level={row.level}
      aria-posinset={row.posinset}
      aria-setsize={row.setsize}
      aria-expanded={props.expanded}
      aria-selected={props.selected}
      aria-current={props.current ? "page" : undefined}
      data-key={row.key}
      tabIndex={props.tabbable ? 0 : -1}
      onClick={props.onSelect}
      style={position}
      className={`${base} cursor-default border-b border-slate-100 dark:border-slate-800 ${
        props.selected ? "bg-brand-50 dark:bg-slate-800" : "hover:bg-slate-50 dark:hover:bg-slate-800/60"
      } ${item.status === "archived" ? "text-slate-500 dark:text-slate-400" : ""}`}
    >
      <span
        aria-hidden="true"
        onClick={(event) => {
          event.stopPropagation();
          props.onToggle();
        }}
        className={`flex h-6 w-6 shrink-0 items-center justify-center rounded ${props.expanded === undefined ? "invisible" : "cursor-pointer hover:bg-slate-200 dark:hover:bg-slate-700"}`}
      >
        <svg viewBox="0 0 20 20" className={`h-4 w-4 transition-transform ${props.expanded ? "rotate-90" : ""}`} fill="currentColor">
          <path d="M7 5l6 5-6 5V5z" />
        </svg>
      </span>
      <Link
        href={`/t/${item.slug}`}
        tabIndex={-1}
        className={`truncate hover:underline ${props.current ? "font-semibold text-brand-700 dark:text-brand-500" : ""} ${item.status === "archived" ? "line-through" : ""}`}
      >
        {item.name}
      </Link>
      <span id={detailsId} aria-hidden="true" className="flex min-w-0 flex-1 items-center gap-2">
        <KindBadge kind={item.kind} />
        <StatusBadge status={item.status} />
        <span className="hidden min-w-0 truncate text-xs text-slate-600 lg:inline dark:text-slate-400">{item.tags.join(" · ")}</span>
        <span className="ml-auto shrink-0 text-xs text-slate-600 tabular-nums dark:text-slate-400">
          {plural(item.subNodes, "sub-node", "sub-nodes")} · {plural(item.members, "member", "members")}
        </span>
      </span>
    </div>
  );
}

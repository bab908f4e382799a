import type { NodeKind, NodeStatus } from "@/db/schema";

const KIND_LABEL: Record<NodeKind, string> = { account: "Account", group: "Group", organization: "Organization" };
const KIND_STYLE: Record<NodeKind, string> = {
  account: "bg-brand-100 text-brand-900 dark:bg-brand-900 dark:text-brand-100",
  group: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  organization: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
};

export function KindBadge({ kind }: { kind: NodeKind }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${KIND_STYLE[kind]}`}>{KIND_LABEL[kind]}</span>;
}

export function StatusBadge({ status }: { status: NodeStatus }) {
  if (status === "active") return null;
  const style = status === "archived" ? "bg-slate-300 text-slate-800" : "bg-amber-100 text-amber-900";
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${style}`}>{status === "archived" ? "Archived" : "Suspended"}</span>;
}

export function TagList({ tags }: { tags: readonly string[] }) {
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag} className="rounded-full border border-slate-300 px-2 py-0.5 text-xs text-slate-700 dark:border-slate-600 dark:text-slate-300">
          {tag}
        </li>
      ))}
    </ul>
  );
}

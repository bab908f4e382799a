import Link from "next/link";
import type { TreeBranch } from "@/lib/tenants/read";
import { KindBadge, StatusBadge, TagList } from "./node-badges";

/** The readable tree as nested, collapsible lists; groups start open so the whole tree shows at once. */
export function TenantTree({ branches, currentId }: { branches: TreeBranch[]; currentId: string }) {
  return (
    <nav aria-label="Tenant tree" className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <ul className="space-y-1">
        {branches.map((branch) => (
          <TreeItem key={branch.node.id} branch={branch} currentId={currentId} />
        ))}
      </ul>
    </nav>
  );
}

function TreeItem({ branch, currentId }: { branch: TreeBranch; currentId: string }) {
  const label = <NodeLabel branch={branch} current={branch.node.id === currentId} />;
  if (branch.children.length === 0) return <li className="py-0.5 pl-5">{label}</li>;
  return (
    <li>
      <details open className="group">
        <summary className="flex cursor-pointer list-none items-center gap-1 rounded py-0.5 hover:bg-slate-50 dark:hover:bg-slate-800">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 shrink-0 text-slate-500 transition-transform group-open:rotate-90" fill="currentColor">
            <path d="M7 5l6 5-6 5V5z" />
          </svg>
          {label}
        </summary>
        <ul className="ml-2 space-y-1 border-l border-slate-200 pl-3 dark:border-slate-700">
          {branch.children.map((child) => (
            <TreeItem key={child.node.id} branch={child} currentId={currentId} />
          ))}
        </ul>
      </details>
    </li>
  );
}

function NodeLabel({ branch, current }: { branch: TreeBranch; current: boolean }) {
  const { node } = branch;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Link
        href={`/t/${node.slug}`}
        aria-current={current ? "page" : undefined}
        className={`hover:underline ${current ? "font-semibold text-brand-700 dark:text-brand-500" : ""}`}
      >
        {node.name}
      </Link>
      <KindBadge kind={node.kind} />
      <StatusBadge status={node.status} />
      {node.tags.length > 0 ? <TagList tags={node.tags} /> : null}
    </span>
  );
}

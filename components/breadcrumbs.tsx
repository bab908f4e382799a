import Link from "next/link";
import type { TenantNode } from "@/lib/tenants/read";

/** The path from the highest node the principal may read down to the current node. */
export function Breadcrumbs({ ancestors, node }: { ancestors: TenantNode[]; node: TenantNode }) {
  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex flex-wrap items-center gap-1 text-sm">
        {ancestors.map((ancestor) => (
          <li key={ancestor.id} className="flex items-center gap-1">
            <Link href={`/t/${ancestor.slug}`} className="text-slate-600 hover:underline dark:text-slate-400">
              {ancestor.name}
            </Link>
            <span aria-hidden="true" className="text-slate-400">
              /
            </span>
          </li>
        ))}
        <li aria-current="page" className="font-medium">
          {node.name}
        </li>
      </ol>
    </nav>
  );
}

import Link from "next/link";
import { KindBadge, StatusBadge, TagList } from "@/components/node-badges";
import type { SearchHit } from "@/lib/tenants/tree-search";

/** Search hits as a flat list, each with the path that leads to it and a link to the node. */
export function SearchResults(props: { query: string; hits: SearchHit[]; nextHref: string | null }) {
  if (props.hits.length === 0) {
    return <p className="text-slate-600 dark:text-slate-400">Nothing you may see matches “{props.query}”.</p>;
  }
  return (
    <div className="space-y-3">
      <ul aria-label="Search results" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {props.hits.map((hit) => (
          <li key={hit.id} className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm">
            <Link href={`/t/${hit.slug}`} className="font-medium text-brand-700 hover:underline dark:text-brand-500">
              {hit.name}
            </Link>
            <KindBadge kind={hit.kind} />
            <StatusBadge status={hit.status} />
            {hit.trail.length > 0 ? <span className="text-xs text-slate-600 dark:text-slate-400">in {hit.trail.join(" › ")}</span> : null}
            {hit.tags.length > 0 ? (
              <span className="ml-auto">
                <TagList tags={hit.tags} />
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {props.nextHref ? (
        <Link href={props.nextHref} className="inline-block text-sm text-brand-700 underline dark:text-brand-500">
          More results
        </Link>
      ) : null}
    </div>
  );
}

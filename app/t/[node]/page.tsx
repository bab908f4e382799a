import type { Metadata } from "next";
import Link from "next/link";
import { KindBadge, StatusBadge, TagList } from "@/components/node-badges";
import { countChildren, countOrganizationsBelow } from "@/lib/tenants/read";
import { loadNode } from "./load-node";

type Props = { params: Promise<{ node: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { node } = await loadNode((await params).node);
  return { title: node.name };
}

export default async function NodeOverviewPage({ params }: Props) {
  const { db, node } = await loadNode((await params).node);
  const [children, organizationsBelow] = await Promise.all([countChildren(db, node), countOrganizationsBelow(db, node)]);
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{node.name}</h1>
        <KindBadge kind={node.kind} />
        <StatusBadge status={node.status} />
      </header>
      <dl className="grid max-w-2xl grid-cols-1 gap-4 sm:grid-cols-3">
        <Stat label="Groups directly below" value={children.groups} />
        <Stat label="Organizations directly below" value={children.organizations} />
        <Stat label="Organizations in this subtree" value={organizationsBelow} />
      </dl>
      <section aria-labelledby="tags-heading" className="space-y-2">
        <h2 id="tags-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
          Tags
        </h2>
        {node.tags.length > 0 ? <TagList tags={node.tags} /> : <p className="text-sm text-slate-600 dark:text-slate-400">No tags.</p>}
      </section>
      <Link href={`/t/${node.slug}/tree`} className="inline-block text-brand-700 underline dark:text-brand-500">
        Browse the tenant tree
      </Link>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold">{value}</dd>
    </div>
  );
}

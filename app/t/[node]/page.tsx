import type { Metadata } from "next";
import Link from "next/link";
import { NodeBudgetAlert } from "@/components/consumption/node-budget-alert";
import { KindBadge, StatusBadge, TagList } from "@/components/node-badges";
import { formatDay, formatMoment } from "@/components/shell/format";
import { listReadableAncestors } from "@/lib/tenants/read";
import { loadNodeOverview } from "@/lib/tenants/overview";
import { loadNode } from "./load-node";
import { Section, Stat } from "./overview-parts";

type Props = { params: Promise<{ node: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { node } = await loadNode((await params).node);
  return { title: node.name };
}

export default async function NodeOverviewPage({ params }: Props) {
  const { db, authz, request, node } = await loadNode((await params).node);
  const [overview, ancestors] = await Promise.all([loadNodeOverview({ db, authz, request }, node.id), listReadableAncestors(db, authz, node)]);
  const base = `/t/${node.slug}`;
  return (
    <div className="max-w-5xl space-y-8">
      <header className="space-y-2">
        {ancestors.length > 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            <span className="sr-only">Path: </span>
            {[...ancestors.map((ancestor) => ancestor.name), node.name].join(" › ")}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{node.name}</h1>
          <KindBadge kind={node.kind} />
          <StatusBadge status={node.status} />
          {node.status === "active" ? <span className="text-xs text-slate-600 dark:text-slate-400">Active</span> : null}
        </div>
        {node.tags.length > 0 ? <TagList tags={node.tags} /> : <p className="text-sm text-slate-600 dark:text-slate-400">No tags.</p>}
      </header>

      <NodeBudgetAlert ctx={{ db, authz, request }} node={node} />

      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Directly below" value={`${overview.counts.childGroups + overview.counts.childOrganizations}`} />
        <Stat label="Groups in this subtree" value={`${overview.counts.groupsBelow}`} />
        <Stat label="Organizations in this subtree" value={`${overview.counts.organizationsBelow}`} />
        <Stat label="Members with access" value={overview.memberCount === null ? "—" : `${overview.memberCount}`} />
      </dl>

      <div className="grid gap-8 lg:grid-cols-2">
        <Section id="capabilities-heading" title="Capabilities" link={{ href: `${base}/capabilities`, label: "Capabilities in detail" }}>
          {overview.capabilities.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No capability is in force here.</p>
          ) : (
            <ul aria-labelledby="capabilities-heading" className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {overview.capabilities.map((entry) => (
                <li key={entry.capability} className="flex justify-between py-1.5">
                  <span className="font-medium">{entry.capability}</span>
                  <span className="text-slate-600 dark:text-slate-400">{entry.expiresAt ? `until ${formatDay(entry.expiresAt)}` : "no expiry"}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section id="owners-heading" title="Owners" link={overview.owners ? { href: `${base}/members`, label: "All members" } : undefined}>
          {overview.owners === null ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">You may not see who has access here.</p>
          ) : overview.owners.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Nobody is an Owner here.</p>
          ) : (
            <ul aria-labelledby="owners-heading" className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {overview.owners.map((owner) => (
                <li key={`${owner.principalId}-${owner.fromNodeName}`} className="flex flex-wrap justify-between gap-2 py-1.5">
                  <span>
                    <span className="font-medium">{owner.name}</span>{" "}
                    <span className="text-slate-600 dark:text-slate-400">{owner.email ?? "API client"}</span>
                  </span>
                  <span className="text-slate-600 dark:text-slate-400">{owner.inherited ? `inherited from ${owner.fromNodeName}` : "directly here"}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      {overview.recentEvents ? (
        <Section id="events-heading" title="Recent activity" link={{ href: `${base}/audit`, label: "Open the audit log" }}>
          {overview.recentEvents.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Nothing has happened here yet.</p>
          ) : (
            <table aria-labelledby="events-heading" className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
                <tr>
                  <th className="py-2 pr-4 font-medium">Time</th>
                  <th className="py-2 pr-4 font-medium">Actor</th>
                  <th className="py-2 pr-4 font-medium">Action</th>
                  <th className="py-2 font-medium">Node</th>
                </tr>
              </thead>
              <tbody>
                {overview.recentEvents.map((event) => (
                  <tr key={event.id} className="border-b border-slate-100 dark:border-slate-800">
                    <td className="whitespace-nowrap py-1.5 pr-4">{formatMoment(event.createdAt)}</td>
                    <td className="py-1.5 pr-4">{event.actorName ?? "—"}</td>
                    <td className="py-1.5 pr-4 font-mono text-xs">{event.action}</td>
                    <td className="py-1.5">{event.nodeName ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      ) : null}

      <Link href={`${base}/tree`} className="inline-block text-brand-700 underline dark:text-brand-500">
        Browse the tenant tree
      </Link>
    </div>
  );
}

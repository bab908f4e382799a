import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/authz";
import { listAuditEvents, type AuditRow } from "@/lib/audit/read";
import { DomainError } from "@/lib/errors";
import { loadNode } from "../load-node";

export const metadata: Metadata = { title: "Audit log" };

type Search = { actor?: string; action?: string; from?: string; to?: string; before?: string };

export default async function AuditPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<Search> }) {
  const { db, authz, request, node } = await loadNode((await params).node);
  const search = await searchParams;
  if (!can(authz, "audit.read", node)) {
    return <p className="text-slate-700 dark:text-slate-300">You may not read the audit log of {node.name}.</p>;
  }
  const filters = { actor: search.actor || undefined, action: search.action || undefined, from: search.from || undefined, to: search.to || undefined };
  let result: { rows: AuditRow[]; nextBefore: number | null };
  let error: string | null = null;
  try {
    result = await listAuditEvents({ db, authz, request }, { nodeId: node.id, ...filters, before: search.before || undefined });
  } catch (caught) {
    if (!(caught instanceof DomainError)) throw caught;
    error = caught.message;
    result = { rows: [], nextBefore: null };
  }
  const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const base = `/t/${node.slug}/audit`;
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Everything done in {node.name} and below it, newest first.</p>
        </div>
        <a href={`${base}/export?${query}`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Download CSV
        </a>
      </header>
      <form className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the audit log">
        <Filter label="Actor" name="actor" placeholder="name or email" defaultValue={filters.actor} />
        <Filter label="Action" name="action" placeholder="e.g. role." defaultValue={filters.action} />
        <Filter label="From" name="from" type="date" defaultValue={filters.from} />
        <Filter label="Before" name="to" type="date" defaultValue={filters.to} />
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          Filter
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      {result.rows.length === 0 && !error ? <p className="text-slate-600 dark:text-slate-400">No events match.</p> : null}
      {result.rows.length > 0 ? (
        <table aria-label="Audit events" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="py-2 pr-4 font-medium">Time (UTC)</th>
              <th className="py-2 pr-4 font-medium">Actor</th>
              <th className="py-2 pr-4 font-medium">Action</th>
              <th className="py-2 pr-4 font-medium">Node</th>
              <th className="py-2 font-medium">Address</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 dark:border-slate-800">
                <td className="whitespace-nowrap py-2 pr-4">{row.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="py-2 pr-4">{row.actorName ?? row.actingAs ?? "System"}</td>
                <td className="py-2 pr-4 font-mono text-xs">{row.action}</td>
                <td className="py-2 pr-4">{row.nodeName ?? "—"}</td>
                <td className="py-2">{row.address ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result.nextBefore ? (
        <Link href={`${base}?${new URLSearchParams({ ...Object.fromEntries(query), before: String(result.nextBefore) })}`} className="text-brand-700 underline dark:text-brand-500">
          Older events
        </Link>
      ) : null}
    </div>
  );
}

function Filter(props: { label: string; name: string; type?: string; placeholder?: string; defaultValue?: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={`filter-${props.name}`} className="block text-sm font-medium">
        {props.label}
      </label>
      <input
        id={`filter-${props.name}`}
        name={props.name}
        type={props.type ?? "text"}
        placeholder={props.placeholder}
        defaultValue={props.defaultValue}
        className="block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
      />
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { SearchResults } from "@/components/tree/search-results";
import { TenantTree } from "@/components/tree/tenant-tree";
import { DomainError } from "@/lib/errors";
import { countReadableOrganizations, listTreeRoots } from "@/lib/tenants/tree";
import { searchTree } from "@/lib/tenants/tree-search";
import { loadNode } from "../load-node";
import { archiveNodeAction, createNodeAction, moveNodeAction, renameNodeAction, restoreNodeAction, tagNodeAction } from "./actions";
import { TreeSearchForm } from "./search-form";

export const metadata: Metadata = { title: "Tenant tree" };

type Props = { params: Promise<{ node: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const ACTIONS = {
  create: createNodeAction,
  rename: renameNodeAction,
  tag: tagNodeAction,
  move: moveNodeAction,
  archive: archiveNodeAction,
  restore: restoreNodeAction,
};

export default async function TenantTreePage({ params, searchParams }: Props) {
  const { db, authz, request, node } = await loadNode((await params).node);
  const query = await searchParams;
  const text = (name: string) => (typeof query[name] === "string" ? (query[name] as string) : "");
  const ctx = { db, authz, request };
  const search = text("q").trim();
  const includeArchived = text("archived") === "1";
  const base = `/t/${node.slug}/tree`;

  const [organizations, roots, found] = await Promise.all([
    countReadableOrganizations(ctx),
    search ? Promise.resolve([]) : listTreeRoots(ctx, { includeArchived }),
    search ? searchTree(ctx, { q: search, cursor: text("cursor") || null }).catch(asFieldError) : Promise.resolve(null),
  ]);

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Tenant tree</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Everything you can see: {organizations.toLocaleString("en")} {organizations === 1 ? "organization" : "organizations"}.
          </p>
        </div>
        <Link
          href={includeArchived ? base : `${base}?archived=1`}
          className="text-sm text-brand-700 underline dark:text-brand-500"
        >
          {includeArchived ? "Hide archived nodes" : "Show archived nodes"}
        </Link>
      </header>
      <TreeSearchForm action={base} defaultValue={search} error={found && "error" in found ? found.error : undefined} includeArchived={includeArchived} />
      {found && "hits" in found ? (
        <SearchResults
          query={search}
          hits={found.hits}
          nextHref={found.nextCursor ? `${base}?${new URLSearchParams({ q: search, cursor: found.nextCursor })}` : null}
        />
      ) : null}
      {!search && roots.length === 0 ? <p className="text-slate-600 dark:text-slate-400">There is nothing in the tree that you may see.</p> : null}
      {!search && roots.length > 0 ? (
        <TenantTree key={String(includeArchived)} roots={roots} currentId={node.id} includeArchived={includeArchived} actions={ACTIONS} />
      ) : null}
    </div>
  );
}

/** A query the service refuses (too long, say) is shown next to the search box. */
function asFieldError(error: unknown): { error: string } {
  if (error instanceof DomainError) return { error: error.details.fieldErrors?.q?.join(" ") ?? error.message };
  throw error;
}

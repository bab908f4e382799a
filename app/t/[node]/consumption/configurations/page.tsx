import type { Metadata } from "next";
import Link from "next/link";
import { ConfigurationForm } from "@/components/consumption/configuration-form";
import { ConfigurationsTable } from "@/components/consumption/configurations-table";
import { PageHeader } from "@/components/consumption/page-header";
import { listProducts } from "@/lib/consumption/catalog";
import { listConfigurations, type ConfigurationPage } from "@/lib/consumption/configurations";
import { DomainError } from "@/lib/errors";
import { consumptionSections, loadConsumptionPage } from "../access";
import { createConfigurationAction, createEntitlementsAction } from "./actions";

export const metadata: Metadata = { title: "Configurations" };

const PAGE_SIZE = 50;

export default async function ConfigurationsPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<{ page?: string }> }) {
  const { ctx, node, may } = await loadConsumptionPage((await params).node);
  const { page } = await searchParams;
  const base = `/t/${node.slug}/consumption/configurations`;
  const mayCreate = node.kind === "organization" && may.manageEntitlements;
  let result: ConfigurationPage;
  let error: string | null = null;
  try {
    result = await listConfigurations(ctx, { nodeId: node.id, page: page ?? "1", pageSize: String(PAGE_SIZE) });
  } catch (caught) {
    if (!(caught instanceof DomainError)) throw caught;
    error = caught.message;
    result = { rows: [], total: 0, page: 1, pageSize: PAGE_SIZE };
  }
  const products = await listProducts(ctx, { nodeId: node.id });
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  return (
    <div className="max-w-6xl space-y-8">
      <PageHeader
        title="Configurations"
        description={
          node.kind === "organization"
            ? `Product types with their parameters for ${node.name}: each sets the points a day of the entitlements created from it.`
            : `The configurations of the organizations in ${node.name}. Configurations are created on an organization.`
        }
        sections={consumptionSections(node, may)}
        navLabel="Consumption sections"
      />
      {mayCreate ? (
        <section aria-labelledby="new-configuration" className="space-y-3">
          <h2 id="new-configuration" className="text-lg font-semibold">
            New configuration
          </h2>
          <ConfigurationForm nodeId={node.id} products={products} action={createConfigurationAction} />
        </section>
      ) : null}
      <section aria-labelledby="configurations-heading" className="space-y-3">
        <h2 id="configurations-heading" className="text-lg font-semibold">
          {node.kind === "organization" ? `Configurations of ${node.name}` : "Configurations below"}
        </h2>
        {error ? (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {error}{" "}
            <a href={base} className="underline">
              Show the first page
            </a>
          </p>
        ) : null}
        {error ? null : result.rows.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">{mayCreate ? "None yet: create the first one above." : "No configurations yet."}</p>
        ) : (
          <ConfigurationsTable rows={result.rows} products={products} showOrganization={node.kind !== "organization"} createAction={may.manageEntitlements ? createEntitlementsAction : null} />
        )}
        {pages > 1 ? (
          <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
            <p>
              Page {result.page} of {pages} · {result.total} configurations
            </p>
            {result.page > 1 ? <Link href={`${base}?page=${result.page - 1}`} className="text-brand-700 underline dark:text-brand-500">Previous page</Link> : null}
            {result.page < pages ? <Link href={`${base}?page=${result.page + 1}`} className="text-brand-700 underline dark:text-brand-500">Next page</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CatalogList } from "@/components/consumption/catalog-list";
import { PageHeader } from "@/components/consumption/page-header";
import { ProductForm } from "@/components/consumption/product-form";
import { listProducts } from "@/lib/consumption/catalog";
import { billingSections, loadBillingPage } from "../access";
import { saveProductAction } from "./actions";

export const metadata: Metadata = { title: "Catalog" };

/**
 * The account's product catalog with each price table; who manages billing adds products and changes
 * price tables (`?edit=<key>`, or `?edit=new`). A price change applies to configurations created or
 * changed afterwards: existing ones keep the points per day they were priced at, so that a running
 * entitlement's cost never moves under its owner without a change of theirs.
 */
export default async function CatalogPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<{ edit?: string }> }) {
  const { ctx, node, may } = await loadBillingPage((await params).node, "consumption.read");
  const products = await listProducts(ctx, { nodeId: node.id });
  const { edit } = await searchParams;
  const editing = may.manage && edit ? (edit === "new" ? null : (products.find((product) => product.key === edit) ?? notFound())) : undefined;
  const base = `/t/${node.slug}/billing/catalog`;
  return (
    <div className="max-w-5xl space-y-8">
      <PageHeader
        title="Catalog"
        description={`The product types ${node.name}'s configurations are made of, and the points a day each choice costs.`}
        sections={billingSections(node, may)}
        navLabel="Billing sections"
      />
      <p className="max-w-3xl rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900">
        A price change applies to configurations created or changed from then on. Existing configurations keep the points per day they were priced at until
        someone changes them, so running entitlements never change cost unannounced.
      </p>
      {editing !== undefined ? (
        <section aria-labelledby="edit-heading" className="space-y-3">
          <h2 id="edit-heading" className="text-lg font-semibold">
            {editing ? `Edit ${editing.name}` : "Add a product"}
          </h2>
          <ProductForm key={editing?.key ?? "new"} nodeId={node.id} product={editing} action={saveProductAction} />
          <a href={base} className="inline-block text-sm text-brand-700 underline dark:text-brand-500">
            Back to the catalog
          </a>
        </section>
      ) : null}
      <section aria-labelledby="products-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="products-heading" className="text-lg font-semibold">
            Products
          </h2>
          {may.manage ? (
            <a href={`${base}?edit=new`} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800">
              Add a product
            </a>
          ) : null}
        </div>
        <CatalogList products={products} editHref={may.manage ? (product) => `${base}?edit=${product.key}` : undefined} />
      </section>
    </div>
  );
}

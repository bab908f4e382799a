import type { Metadata } from "next";
import { EntitlementFilters } from "@/components/consumption/entitlement-filters";
import { EntitlementsTable } from "@/components/consumption/entitlements-table";
import { ExportLink, PageHeader } from "@/components/consumption/page-header";
import { listProducts } from "@/lib/consumption/catalog";
import { listEntitlements, type EntitlementPage } from "@/lib/consumption/entitlement-list";
import { organizationsWith } from "@/lib/consumption/manageable";
import { ENTITLEMENT_SORTS } from "@/lib/consumption/schemas";
import { DomainError } from "@/lib/errors";
import { consumptionSections, loadConsumptionPage } from "../access";
import { transitionEntitlementAction } from "./actions";

export const metadata: Metadata = { title: "Entitlements" };

type Search = { q?: string; status?: string; productId?: string; sort?: string; dir?: string; page?: string; pageSize?: string };

const PAGE_SIZES = [25, 50, 100] as const;

export default async function EntitlementsPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<Search> }) {
  const { ctx, node, may, today } = await loadConsumptionPage((await params).node);
  const search = await searchParams;
  const base = `/t/${node.slug}/consumption`;
  const filters = { q: search.q, status: search.status, productId: search.productId, sort: search.sort, dir: search.dir };
  const exportQuery = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const header = (
    <PageHeader
      title="Entitlements"
      description={
        node.kind === "organization"
          ? `The serial numbers of ${node.name}, each an instance of one of its configurations.`
          : `The entitlements of every organization in ${node.name} that you may see.`
      }
      sections={consumptionSections(node, may)}
      navLabel="Consumption sections"
      actions={<ExportLink href={`${base}/entitlements/export?${exportQuery}`} label="Download entitlements (CSV)" />}
    />
  );
  let result: EntitlementPage;
  try {
    result = await listEntitlements(ctx, { nodeId: node.id, ...filters, page: search.page, pageSize: search.pageSize ?? "50" });
  } catch (caught) {
    if (!(caught instanceof DomainError)) throw caught;
    return (
      <div className="space-y-6">
        {header}
        <p role="alert" className="text-red-700 dark:text-red-300">
          {caught.message}{" "}
          <a href={`${base}/entitlements`} className="underline">
            Show all entitlements
          </a>
        </p>
      </div>
    );
  }
  const [products, manageable] = await Promise.all([
    listProducts(ctx, { nodeId: node.id }),
    // Each row's buttons follow the permission on its own organization, as the server decides it.
    organizationsWith(ctx, "entitlement.manage", result.rows.map((row) => row.nodeId)),
  ]);
  const sort = (ENTITLEMENT_SORTS as readonly string[]).includes(search.sort ?? "") ? search.sort! : "serialNumber";
  const filtered = Boolean(search.q || search.status || search.productId);
  return (
    <div className="max-w-6xl space-y-6">
      {header}
      <EntitlementFilters values={search} products={products} keep={{ sort: search.sort, dir: search.dir, pageSize: search.pageSize }} />
      <EntitlementsTable
        rows={result.rows}
        total={result.total}
        sorting={{ id: sort, desc: search.dir === "desc" }}
        page={result.page}
        pageSize={result.pageSize}
        pageSizes={PAGE_SIZES}
        showOrganization={node.kind !== "organization"}
        today={today}
        action={manageable.size > 0 ? transitionEntitlementAction : null}
        manageable={[...manageable]}
        empty={
          filtered ? (
            <p>No entitlement matches these filters.</p>
          ) : node.kind === "organization" && may.manageEntitlements ? (
            <p>
              No entitlements yet. Create them from a configuration on the{" "}
              <a href={`${base}/configurations`} className="text-brand-700 underline dark:text-brand-500">
                configurations
              </a>{" "}
              page.
            </p>
          ) : (
            <p>No entitlements yet.</p>
          )
        }
      />
    </div>
  );
}

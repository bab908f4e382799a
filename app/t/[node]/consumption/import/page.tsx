import type { Metadata } from "next";
import { PageHeader } from "@/components/consumption/page-header";
import { UsageImportForm } from "@/components/consumption/usage-import-form";
import { consumptionSections, loadConsumptionPage } from "../access";
import { importUsageAction } from "./actions";

export const metadata: Metadata = { title: "Usage import" };

export default async function UsageImportPage({ params }: { params: Promise<{ node: string }> }) {
  const { node, may } = await loadConsumptionPage((await params).node, "entitlement.manage");
  return (
    <div className="max-w-5xl space-y-6">
      <PageHeader
        title="Usage import"
        description={`Daily points of the entitlements of ${node.name}${node.kind === "organization" ? "" : "’s organizations"}, from a CSV file. Importing the same day again replaces it; the dashboards and budgets follow at once.`}
        sections={consumptionSections(node, may)}
        navLabel="Consumption sections"
      />
      <UsageImportForm nodeId={node.id} action={importUsageAction} />
    </div>
  );
}

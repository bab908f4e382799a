import type { Metadata } from "next";
import { formatPrice } from "@/components/consumption/format";
import { PageHeader } from "@/components/consumption/page-header";
import { ProgramForm } from "@/components/consumption/program-form";
import { readProgram } from "@/lib/consumption/program";
import { billingSections, loadBillingPage } from "../access";
import { setProgramAction } from "./actions";

export const metadata: Metadata = { title: "Consumption program" };

export default async function ProgramPage({ params }: { params: Promise<{ node: string }> }) {
  const { ctx, node, may } = await loadBillingPage((await params).node);
  const program = await readProgram(ctx, { nodeId: node.id });
  return (
    <div className="max-w-5xl space-y-8">
      <PageHeader
        title="Consumption program"
        description={`How ${node.name}'s consumption is billed: the price of a point and the day each billing period starts.`}
        sections={billingSections(node, may)}
        navLabel="Billing sections"
      />
      <section aria-labelledby="program-heading" className="space-y-3">
        <h2 id="program-heading" className="text-lg font-semibold">
          Program
        </h2>
        {may.manage ? (
          <ProgramForm nodeId={node.id} program={program} action={setProgramAction} />
        ) : program ? (
          <dl className="grid max-w-3xl gap-4 sm:grid-cols-3">
            <Item label="Point price" value={formatPrice(program.pointPrice, program.currency)} />
            <Item label="Currency" value={program.currency} />
            <Item label="Billing day" value={`Day ${program.billingDay} of each month`} />
          </dl>
        ) : (
          <p className="text-slate-600 dark:text-slate-400">No program yet: an owner sets the point price and the billing day.</p>
        )}
      </section>
      {may.readConsumption ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          What each product type costs in points a day is in the{" "}
          <a href={`/t/${node.slug}/billing/catalog`} className="text-brand-700 underline dark:text-brand-500">
            catalog
          </a>
          .
        </p>
      ) : null}
    </div>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-lg font-semibold">{value}</dd>
    </div>
  );
}

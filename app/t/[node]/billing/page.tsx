import type { Metadata } from "next";
import Link from "next/link";
import { formatExactPoints, formatLongDay, formatMoney, formatMonth, formatPrice } from "@/components/consumption/format";
import { ExportLink, PageHeader } from "@/components/consumption/page-header";
import { StatementTable } from "@/components/consumption/statement-table";
import { billingPeriodContaining } from "@/lib/consumption/calendar";
import { monthlyStatement, statementPeriods, type Statement } from "@/lib/consumption/statement";
import { DomainError } from "@/lib/errors";
import { billingSections, loadBillingPage } from "./access";

export const metadata: Metadata = { title: "Statement" };

const CONTROL = "block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

export default async function StatementPage({ params, searchParams }: { params: Promise<{ node: string }>; searchParams: Promise<{ period?: string }> }) {
  const { ctx, node, may, today } = await loadBillingPage((await params).node);
  const base = `/t/${node.slug}/billing`;
  const { periods, billingDay } = await statementPeriods(ctx);
  const current = billingPeriodContaining(today, billingDay).slice(0, 7);
  const period = (await searchParams).period?.trim() || current;
  // The current period is offered even before it holds usage; then every period with usage, newest first.
  const choices = periods.some((entry) => entry.month === current) ? periods : [{ month: current, open: true }, ...periods];
  let statement: Statement | null = null;
  let error: string | null = null;
  try {
    statement = await monthlyStatement(ctx, { period });
  } catch (caught) {
    if (!(caught instanceof DomainError)) throw caught;
    error = caught.message;
  }
  return (
    <div className="max-w-5xl space-y-6">
      <PageHeader
        title="Consolidated statement"
        description={`What every organization of ${node.name} consumed in a billing period, priced at the program's point price.`}
        sections={billingSections(node, may)}
        navLabel="Billing sections"
        actions={statement ? <ExportLink href={`${base}/export?period=${statement.period.month}`} label="Download statement (CSV)" /> : null}
      />
      <form role="search" aria-label="Choose the billing period" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="period" className="block text-sm font-medium">
            Billing period starting in
          </label>
          <select id="period" name="period" defaultValue={period.slice(0, 7)} className={CONTROL}>
            {choices.some((entry) => entry.month === period.slice(0, 7)) ? null : <option value={period.slice(0, 7)}>{period.slice(0, 7)}</option>}
            {choices.map((entry) => (
              <option key={entry.month} value={entry.month}>
                {formatMonth(entry.month, true)}
                {entry.open ? " (open)" : ""}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          Show
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {error}{" "}
          {may.manage ? (
            <Link href={`${base}/program`} className="underline">
              Set the program
            </Link>
          ) : null}
        </p>
      ) : null}
      {statement ? (
        <>
          <dl className="grid gap-4 sm:grid-cols-4">
            <Figure label="Period" value={`${formatLongDay(statement.period.start)} – ${formatLongDay(statement.period.end)}`} note={statement.period.open ? "Open: usage may still arrive" : "Closed"} />
            <Figure label="Organizations" value={String(statement.total.organizations)} />
            <Figure label="Points" value={formatExactPoints(statement.total.points)} note={`at ${formatPrice(statement.pointPrice, statement.currency)} a point`} />
            <Figure label="Total" value={formatMoney(statement.total.amount, statement.currency)} />
          </dl>
          {statement.lines.length === 0 ? (
            <p className="text-slate-600 dark:text-slate-400">No organization consumed anything in this period.</p>
          ) : (
            <StatementTable statement={statement} />
          )}
        </>
      ) : null}
    </div>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums">{value}</dd>
      {note ? <dd className="mt-1 text-xs text-slate-600 dark:text-slate-400">{note}</dd> : null}
    </div>
  );
}

import type { Metadata } from "next";
import { BudgetRowActions, SetBudgetForm } from "@/components/consumption/budget-forms";
import { formatMonth, formatPoints } from "@/components/consumption/format";
import { ExportLink, PageHeader } from "@/components/consumption/page-header";
import { SharedActionProvider } from "@/components/consumption/shared-action";
import { listBudgets } from "@/lib/consumption/budgets";
import { consumptionSections, loadConsumptionPage } from "../access";
import { removeBudgetAction, setBudgetAction } from "./actions";

export const metadata: Metadata = { title: "Budgets" };

export default async function BudgetsPage({ params }: { params: Promise<{ node: string }> }) {
  const { ctx, node, may, today } = await loadConsumptionPage((await params).node);
  const budgets = await listBudgets(ctx, { nodeId: node.id });
  const base = `/t/${node.slug}/consumption`;
  const thisMonth = today.slice(0, 7);
  return (
    <div className="max-w-5xl space-y-8">
      <PageHeader
        title="Budgets"
        description={`Monthly budgets in points for ${node.name} and everything below it. At 80% and at 100% of a month’s budget an alert is raised once: a banner here, an email to who manages budgets, and an audit event.`}
        sections={consumptionSections(node, may)}
        navLabel="Consumption sections"
        actions={budgets.length > 0 ? <ExportLink href={`${base}/budgets/export`} label="Download budgets (CSV)" /> : null}
      />
      {may.manageBudgets ? (
        <section aria-labelledby="set-budget" className="space-y-3">
          <h2 id="set-budget" className="text-lg font-semibold">
            Set a budget
          </h2>
          <SetBudgetForm nodeId={node.id} month={thisMonth} action={setBudgetAction} />
        </section>
      ) : null}
      <section aria-labelledby="budgets-heading" className="space-y-3">
        <h2 id="budgets-heading" className="text-lg font-semibold">
          Budgets of {node.name}
        </h2>
        {budgets.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">{may.manageBudgets ? "No budget yet: set one above." : "No budget has been set here."}</p>
        ) : (
          <BudgetTable manage={may.manageBudgets}>
            <div className="relative overflow-x-auto">
              <table aria-labelledby="budgets-heading" className="w-full text-left text-sm">
                <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
                  <tr>
                    <th scope="col" className="py-2 pr-4 font-medium">
                      Month
                    </th>
                    <th scope="col" className="py-2 pr-4 text-right font-medium">
                      Budget
                    </th>
                    <th scope="col" className="py-2 pr-4 text-right font-medium">
                      Used
                    </th>
                    <th scope="col" className="py-2 pr-4 text-right font-medium">
                      Share
                    </th>
                    <th scope="col" className="py-2 pr-4 font-medium">
                      Alerts raised
                    </th>
                    {may.manageBudgets ? (
                      <th scope="col" className="py-2 font-medium">
                        <span className="sr-only">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {[...budgets].reverse().map((budget) => (
                    <tr key={budget.month} className="border-b border-slate-100 align-top dark:border-slate-800">
                      <th scope="row" className="py-2 pr-4 font-medium">
                        {formatMonth(budget.month, true)}
                        {budget.month.slice(0, 7) === thisMonth ? <span className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-400">this month</span> : null}
                      </th>
                      <td className="py-2 pr-4 text-right tabular-nums">{formatPoints(budget.points)}</td>
                      <td className="py-2 pr-4 text-right tabular-nums">{formatPoints(budget.actual)}</td>
                      <td className={`py-2 pr-4 text-right tabular-nums ${budget.percent >= 100 ? "font-semibold text-red-700 dark:text-red-300" : budget.percent >= 80 ? "font-semibold text-amber-800 dark:text-amber-300" : ""}`}>{budget.percent}%</td>
                      <td className="py-2 pr-4">{budget.alerts.length === 0 ? "None" : budget.alerts.map((threshold) => `${threshold}%`).join(", ")}</td>
                      {may.manageBudgets ? (
                        <td className="py-2">
                          <BudgetRowActions
                            nodeId={node.id}
                            budget={{ month: budget.month, label: formatMonth(budget.month, true), points: budget.points, version: budget.version }}
                            setAction={setBudgetAction}
                          />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </BudgetTable>
        )}
      </section>
    </div>
  );
}

/** Where budgets may be managed, their removal is announced above the table (the removed row cannot say it). */
function BudgetTable({ manage, children }: { manage: boolean; children: React.ReactNode }) {
  return manage ? <SharedActionProvider action={removeBudgetAction}>{children}</SharedActionProvider> : <>{children}</>;
}

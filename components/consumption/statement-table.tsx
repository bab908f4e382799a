import { Fragment } from "react";
import type { Statement } from "@/lib/consumption/statement";
import { formatExactPoints, formatMoney } from "./format";

/** The consolidated statement: the organizations under each parent with its subtotal, and the total. */
export function StatementTable({ statement }: { statement: Statement }) {
  const money = (amount: string) => formatMoney(amount, statement.currency);
  const byParent = new Map<string, Statement["lines"]>();
  for (const line of statement.lines) byParent.set(line.parentId, [...(byParent.get(line.parentId) ?? []), line]);
  return (
    <div className="relative overflow-x-auto">
      <table aria-label="Statement lines" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">
              Organization
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              Points
            </th>
            <th scope="col" className="py-2 text-right font-medium">
              Amount ({statement.currency})
            </th>
          </tr>
        </thead>
        {statement.subtotals.map((subtotal) => (
          <Fragment key={subtotal.parentId}>
            <tbody>
              <tr className="bg-slate-100 dark:bg-slate-900">
                <th scope="colgroup" colSpan={3} className="py-1.5 pr-4 pl-2 text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">
                  {subtotal.parent}
                </th>
              </tr>
              {(byParent.get(subtotal.parentId) ?? []).map((line) => (
                <tr key={line.organizationId} className="border-b border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1.5 pr-4 pl-4 font-normal">
                    {line.organization}
                  </th>
                  <td className="py-1.5 pr-4 text-right tabular-nums">{formatExactPoints(line.points)}</td>
                  <td className="py-1.5 text-right tabular-nums">{money(line.amount)}</td>
                </tr>
              ))}
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="row" className="py-1.5 pr-4 pl-4 font-medium">
                  Subtotal {subtotal.parent} ({subtotal.organizations})
                </th>
                <td className="py-1.5 pr-4 text-right font-medium tabular-nums">{formatExactPoints(subtotal.points)}</td>
                <td className="py-1.5 text-right font-medium tabular-nums">{money(subtotal.amount)}</td>
              </tr>
            </tbody>
          </Fragment>
        ))}
        <tfoot>
          <tr className="border-t-2 border-slate-300 dark:border-slate-600">
            <th scope="row" className="py-2 pr-4 font-semibold">
              Total ({statement.total.organizations} organizations)
            </th>
            <td className="py-2 pr-4 text-right font-semibold tabular-nums">{formatExactPoints(statement.total.points)}</td>
            <td className="py-2 text-right font-semibold tabular-nums">{money(statement.total.amount)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

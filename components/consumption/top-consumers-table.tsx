import Link from "next/link";
import type { TopConsumers } from "@/lib/consumption/top-consumers";
import { formatLongDay, formatPoints } from "./format";

/** The organizations below a node that consumed the most over the range, with their share of its points. */
export function TopConsumersTable({ data, children }: { data: TopConsumers; children?: React.ReactNode }) {
  return (
    <section aria-labelledby="top-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="top-heading" className="text-lg font-semibold">
            Top consumers
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Organizations by their own points, {formatLongDay(data.from)} to {formatLongDay(data.to)}; shares are of {formatPoints(data.total)} points at {data.node.name}.
          </p>
        </div>
        {children}
      </div>
      {data.consumers.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No usage in this range.</p>
      ) : (
        <table aria-labelledby="top-heading" className="w-full max-w-3xl text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                #
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Organization
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-medium">
                Points
              </th>
              <th scope="col" className="py-2 font-medium">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {data.consumers.map((consumer, index) => (
              <tr key={consumer.organizationId} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-4 tabular-nums">{index + 1}</td>
                <td className="py-2 pr-4">
                  <Link href={`/t/${consumer.slug}/consumption`} className="font-medium text-brand-700 underline dark:text-brand-500">
                    {consumer.name}
                  </Link>
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatPoints(consumer.points)}</td>
                <td className="py-2">
                  <span className="flex items-center gap-2">
                    <span aria-hidden="true" className="h-2 w-24 rounded-full bg-slate-200 dark:bg-slate-800">
                      <span className="block h-2 rounded-full bg-brand-600" style={{ width: `${Math.min(100, consumer.share)}%` }} />
                    </span>
                    <span className="tabular-nums">{consumer.share}%</span>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

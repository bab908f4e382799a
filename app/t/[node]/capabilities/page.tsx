import type { Metadata } from "next";
import { formatDay } from "@/components/shell/format";
import { loadNodeCapabilities, type CapabilityRow } from "@/lib/tenants/capability-settings";
import { loadNode } from "../load-node";
import { RemoveCapabilityForm, SetCapabilityForm } from "./capability-forms";

export const metadata: Metadata = { title: "Capabilities" };

const DESCRIPTION: Record<CapabilityRow["capability"], string> = {
  flex: "Consumption, entitlements and budgets",
  assets: "Devices, VMs and licences",
  policies: "Tags, tag groups and policies",
  sso: "Sign-in through an external identity provider",
  api: "API clients",
  reseller: "Serves customer organizations of its own",
};

export default async function CapabilitiesPage({ params }: { params: Promise<{ node: string }> }) {
  const { db, authz, request, node } = await loadNode((await params).node);
  const { rows, isAccount } = await loadNodeCapabilities({ db, authz, request }, node.id);
  return (
    <div className="max-w-6xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">Capabilities</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {isAccount
            ? `The services ${node.name} may use. An account's capabilities are set by the platform operator.`
            : `The services ${node.name} may use. A node has a capability only when its parent allows it, until the earliest expiry on the way; removing one removes it below too.`}
        </p>
      </header>
      <div className="overflow-x-auto">
        <table aria-label="Capabilities" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="py-2 pr-4 font-medium">Capability</th>
              <th className="py-2 pr-4 font-medium">{isAccount ? "Given by" : "Parent allows"}</th>
              <th className="py-2 pr-4 font-medium">Set here</th>
              <th className="py-2 pr-4 font-medium">In force here</th>
              <th className="py-2 font-medium">
                <span className="sr-only">Changes</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.capability} className="border-b border-slate-100 align-top dark:border-slate-800">
                <th scope="row" className="py-3 pr-4 text-left font-normal">
                  <span className="block font-medium">{row.capability}</span>
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{DESCRIPTION[row.capability]}</span>
                </th>
                <td className="whitespace-nowrap py-3 pr-4">{giverText(row)}</td>
                <td className="whitespace-nowrap py-3 pr-4">{setHereText(row)}</td>
                <td className="whitespace-nowrap py-3 pr-4">{row.effective ? <Yes>{untilText(row.effective.expiresAt)}</Yes> : <No>No</No>}</td>
                <td className="py-3">
                  <Changes row={row} nodeId={node.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Only what the giver has can be given; only where the principal holds capability.assign. */
function Changes({ row, nodeId }: { row: CapabilityRow; nodeId: string }) {
  if (!row.mayChange || !row.eligible) return null;
  return (
    <div className="flex flex-col gap-2">
      {row.giverHas ? (
        <SetCapabilityForm nodeId={nodeId} capability={row.capability} isSet={row.setHere !== null} expiresOn={row.setHere?.expiresAt ? formatDay(row.setHere.expiresAt) : undefined} />
      ) : null}
      {row.setHere ? <RemoveCapabilityForm nodeId={nodeId} capability={row.capability} /> : null}
    </div>
  );
}

function giverText(row: CapabilityRow) {
  if (row.giverHas === null) return <span className="text-slate-600 dark:text-slate-400">Platform operator</span>;
  if (!row.eligible) return <No>Not for this node</No>;
  return row.giverHas ? <Yes>{untilText(row.giverHas.expiresAt)}</Yes> : <No>No</No>;
}

function setHereText(row: CapabilityRow) {
  if (!row.setHere) return <No>Not set</No>;
  if (row.setHere.expired) return <No>Expired {formatDay(row.setHere.expiresAt!)}</No>;
  return <Yes>{untilText(row.setHere.expiresAt)}</Yes>;
}

function untilText(expiresAt: Date | null): string {
  return expiresAt ? `Yes, until ${formatDay(expiresAt)}` : "Yes, no expiry";
}

function Yes({ children }: { children: React.ReactNode }) {
  return <span className="text-emerald-800 dark:text-emerald-300">{children}</span>;
}

function No({ children }: { children: React.ReactNode }) {
  return <span className="text-slate-600 dark:text-slate-400">{children}</span>;
}

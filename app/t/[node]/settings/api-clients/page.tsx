import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/action-button";
import { listApiClients } from "@/lib/api-clients/service";
import { can } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { grantableRoles } from "@/lib/members/read";
import { loadNode } from "../../load-node";
import { disableApiClientAction, rotateApiClientAction } from "./actions";
import { CreateApiClientForm } from "./create-form";

export const metadata: Metadata = { title: "API clients" };

type Props = { params: Promise<{ node: string }> };

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function ApiClientsPage({ params }: Props) {
  const { db, authz, request, node } = await loadNode((await params).node);
  const tree = (await loadTreeNode(db, node.accountId, { id: node.id }, authz.now))!;
  // Only who may manage clients here sees the page at all (apiclient.manage needs the api capability).
  if (!can(authz, "apiclient.manage", tree)) notFound();
  const [clients, roles] = await Promise.all([listApiClients({ db, authz, request }, { nodeId: node.id }), grantableRoles(db, authz, tree)]);

  return (
    <div className="max-w-5xl space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">API clients</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Scripts and integrations call the <a href="/api/docs" className="text-brand-700 underline dark:text-brand-500">Arbor API</a> as clients with a
          role on {node.name}, under the same rules as people. A client’s secret is shown once, when it is created or rotated.
        </p>
      </header>

      <section aria-labelledby="create-heading" className="space-y-3">
        <h2 id="create-heading" className="text-lg font-semibold">
          New client on {node.name}
        </h2>
        <CreateApiClientForm nodeId={node.id} roles={roles} />
      </section>

      <section aria-labelledby="clients-heading" className="space-y-3">
        <h2 id="clients-heading" className="text-lg font-semibold">
          Clients here and below
        </h2>
        {clients.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No API clients yet.</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="API clients">
            <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-2 pr-4">Name</th>
                <th scope="col" className="py-2 pr-4">Client id</th>
                <th scope="col" className="py-2 pr-4">Status</th>
                <th scope="col" className="py-2 pr-4">Last used (UTC)</th>
                <th scope="col" className="py-2">Actions</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <tr key={client.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                  <td className="py-2 pr-4 font-medium">{client.name}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{client.clientId}</td>
                  <td className="py-2 pr-4">{client.status}</td>
                  <td className="py-2 pr-4">{client.lastUsedAt ? dateTime.format(client.lastUsedAt) : "never"}</td>
                  <td className="py-2">
                    {client.status === "active" ? (
                      <div className="flex flex-wrap gap-2">
                        <ActionButton action={rotateApiClientAction} fields={{ apiClientId: client.id }} label={`Rotate secret of ${client.name}`} pendingLabel="Rotating…" />
                        <ActionButton action={disableApiClientAction} fields={{ apiClientId: client.id }} label={`Disable ${client.name}`} pendingLabel="Disabling…" tone="danger" />
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

import Link from "next/link";
import { loadTreeNode, whoHasAccess } from "@/lib/authz/queries";
import { loadNode } from "../load-node";

/** Every principal with an effective permission on the node, and the assignments it comes from. */
export async function AccessTab({ slug }: { slug: string }) {
  const { db, authz, node: base } = await loadNode(slug);
  const node = (await loadTreeNode(db, authz.principal.accountId, { id: base.id }, authz.now))!;
  const access = await whoHasAccess(db, node, authz.now);
  return (
    <section aria-labelledby="access-heading" className="space-y-3">
      <h2 id="access-heading" className="text-lg font-semibold">
        Who has access here
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Active principals with any permission on {node.name} now: their roles here or above, and where each comes from.
      </p>
      {access.length === 0 ? (
        <p>Nobody has access here yet.</p>
      ) : (
        <table aria-labelledby="access-heading" className="w-full max-w-4xl text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="py-2 pr-4 font-medium">Name</th>
              <th className="py-2 pr-4 font-medium">Email</th>
              <th className="py-2 font-medium">Role, and where it comes from</th>
            </tr>
          </thead>
          <tbody>
            {access.map((entry) => (
              <tr key={entry.principal.id} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-4">
                  <Link href={`/t/${base.slug}/members/${entry.principal.id}`} className="text-brand-700 underline dark:text-brand-500">
                    {entry.principal.name}
                  </Link>
                </td>
                <td className="py-2 pr-4">{entry.principal.email ?? "API client"}</td>
                <td className="py-2">{entry.via.map((via) => `${via.roleName}${via.inherited ? ` (from ${via.nodeName})` : ""}`).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

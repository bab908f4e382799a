import type { Metadata } from "next";
import { TenantTree } from "@/components/tenant-tree";
import { arrangeTree, listReadableNodes } from "@/lib/tenants/read";
import { loadNode } from "../load-node";

export const metadata: Metadata = { title: "Tenant tree" };

export default async function TenantTreePage({ params }: { params: Promise<{ node: string }> }) {
  const { db, authz, node } = await loadNode((await params).node);
  const branches = arrangeTree(await listReadableNodes(db, authz));
  const organizations = countOrganizations(branches);
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">Tenant tree</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Everything you can see: {organizations} {organizations === 1 ? "organization" : "organizations"}.
        </p>
      </header>
      {branches.length > 0 ? (
        <TenantTree branches={branches} currentId={node.id} />
      ) : (
        <p className="text-slate-600 dark:text-slate-400">There is nothing in the tree that you may see.</p>
      )}
    </div>
  );
}

function countOrganizations(branches: ReturnType<typeof arrangeTree>): number {
  return branches.reduce((sum, branch) => sum + (branch.node.kind === "organization" ? 1 : 0) + countOrganizations(branch.children), 0);
}

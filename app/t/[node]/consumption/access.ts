import "server-only";
import { notFound } from "next/navigation";
import { can, type Permission } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { loadNode } from "../load-node";

/**
 * A consumption page's context: the node in the URL with its effective capabilities, opened only by
 * a principal holding `permission` there (every consumption permission needs `flex` on the node).
 * Anyone else gets the frame's not-found, as for a node they cannot see. Says what else they may do.
 */
export async function loadConsumptionPage(slug: string, permission: Permission = "consumption.read") {
  const { db, authz, request, node } = await loadNode(slug);
  const tree = await loadTreeNode(db, node.accountId, { id: node.id }, authz.now);
  if (!tree || !can(authz, permission, tree)) notFound();
  const ctx: ServiceContext = { db, authz, request };
  const may = {
    read: can(authz, "consumption.read", tree),
    manageEntitlements: can(authz, "entitlement.manage", tree),
    manageBudgets: can(authz, "budget.manage", tree),
  };
  return { ctx, node: tree, may, today: authz.now.toISOString().slice(0, 10) };
}

/** The consumption tabs this principal may open on this node. */
export function consumptionSections(node: { slug: string }, may: { read: boolean; manageEntitlements: boolean }) {
  const base = `/t/${node.slug}/consumption`;
  return [
    ...(may.read
      ? [
          { href: base, label: "Dashboard" },
          { href: `${base}/entitlements`, label: "Entitlements" },
          { href: `${base}/configurations`, label: "Configurations" },
          { href: `${base}/budgets`, label: "Budgets" },
        ]
      : []),
    ...(may.manageEntitlements ? [{ href: `${base}/import`, label: "Usage import" }] : []),
  ];
}

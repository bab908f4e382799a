import "server-only";
import { notFound } from "next/navigation";
import { can, type Permission } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { loadNode } from "../load-node";

/**
 * A billing page's context: billing is the account's, so the node in the URL must be the account and
 * the principal must hold `permission` there; anyone else, and any other node, gets the frame's not-found.
 */
export async function loadBillingPage(slug: string, permission: Permission = "billing.read") {
  const { db, authz, request, node } = await loadNode(slug);
  if (node.kind !== "account") notFound();
  const tree = await loadTreeNode(db, node.accountId, { id: node.id }, authz.now);
  if (!tree || !can(authz, permission, tree)) notFound();
  const ctx: ServiceContext = { db, authz, request };
  const may = { read: can(authz, "billing.read", tree), manage: can(authz, "billing.manage", tree), readConsumption: can(authz, "consumption.read", tree) };
  return { ctx, node: tree, may, today: authz.now.toISOString().slice(0, 10) };
}

/** The billing tabs this principal may open. */
export function billingSections(node: { slug: string }, may: { read: boolean; readConsumption: boolean }) {
  const base = `/t/${node.slug}/billing`;
  return may.read
    ? [
        { href: base, label: "Statement" },
        { href: `${base}/program`, label: "Program" },
        ...(may.readConsumption ? [{ href: `${base}/catalog`, label: "Catalog" }] : []),
      ]
    : [];
}

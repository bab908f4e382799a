import { can } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { currentBudgetAlerts } from "@/lib/consumption/budget-alerts";
import type { ServiceContext } from "@/lib/service-context";
import { BudgetAlertBanner } from "./budget-alert-banner";

/**
 * The budget alert of this month on a node's overview, for whoever may read its consumption there:
 * nothing for anyone else, nothing on a node without `flex`, nothing when no threshold holds.
 */
export async function NodeBudgetAlert({ ctx, node }: { ctx: ServiceContext; node: { id: string; slug: string; name: string } }) {
  const tree = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: node.id }, ctx.authz.now);
  if (!tree || !can(ctx.authz, "consumption.read", tree)) return null;
  const alerts = await currentBudgetAlerts(ctx, { nodeId: node.id });
  return <BudgetAlertBanner nodeName={node.name} alerts={alerts} href={`/t/${node.slug}/consumption`} />;
}

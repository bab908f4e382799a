import { and, eq } from "drizzle-orm";
import { nodeCapabilities } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { can, CAPABILITIES, type Capability } from "@/lib/authz";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";

export interface CapabilityRow {
  capability: Capability;
  /** What the giver (the parent; the account for reseller) effectively has; null at the account itself. */
  giverHas: { expiresAt: Date | null } | false | null;
  /** The setting on this node, in force or not. */
  setHere: { expiresAt: Date | null; expired: boolean } | null;
  /** What the node effectively has, with the earliest expiry on its path. */
  effective: { expiresAt: Date | null } | null;
  /** False where SPEC §6 rules the capability out (reseller on a group or a reseller's customer). */
  eligible: boolean;
  /** Whether the principal holds capability.assign where this capability is given from. */
  mayChange: boolean;
}

export interface NodeCapabilities {
  node: TreeNode;
  /** The account's own capabilities are set by the platform operator, not in the portal. */
  isAccount: boolean;
  rows: CapabilityRow[];
}

/** Every capability of SPEC §6 for a node: what its giver allows, what is set here, the effective result. */
export async function loadNodeCapabilities(ctx: ServiceContext, nodeId: string): Promise<NodeCapabilities> {
  const accountId = ctx.authz.principal.accountId;
  const node = await loadTreeNode(ctx.db, accountId, { id: nodeId }, ctx.authz.now);
  await authorize(ctx, "capability.read", "tenant.read", node);
  const current = node!;
  const settings = await ctx.db
    .select({ capability: nodeCapabilities.capability, expiresAt: nodeCapabilities.expiresAt })
    .from(nodeCapabilities)
    .where(and(eq(nodeCapabilities.accountId, accountId), eq(nodeCapabilities.nodeId, current.id)));
  const parent = current.parentId ? await loadTreeNode(ctx.db, accountId, { id: current.parentId }, ctx.authz.now) : null;
  const account = parent ? await loadTreeNode(ctx.db, accountId, { id: accountId }, ctx.authz.now) : null;
  const rows = CAPABILITIES.map((capability): CapabilityRow => {
    const giver = capability === "reseller" ? account : parent;
    const setting = settings.find((entry) => entry.capability === capability);
    const effective = current.capabilityExpiry.find((entry) => entry.capability === capability);
    return {
      capability,
      giverHas: giver ? givenBy(giver, capability) : null,
      setHere: setting ? { expiresAt: setting.expiresAt, expired: setting.expiresAt !== null && setting.expiresAt <= ctx.authz.now } : null,
      effective: effective ? { expiresAt: effective.expiresAt } : null,
      eligible: capability !== "reseller" || (current.kind === "organization" && parent?.kind !== "organization"),
      mayChange: giver !== null && can(ctx.authz, "capability.assign", giver),
    };
  });
  return { node: current, isAccount: parent === null, rows };
}

function givenBy(giver: TreeNode, capability: Capability): { expiresAt: Date | null } | false {
  const entry = giver.capabilityExpiry.find((candidate) => candidate.capability === capability);
  return entry ? { expiresAt: entry.expiresAt } : false;
}

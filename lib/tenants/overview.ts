import { and, count, eq, gt, isNull, lt } from "drizzle-orm";
import { nodes, roles } from "@/db/schema";
import { authorize } from "@/lib/audit/record";
import { listAuditEvents, type AuditRow } from "@/lib/audit/read";
import { can, subtreeRange, type EffectiveCapability } from "@/lib/authz";
import { loadTreeNode, whoHasAccess, type TreeNode } from "@/lib/authz/queries";
import type { ServiceContext } from "@/lib/service-context";
import { countChildren } from "./read";

export interface NodeOwner {
  principalId: string;
  name: string;
  email: string | null;
  /** The node whose Owner assignment reaches here: this node itself, or an ancestor. */
  fromNodeName: string;
  inherited: boolean;
}

export interface NodeOverview {
  node: TreeNode;
  capabilities: readonly EffectiveCapability[];
  counts: { childGroups: number; childOrganizations: number; groupsBelow: number; organizationsBelow: number };
  /** Principals with any effective permission here; null when the principal may not read members. */
  memberCount: number | null;
  /** Direct and inherited Owners; null when the principal may not read members. */
  owners: NodeOwner[] | null;
  /** The newest audit events of the subtree; null without audit.read. */
  recentEvents: AuditRow[] | null;
}

const RECENT_EVENTS = 10;

/** What the node overview shows; each part only as far as the principal may see it. */
export async function loadNodeOverview(ctx: ServiceContext, nodeId: string): Promise<NodeOverview> {
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: nodeId }, ctx.authz.now);
  await authorize(ctx, "node.overview", "tenant.read", node);
  const current = node!;
  const mayReadMembers = can(ctx.authz, "member.read", current);
  const [children, below, access, events] = await Promise.all([
    countChildren(ctx.db, current),
    countBelow(ctx, current),
    mayReadMembers ? whoHasAccess(ctx.db, current, ctx.authz.now) : null,
    can(ctx.authz, "audit.read", current) ? listAuditEvents(ctx, { nodeId: current.id, limit: RECENT_EVENTS }) : null,
  ]);
  const ownerRoleId = access ? await builtinOwnerRoleId(ctx) : null;
  const owners = access?.flatMap((entry) =>
    entry.via
      .filter((via) => via.roleId === ownerRoleId)
      .map((via) => ({
        principalId: entry.principal.id,
        name: entry.principal.name,
        email: entry.principal.email,
        fromNodeName: via.nodeName,
        inherited: via.inherited,
      })),
  );
  return {
    node: current,
    capabilities: current.capabilityExpiry,
    counts: { childGroups: children.groups, childOrganizations: children.organizations, ...below },
    memberCount: access ? access.length : null,
    owners: owners ?? null,
    recentEvents: events ? events.rows : null,
  };
}

/** Groups and organizations anywhere below the node (one range scan). */
async function countBelow(ctx: ServiceContext, node: TreeNode): Promise<{ groupsBelow: number; organizationsBelow: number }> {
  const { lower, upper } = subtreeRange(node.path);
  const rows = await ctx.db
    .select({ kind: nodes.kind, value: count() })
    .from(nodes)
    .where(and(eq(nodes.accountId, node.accountId), gt(nodes.path, lower), lt(nodes.path, upper)))
    .groupBy(nodes.kind);
  const of = (kind: string) => rows.find((row) => row.kind === kind)?.value ?? 0;
  return { groupsBelow: of("group"), organizationsBelow: of("organization") };
}

async function builtinOwnerRoleId(ctx: ServiceContext): Promise<string | null> {
  const [row] = await ctx.db.select({ id: roles.id }).from(roles).where(and(isNull(roles.accountId), eq(roles.key, "owner")));
  return row?.id ?? null;
}

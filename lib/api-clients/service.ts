import { and, asc, eq, gte, isNull, lt, or } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { apiClients, apiTokens, nodes, principals, roleAssignments, roles } from "@/db/schema";
import { authorize, insertAuditEvent, recordAudit, recordDenial } from "@/lib/audit/record";
import { checkAssignmentChange, checkMayManage, isPermission, subtreeRange, type AuthContext, type Permission, type RoleRef } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { newClientId, newSecret } from "./credentials";
import { apiClientIdInput, createApiClientInput, listApiClientsInput } from "./schemas";

/** An API client as callers see it: never its secret. */
export interface ApiClientView {
  id: string;
  clientId: string;
  name: string;
  homeNodeId: string;
  status: "invited" | "active" | "disabled";
  createdBy: string | null;
  createdAt: Date;
  secretRotatedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A client with its secret, returned once at creation and at each rotation. */
export interface ApiClientWithSecret {
  client: ApiClientView;
  clientSecret: string;
}

const viewColumns = {
  id: principals.id,
  clientId: apiClients.clientId,
  name: principals.name,
  homeNodeId: principals.homeNodeId,
  status: principals.status,
  createdBy: apiClients.createdBy,
  createdAt: apiClients.createdAt,
  secretRotatedAt: apiClients.secretRotatedAt,
  lastUsedAt: apiClients.lastUsedAt,
};

type RoleRow = { id: string; key: string; name: string; permissions: string[] };

async function loadRole(db: Database, accountId: string, roleId: string): Promise<RoleRow> {
  const [role] = await db
    .select({ id: roles.id, key: roles.key, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.id, roleId), or(isNull(roles.accountId), eq(roles.accountId, accountId))));
  if (!role) throw notFound("role");
  return role;
}

function roleRef(role: RoleRow): RoleRef {
  return { key: role.key, permissions: new Set(role.permissions.filter(isPermission)) as ReadonlySet<Permission> };
}

/**
 * Creates a client whose home is `nodeId`, holding `roleId` there. The role passes the same grant rules
 * as any assignment: nobody gives a client more than they hold on the node.
 */
export async function createApiClient(ctx: ServiceContext, raw: unknown): Promise<ApiClientWithSecret> {
  const input = parseInput(createApiClientInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "apiclient.create", "apiclient.manage", node);
  const role = await loadRole(ctx.db, node!.accountId, input.roleId);
  const id = crypto.randomUUID();
  // The client does not exist yet: it is judged as what it will be, an active principal with no grants.
  const future: AuthContext = {
    principal: { id, accountId: node!.accountId, homeNodeId: node!.id, kind: "api_client", status: "active", name: input.name, email: null },
    grants: [],
    now: ctx.authz.now,
  };
  const verdict = checkAssignmentChange({
    kind: "create",
    actor: ctx.authz,
    target: future,
    node: { ...node!, isAccount: node!.kind === "account" },
    targetHomePath: node!.path,
    role: roleRef(role),
  });
  if (!verdict.ok) {
    await recordDenial(ctx, { action: "apiclient.create", nodeId: node!.id, reason: verdict.message });
    throw new DomainError("forbidden", verdict.message, { rule: verdict.rule });
  }
  return ctx.db.transaction(async (tx) => {
    const created = await insertClient(tx, { id, node: node!, role, name: input.name, createdBy: ctx.authz.principal.id });
    await recordAudit(tx, ctx, {
      action: "apiclient.create",
      nodeId: node!.id,
      targetType: "principal",
      targetId: id,
      after: { name: input.name, clientId: created.client.clientId, role: role.name },
    });
    return created;
  });
}

/**
 * Creates a client for the operator at the command line, who stands outside the tenant tree: no actor,
 * so no grant rules, and the audit event names no actor.
 */
export async function createApiClientAsOperator(
  db: Database,
  input: { node: { id: string } | { slug: string }; roleKey: string; name: string },
): Promise<ApiClientWithSecret> {
  const nodeRow = await findNodeForOperator(db, input.node);
  const [role] = await db
    .select({ id: roles.id, key: roles.key, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.key, input.roleKey), or(isNull(roles.accountId), eq(roles.accountId, nodeRow.accountId))));
  if (!role) throw new DomainError("invalid", `No role "${input.roleKey}" in this account.`);
  return db.transaction(async (tx) => {
    const created = await insertClient(tx, { id: crypto.randomUUID(), node: nodeRow, role, name: input.name, createdBy: null });
    await insertAuditEvent(tx, {
      accountId: nodeRow.accountId,
      actorId: null,
      actingAs: "operator",
      nodeId: nodeRow.id,
      action: "apiclient.create",
      targetType: "principal",
      targetId: created.client.id,
      after: { name: input.name, clientId: created.client.clientId, role: role.name },
      address: null,
      userAgent: "arbor cli",
    });
    return created;
  });
}

async function findNodeForOperator(db: Database, by: { id: string } | { slug: string }): Promise<TreeNode> {
  const match = "id" in by ? eq(nodes.id, by.id) : eq(nodes.slug, by.slug);
  const found = await db.select({ id: nodes.id, accountId: nodes.accountId }).from(nodes).where(match).limit(2);
  if (found.length === 0) throw new DomainError("invalid", "No such node.");
  if (found.length > 1) throw new DomainError("invalid", "Several accounts have a node with this short name; give its id instead.");
  return (await loadTreeNode(db, found[0]!.accountId, { id: found[0]!.id }))!;
}

async function insertClient(
  tx: Transaction,
  client: { id: string; node: TreeNode; role: RoleRow; name: string; createdBy: string | null },
): Promise<ApiClientWithSecret> {
  const { secret, hash } = newSecret();
  const accountId = client.node.accountId;
  const [principal] = await tx
    .insert(principals)
    .values({ id: client.id, accountId, homeNodeId: client.node.id, kind: "api_client", name: client.name, status: "active" })
    .returning();
  const [credentials] = await tx
    .insert(apiClients)
    .values({ principalId: client.id, accountId, clientId: newClientId(), secretHash: hash, createdBy: client.createdBy })
    .returning();
  await tx.insert(roleAssignments).values({
    accountId,
    principalId: client.id,
    nodeId: client.node.id,
    roleId: client.role.id,
    source: "direct",
    createdBy: client.createdBy,
  });
  return { client: toView(principal!, credentials!), clientSecret: secret };
}

function toView(principal: typeof principals.$inferSelect, credentials: typeof apiClients.$inferSelect): ApiClientView {
  return {
    id: principal.id,
    clientId: credentials.clientId,
    name: principal.name,
    homeNodeId: principal.homeNodeId,
    status: principal.status,
    createdBy: credentials.createdBy,
    createdAt: credentials.createdAt,
    secretRotatedAt: credentials.secretRotatedAt,
    lastUsedAt: credentials.lastUsedAt,
  };
}

/** The clients whose home is the node or below it. */
export async function listApiClients(ctx: ServiceContext, raw: unknown): Promise<ApiClientView[]> {
  const input = parseInput(listApiClientsInput, raw);
  const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: input.nodeId }, ctx.authz.now);
  await authorize(ctx, "apiclient.list", "apiclient.manage", node);
  const { lower, upper } = subtreeRange(node!.path);
  return ctx.db
    .select(viewColumns)
    .from(apiClients)
    .innerJoin(principals, eq(principals.id, apiClients.principalId))
    .innerJoin(nodes, and(eq(nodes.accountId, principals.accountId), eq(nodes.id, principals.homeNodeId)))
    .where(and(eq(apiClients.accountId, node!.accountId), gte(nodes.path, lower), lt(nodes.path, upper)))
    .orderBy(asc(principals.name), asc(principals.id));
}

/** One client, to whoever may manage clients on its home node; refused like that node otherwise. */
export async function readApiClient(ctx: ServiceContext, raw: unknown): Promise<ApiClientView> {
  const { apiClientId } = parseInput(apiClientIdInput, raw);
  const accountId = ctx.authz.principal.accountId;
  const [client] = await ctx.db
    .select(viewColumns)
    .from(apiClients)
    .innerJoin(principals, eq(principals.id, apiClients.principalId))
    .where(and(eq(apiClients.accountId, accountId), eq(apiClients.principalId, apiClientId)));
  const home = client ? await loadTreeNode(ctx.db, accountId, { id: client.homeNodeId }, ctx.authz.now) : null;
  await authorize(ctx, "apiclient.read", "apiclient.manage", home);
  return client!;
}

/**
 * Loads a client for a change: `apiclient.manage` on its home node, and (rule 4) the actor must hold
 * everything the client holds there.
 */
async function clientForChange(ctx: ServiceContext, action: string, apiClientId: string) {
  const accountId = ctx.authz.principal.accountId;
  const [row] = await ctx.db
    .select({ principal: principals, credentials: apiClients })
    .from(apiClients)
    .innerJoin(principals, eq(principals.id, apiClients.principalId))
    .where(and(eq(apiClients.accountId, accountId), eq(apiClients.principalId, apiClientId)));
  const home = row ? await loadTreeNode(ctx.db, accountId, { id: row.principal.homeNodeId }, ctx.authz.now) : null;
  await authorize(ctx, action, "apiclient.manage", home);
  const target = (await loadAuthContext(ctx.db, row!.principal.id, ctx.authz.now))!;
  const verdict = checkMayManage(ctx.authz, target, home!);
  if (!verdict.ok) {
    await recordDenial(ctx, { action, nodeId: home!.id, reason: verdict.message, targetType: "principal", targetId: row!.principal.id });
    throw new DomainError("forbidden", verdict.message, { rule: verdict.rule });
  }
  return { ...row!, home: home! };
}

/** Replaces a client's secret (shown once) and ends its outstanding tokens. */
export async function rotateApiClientSecret(ctx: ServiceContext, raw: unknown): Promise<ApiClientWithSecret> {
  const { apiClientId } = parseInput(apiClientIdInput, raw);
  const { principal, home } = await clientForChange(ctx, "apiclient.rotate", apiClientId);
  const { secret, hash } = newSecret();
  return ctx.db.transaction(async (tx) => {
    const [credentials] = await tx
      .update(apiClients)
      .set({ secretHash: hash, secretRotatedAt: ctx.authz.now })
      .where(eq(apiClients.principalId, principal.id))
      .returning();
    await tx.delete(apiTokens).where(and(eq(apiTokens.accountId, principal.accountId), eq(apiTokens.principalId, principal.id)));
    await recordAudit(tx, ctx, { action: "apiclient.rotate", nodeId: home.id, targetType: "principal", targetId: principal.id });
    return { client: toView(principal, credentials!), clientSecret: secret };
  });
}

/** Disables a client: its tokens stop working on the next request and no new ones are issued. */
export async function disableApiClient(ctx: ServiceContext, raw: unknown): Promise<ApiClientView> {
  const { apiClientId } = parseInput(apiClientIdInput, raw);
  const { principal, credentials, home } = await clientForChange(ctx, "apiclient.disable", apiClientId);
  if (principal.status === "disabled") throw new DomainError("invalid", "The client is already disabled.");
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(principals)
      .set({ status: "disabled", updatedAt: ctx.authz.now })
      .where(eq(principals.id, principal.id))
      .returning();
    await tx.delete(apiTokens).where(and(eq(apiTokens.accountId, principal.accountId), eq(apiTokens.principalId, principal.id)));
    await recordAudit(tx, ctx, {
      action: "apiclient.disable",
      nodeId: home.id,
      targetType: "principal",
      targetId: principal.id,
      before: { status: principal.status },
      after: { status: "disabled" },
    });
    return toView(updated!, credentials);
  });
}

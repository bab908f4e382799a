import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import { identityProviders, idpRoleMappings, nodes, roles, type IdentityProvider } from "@/db/schema";
import { authorize, recordAudit, recordDenial } from "@/lib/audit/record";
import { seal } from "@/lib/auth/secret-box";
import { can, checkAssignmentChange, isPermission, type AuthContext, type Permission, type RoleRef } from "@/lib/authz";
import { listAccessibleNodes, loadTreeNode, MAX_PAGE_SIZE, type TreeNode } from "@/lib/authz/queries";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { addMappingInput, configureProviderInput, removeMappingInput } from "./schemas";

// The account's external IdP: configured at the account node with `idp.manage` (which needs `sso`).
// A mapping rule hands out a role to whoever the IdP names, so adding or removing one passes the
// same grant rules as handing out that role to a new user of the account.

export interface ProviderSettings {
  provider: {
    issuer: string;
    clientId: string;
    rolesClaim: string;
    enabled: boolean;
    version: number;
    updatedAt: Date;
  } | null;
  mappings: { id: string; claimValue: string; node: { id: string; name: string; slug: string }; role: { id: string; name: string } }[];
  /** What a new rule may name: nodes where the actor assigns roles (the first 500), and the account's roles. */
  choices: { nodes: { id: string; label: string }[]; roles: { id: string; name: string }[] };
}

async function accountNode(ctx: ServiceContext): Promise<TreeNode | null> {
  const accountId = ctx.authz.principal.accountId;
  return loadTreeNode(ctx.db, accountId, { id: accountId }, ctx.authz.now);
}

async function loadProvider(ctx: ServiceContext): Promise<IdentityProvider | undefined> {
  const [provider] = await ctx.db.select().from(identityProviders).where(eq(identityProviders.accountId, ctx.authz.principal.accountId));
  return provider;
}

/** Whether the principal may manage the account's IdP now (for showing the way to its settings). */
export async function mayManageProvider(ctx: Pick<ServiceContext, "db" | "authz">): Promise<boolean> {
  const accountId = ctx.authz.principal.accountId;
  const account = await loadTreeNode(ctx.db, accountId, { id: accountId }, ctx.authz.now);
  return account !== null && can(ctx.authz, "idp.manage", account);
}

/** Nodes labelled by their names from the top of what the actor may assign on ("Regions / EMEA"). */
async function nodeChoices(ctx: ServiceContext): Promise<ProviderSettings["choices"]["nodes"]> {
  const { items } = await listAccessibleNodes(ctx.db, ctx.authz, "role.assign", { limit: MAX_PAGE_SIZE });
  const names = new Map(items.map((node) => [node.id, node]));
  return items.map((node) => {
    if (node.kind === "account") return { id: node.id, label: `${node.name} (the whole account)` };
    const path = node.path.split("/").filter((id) => id && names.get(id)?.kind !== "account");
    return { id: node.id, label: path.map((id) => names.get(id)?.name ?? "…").join(" / ") };
  });
}

async function roleChoices(ctx: ServiceContext): Promise<ProviderSettings["choices"]["roles"]> {
  return ctx.db
    .select({ id: roles.id, name: roles.name })
    .from(roles)
    .where(or(isNull(roles.accountId), eq(roles.accountId, ctx.authz.principal.accountId)))
    .orderBy(desc(roles.builtin), asc(sql`lower(${roles.name})`));
}

/** The provider (never its secret), its mapping rules and the choices for a new rule, for the settings page. */
export async function getProviderSettings(ctx: ServiceContext): Promise<ProviderSettings> {
  await authorize(ctx, "idp.read", "idp.manage", await accountNode(ctx));
  const [provider, nodeList, roleList] = await Promise.all([loadProvider(ctx), nodeChoices(ctx), roleChoices(ctx)]);
  const choices = { nodes: nodeList, roles: roleList };
  if (!provider) return { provider: null, mappings: [], choices };
  const rows = await ctx.db
    .select({
      id: idpRoleMappings.id,
      claimValue: idpRoleMappings.claimValue,
      node: { id: nodes.id, name: nodes.name, slug: nodes.slug },
      role: { id: roles.id, name: roles.name },
    })
    .from(idpRoleMappings)
    .innerJoin(nodes, eq(nodes.id, idpRoleMappings.nodeId))
    .innerJoin(roles, eq(roles.id, idpRoleMappings.roleId))
    .where(and(eq(idpRoleMappings.accountId, provider.accountId), eq(idpRoleMappings.providerId, provider.id)))
    .orderBy(asc(idpRoleMappings.claimValue), asc(nodes.path));
  const { issuer, clientId, rolesClaim, enabled, version, updatedAt } = provider;
  return { provider: { issuer, clientId, rolesClaim, enabled, version, updatedAt }, mappings: rows, choices };
}

/** Creates or updates the account's IdP. The client secret is sealed, and required only the first time. */
export async function configureProvider(ctx: ServiceContext, raw: unknown): Promise<void> {
  const input = parseInput(configureProviderInput, raw);
  const node = await accountNode(ctx);
  await authorize(ctx, "idp.configure", "idp.manage", node);
  await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(identityProviders).where(eq(identityProviders.accountId, node!.id)).for("update");
    if (current && input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw new DomainError("conflict", "Someone else changed these settings meanwhile. Reload the page and make your change again.");
    }
    if (!current && !input.clientSecret) {
      throw new DomainError("invalid", "Enter the client secret.", { fieldErrors: { clientSecret: ["Enter the client secret."] } });
    }
    const settings = { issuer: input.issuer, clientId: input.clientId, rolesClaim: input.rolesClaim, enabled: input.enabled };
    const secret = input.clientSecret ? { clientSecretCiphertext: seal(input.clientSecret) } : {};
    if (current) {
      await tx
        .update(identityProviders)
        .set({ ...settings, ...secret, version: current.version + 1, updatedAt: new Date() })
        .where(eq(identityProviders.id, current.id));
    } else {
      await tx.insert(identityProviders).values({ accountId: node!.id, ...settings, clientSecretCiphertext: seal(input.clientSecret!) });
    }
    await recordAudit(tx, ctx, {
      action: "idp.configure",
      nodeId: node!.id,
      targetType: "identity-provider",
      targetId: node!.id,
      before: current ? { issuer: current.issuer, clientId: current.clientId, rolesClaim: current.rolesClaim, enabled: current.enabled } : undefined,
      after: { ...settings, secretChanged: Boolean(input.clientSecret) },
    });
  });
}

/** A principal with no grants whose home is the account: who a mapping rule hands its role to. */
function newUserOf(ctx: ServiceContext, account: TreeNode): AuthContext {
  return {
    principal: { id: "idp-provisioned-user", accountId: account.id, homeNodeId: account.id, kind: "user", status: "active", name: "IdP user", email: null },
    grants: [],
    now: ctx.authz.now,
  };
}

async function loadRole(ctx: ServiceContext, roleId: string): Promise<{ id: string; name: string; ref: RoleRef }> {
  const [role] = await ctx.db
    .select({ id: roles.id, key: roles.key, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.id, roleId), or(isNull(roles.accountId), eq(roles.accountId, ctx.authz.principal.accountId))));
  if (!role) throw notFound("role");
  return { id: role.id, name: role.name, ref: { key: role.key, permissions: new Set(role.permissions.filter(isPermission)) as ReadonlySet<Permission> } };
}

/** Grant rules 1–3 and 7 as if the actor handed `role` on `node` to a new user of the account (rule 4 on removal). */
async function enforceGrantRules(ctx: ServiceContext, action: string, kind: "create" | "remove", node: TreeNode, account: TreeNode, role: RoleRef) {
  const verdict = checkAssignmentChange({
    kind,
    actor: ctx.authz,
    target: newUserOf(ctx, account),
    node: { ...node, isAccount: node.kind === "account" },
    targetHomePath: account.path,
    ...(kind === "create" ? { role } : { previousRole: role }),
  });
  if (verdict.ok) return;
  await recordDenial(ctx, { action, nodeId: node.id, reason: verdict.message, targetType: "idp-mapping" });
  throw new DomainError("forbidden", verdict.message, { rule: verdict.rule });
}

/** Adds a rule `claim value -> (node, role)`; the actor must be allowed to hand out that role there. */
export async function addMapping(ctx: ServiceContext, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(addMappingInput, raw);
  const account = await accountNode(ctx);
  await authorize(ctx, "idp.mapping.add", "idp.manage", account);
  const provider = await loadProvider(ctx);
  if (!provider) throw new DomainError("conflict", "Save the identity provider's settings before adding rules.");
  const node = await loadTreeNode(ctx.db, account!.id, { id: input.nodeId }, ctx.authz.now);
  if (!node) throw notFound();
  const role = await loadRole(ctx, input.roleId);
  await enforceGrantRules(ctx, "idp.mapping.add", "create", node, account!, role.ref);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(idpRoleMappings)
      .values({ accountId: account!.id, providerId: provider.id, claimValue: input.claimValue, nodeId: node.id, roleId: role.id, createdBy: ctx.authz.principal.id })
      .onConflictDoNothing()
      .returning({ id: idpRoleMappings.id });
    if (!created) throw new DomainError("conflict", "A rule for this claim value on this node exists already; remove it first to change its role.");
    await recordAudit(tx, ctx, {
      action: "idp.mapping.add",
      nodeId: node.id,
      targetType: "idp-mapping",
      targetId: created.id,
      after: { claimValue: input.claimValue, node: node.name, role: role.name },
    });
    return created;
  });
}

/** Removes a rule: from their next sign-in on, users lose what it gave them. Same grant rules as adding it. */
export async function removeMapping(ctx: ServiceContext, raw: unknown): Promise<void> {
  const input = parseInput(removeMappingInput, raw);
  const account = await accountNode(ctx);
  await authorize(ctx, "idp.mapping.remove", "idp.manage", account);
  const [mapping] = await ctx.db
    .select()
    .from(idpRoleMappings)
    .where(and(eq(idpRoleMappings.accountId, account!.id), eq(idpRoleMappings.id, input.mappingId)));
  if (!mapping) throw notFound("rule");
  const node = await loadTreeNode(ctx.db, account!.id, { id: mapping.nodeId }, ctx.authz.now);
  const role = await loadRole(ctx, mapping.roleId);
  await enforceGrantRules(ctx, "idp.mapping.remove", "remove", node!, account!, role.ref);
  await ctx.db.transaction(async (tx) => {
    const removed = await tx.delete(idpRoleMappings).where(eq(idpRoleMappings.id, mapping.id)).returning({ id: idpRoleMappings.id });
    if (removed.length === 0) throw notFound("rule");
    await recordAudit(tx, ctx, {
      action: "idp.mapping.remove",
      nodeId: mapping.nodeId,
      targetType: "idp-mapping",
      targetId: mapping.id,
      before: { claimValue: mapping.claimValue, node: node!.name, role: role.name },
    });
  });
}

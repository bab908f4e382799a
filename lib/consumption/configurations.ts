import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { entitlements, flexConfigurations, flexProducts, nodes, type FlexConfiguration } from "@/db/schema";
import { authorize, recordAudit } from "@/lib/audit/record";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { requireProduct } from "./catalog";
import { pointsPerDay } from "./price-table";
import { configurationIdInput, configurationListInput, createConfigurationInput, updateConfigurationInput } from "./schemas";
import { authorizeOwned, loadNode, readableSubtree } from "./scope";

export interface ConfigurationRow {
  id: string;
  nodeId: string;
  organization: string;
  productId: string;
  productKey: string;
  product: string;
  name: string;
  parameters: unknown;
  pointsPerDay: number;
  version: number;
  /** How many entitlements were created from it, whatever their status. */
  entitlements: number;
}

const rowColumns = {
  id: flexConfigurations.id,
  nodeId: flexConfigurations.nodeId,
  organization: nodes.name,
  productId: flexConfigurations.productId,
  productKey: flexProducts.key,
  product: flexProducts.name,
  name: flexConfigurations.name,
  parameters: flexConfigurations.parameters,
  pointsPerDay: flexConfigurations.pointsPerDay,
  version: flexConfigurations.version,
  entitlements: sql<number>`(select count(*)::int from ${entitlements} e where e.configuration_id = ${flexConfigurations.id})`,
};

function pick(configuration: FlexConfiguration) {
  return { name: configuration.name, productId: configuration.productId, parameters: configuration.parameters, pointsPerDay: configuration.pointsPerDay };
}

/** Creates a configuration on an organization (only organizations own them); needs entitlement.manage there. */
export async function createConfiguration(ctx: ServiceContext, raw: unknown): Promise<FlexConfiguration> {
  const input = parseInput(createConfigurationInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "configuration.create", "entitlement.manage", node);
  if (node!.kind !== "organization") {
    throw new DomainError("invalid", `Only an organization owns configurations, and ${node!.name} is ${node!.kind === "account" ? "the account" : "a group"}: create it on one of its organizations.`);
  }
  const product = await requireProduct(ctx.db, node!.accountId, input.productId);
  const priced = pointsPerDay(product.priceTable, input.parameters);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(flexConfigurations)
      .values({ accountId: node!.accountId, nodeId: node!.id, productId: product.id, name: input.name, parameters: priced.parameters, pointsPerDay: priced.points })
      .returning();
    await recordAudit(tx, ctx, { action: "configuration.create", nodeId: node!.id, targetType: "flex_configuration", targetId: created!.id, after: pick(created!) });
    return created!;
  });
}

/** Renames a configuration or changes its parameters, which prices it again; needs entitlement.manage on its organization. */
export async function updateConfiguration(ctx: ServiceContext, raw: unknown): Promise<FlexConfiguration> {
  const input = parseInput(updateConfigurationInput, raw);
  const accountId = ctx.authz.principal.accountId;
  const [found] = await ctx.db
    .select({ nodeId: flexConfigurations.nodeId })
    .from(flexConfigurations)
    .where(and(eq(flexConfigurations.accountId, accountId), eq(flexConfigurations.id, input.configurationId)));
  const owner = await authorizeOwned(ctx, "configuration.update", "entitlement.manage", found?.nodeId, "configuration");
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(flexConfigurations).where(eq(flexConfigurations.id, input.configurationId)).for("update");
    if (input.expectedVersion !== undefined && current!.version !== input.expectedVersion) {
      throw new DomainError("precondition_failed", "The configuration was changed by someone else; reload it and try again.");
    }
    const change: Partial<FlexConfiguration> = { name: input.name ?? current!.name };
    if (input.parameters) {
      const product = await requireProduct(tx, accountId, current!.productId);
      const priced = pointsPerDay(product.priceTable, input.parameters);
      change.parameters = priced.parameters;
      change.pointsPerDay = priced.points;
    }
    const [updated] = await tx
      .update(flexConfigurations)
      .set({ ...change, updatedAt: new Date(), version: current!.version + 1 })
      .where(eq(flexConfigurations.id, current!.id))
      .returning();
    await recordAudit(tx, ctx, { action: "configuration.update", nodeId: owner.id, targetType: "flex_configuration", targetId: current!.id, before: pick(current!), after: pick(updated!) });
    return updated!;
  });
}

/** One configuration; needs consumption.read on its organization (or above it). */
export async function readConfiguration(ctx: ServiceContext, raw: unknown): Promise<ConfigurationRow> {
  const { configurationId } = parseInput(configurationIdInput, raw);
  const [row] = await ctx.db
    .select(rowColumns)
    .from(flexConfigurations)
    .innerJoin(nodes, eq(nodes.id, flexConfigurations.nodeId))
    .innerJoin(flexProducts, eq(flexProducts.id, flexConfigurations.productId))
    .where(and(eq(flexConfigurations.accountId, ctx.authz.principal.accountId), eq(flexConfigurations.id, configurationId)));
  await authorizeOwned(ctx, "configuration.read", "consumption.read", row?.nodeId, "configuration");
  return row!;
}

export interface ConfigurationPage {
  rows: ConfigurationRow[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * The configurations of the node's organizations (an organization's own, a group's organizations'),
 * by organization and name, a page at a time; needs consumption.read on the node.
 */
export async function listConfigurations(ctx: ServiceContext, raw: unknown): Promise<ConfigurationPage> {
  const input = parseInput(configurationListInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "configuration.list", "consumption.read", node);
  const scope = await readableSubtree(ctx.db, node!, ctx.authz.now);
  const where = and(eq(flexConfigurations.accountId, node!.accountId), scope, input.productId ? eq(flexConfigurations.productId, input.productId) : undefined);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select(rowColumns)
      .from(flexConfigurations)
      .innerJoin(nodes, eq(nodes.id, flexConfigurations.nodeId))
      .innerJoin(flexProducts, eq(flexProducts.id, flexConfigurations.productId))
      .where(where)
      .orderBy(asc(nodes.name), asc(flexConfigurations.name), asc(flexConfigurations.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ n: count() }).from(flexConfigurations).innerJoin(nodes, eq(nodes.id, flexConfigurations.nodeId)).where(where),
  ]);
  return { rows, total: total!.n, page: input.page, pageSize: input.pageSize };
}

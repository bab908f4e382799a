import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { flexProducts } from "@/db/schema";
import { authorize, recordAudit } from "@/lib/audit/record";
import { DomainError, notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { insertDefaultCatalog } from "./default-catalog";
import { nodeIdInput, priceTable, saveProductInput, type PriceTable } from "./schemas";
import { loadNode } from "./scope";

export interface Product {
  id: string;
  key: string;
  name: string;
  priceTable: PriceTable;
}

const productColumns = { id: flexProducts.id, key: flexProducts.key, name: flexProducts.name, priceTable: flexProducts.priceTable };

function toProduct(row: { id: string; key: string; name: string; priceTable: unknown }): Product {
  return { ...row, priceTable: priceTable.parse(row.priceTable) };
}

/** The account's catalog, by name; needs consumption.read on the node it is read from (whoever configures needs it). */
export async function listProducts(ctx: ServiceContext, raw: unknown): Promise<Product[]> {
  const { nodeId } = parseInput(nodeIdInput, raw);
  const node = await loadNode(ctx, nodeId);
  await authorize(ctx, "flex.product.list", "consumption.read", node);
  const rows = await ctx.db.select(productColumns).from(flexProducts).where(eq(flexProducts.accountId, node!.accountId)).orderBy(asc(flexProducts.name));
  return rows.map(toProduct);
}

/**
 * Adds a product to the account's catalog, or changes the one with the same key; needs billing.manage
 * at the account. Configurations keep the points per day they were priced at until they are changed.
 */
export async function saveProduct(ctx: ServiceContext, raw: unknown): Promise<Product> {
  const input = parseInput(saveProductInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "flex.product.save", "billing.manage", node);
  if (node!.kind !== "account") throw new DomainError("invalid", "The catalog belongs to the account: change it at the account.");
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select(productColumns)
      .from(flexProducts)
      .where(and(eq(flexProducts.accountId, node!.accountId), eq(flexProducts.key, input.key)))
      .for("update");
    const [saved] = await tx
      .insert(flexProducts)
      .values({ accountId: node!.accountId, key: input.key, name: input.name, priceTable: input.priceTable })
      .onConflictDoUpdate({ target: [flexProducts.accountId, flexProducts.key], set: { name: input.name, priceTable: input.priceTable, updatedAt: new Date() } })
      .returning(productColumns);
    await recordAudit(tx, ctx, {
      action: before ? "flex.product.update" : "flex.product.create",
      nodeId: node!.id,
      targetType: "flex_product",
      targetId: saved!.id,
      before: before ? { name: before.name, priceTable: before.priceTable } : null,
      after: { key: input.key, name: input.name, priceTable: input.priceTable },
    });
    return toProduct(saved!);
  });
}

/** Adds the default catalog's products that the account lacks (by key); needs billing.manage at the account. */
export async function installDefaultCatalog(ctx: ServiceContext, raw: unknown): Promise<{ added: string[] }> {
  const { nodeId } = parseInput(nodeIdInput, raw);
  const node = await loadNode(ctx, nodeId);
  await authorize(ctx, "flex.catalog.install", "billing.manage", node);
  if (node!.kind !== "account") throw new DomainError("invalid", "The catalog belongs to the account: install it at the account.");
  return ctx.db.transaction(async (tx) => {
    const added = await insertDefaultCatalog(tx, node!.accountId);
    if (added.length > 0) {
      await recordAudit(tx, ctx, { action: "flex.catalog.install", nodeId: node!.id, targetType: "flex_catalog", targetId: node!.accountId, after: { added } });
    }
    return { added };
  });
}

/** The product with `productId` in the account, or a "not found" error. */
export async function requireProduct(db: Database | Transaction, accountId: string, productId: string): Promise<Product> {
  const [row] = await db
    .select(productColumns)
    .from(flexProducts)
    .where(and(eq(flexProducts.accountId, accountId), eq(flexProducts.id, productId)));
  if (!row) throw notFound("product");
  return toProduct(row);
}

"use server";

import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { listProducts, saveProduct } from "@/lib/consumption/catalog";
import { parseProductForm } from "@/lib/consumption/product-form";
import { DomainError } from "@/lib/errors";

/**
 * Adds or changes a product of the account's catalog from the catalog page's form, whose fields are
 * named by their path in the product; each problem comes back on its own field. Configurations keep
 * the points per day they were priced at (see saveProduct), which the message repeats.
 */
export const saveProductAction = authorizedAction(
  { input: z.looseObject({ nodeId: z.uuid("Not a valid id."), editing: z.enum(["new", "existing"]) }), permission: "billing.manage", node: (input) => input.nodeId },
  async (ctx, fields) => {
    const parsed = parseProductForm(fields);
    if (!parsed.ok) throw new DomainError("invalid", "Check the highlighted fields.", { fieldErrors: parsed.fieldErrors });
    // The service saves by key; a new product must not replace one by accident.
    if (fields.editing === "new" && (await listProducts(ctx, { nodeId: fields.nodeId })).some((product) => product.key === parsed.input.key)) {
      throw new DomainError("conflict", `The catalog already has a product with the key ${parsed.input.key}: edit it instead.`, { fieldErrors: { key: ["This key is taken."] } });
    }
    const saved = await saveProduct(ctx, parsed.input);
    return fields.editing === "new"
      ? `Added ${saved.name} to the catalog.`
      : `Saved ${saved.name}. Existing configurations keep their points per day until they are changed; new and changed ones use this price table.`;
  },
);

import type { z } from "zod";
import { saveProductInput } from "./schemas";

// The catalog page's product form posts flat fields named by their path in the product
// ("priceTable.parameters.0.choices.1.points"); this turns them into the service's input and its
// problems back into errors keyed by the same names, so each shows next to its own field.

/** The leaves of a price table that are numbers; a blank one is left out, so that its default applies. */
const NUMERIC = new Set(["basePoints", "points", "factor", "min", "max", "step", "pointsPerUnit"]);

/** Form fields named by path to the nested product (lists from numeric segments), numbers parsed. */
export function productFromForm(fields: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    if (typeof raw !== "string" || name.startsWith("$")) continue;
    const path = name.split(".");
    const leaf = path[path.length - 1]!;
    const value = raw.trim();
    if (NUMERIC.has(leaf) && value === "") continue;
    let target: Record<string, unknown> = root;
    path.slice(0, -1).forEach((segment, index) => {
      const next = path[index + 1]!;
      target[segment] ??= /^\d+$/.test(next) ? [] : {};
      target = target[segment] as Record<string, unknown>;
    });
    target[leaf] = NUMERIC.has(leaf) && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  // A list whose middle item was removed in the browser has a hole; the form sends positions, not gaps.
  return compact(root) as Record<string, unknown>;
}

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compact(item)]));
  return value;
}

export type ProductFormResult = { ok: true; input: z.output<typeof saveProductInput> } | { ok: false; fieldErrors: Record<string, string[]> };

/** The product the form describes, or each problem under its field's name. */
export function parseProductForm(fields: Record<string, unknown>): ProductFormResult {
  const parsed = saveProductInput.safeParse(productFromForm(fields));
  if (parsed.success) return { ok: true, input: parsed.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const name = issue.path.join(".") || "form";
    const message = issue.code === "invalid_type" && issue.expected === "number" ? "Enter a number." : issue.message;
    fieldErrors[name] = [...(fieldErrors[name] ?? []), message];
  }
  return { ok: false, fieldErrors };
}

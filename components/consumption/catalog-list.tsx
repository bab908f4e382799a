import type { Product } from "@/lib/consumption/catalog";
import type { PriceParameter } from "@/lib/consumption/schemas";
import { formatExactPoints } from "./format";

function describe(parameter: PriceParameter): string {
  if (parameter.kind === "quantity") return `${formatExactPoints(parameter.pointsPerUnit)} a ${parameter.unit.replace(/s$/, "")} (${parameter.min}–${parameter.max} ${parameter.unit})`;
  return parameter.choices
    .map((choice) => `${choice.label}${choice.points ? ` +${formatExactPoints(choice.points)}` : ""}${choice.factor !== 1 ? ` ×${choice.factor}` : ""}`)
    .join(", ");
}

/** The account's product types with their price tables, in words; with `editHref`, each links to its editor. */
export function CatalogList({ products, editHref }: { products: Product[]; editHref?: (product: Product) => string }) {
  if (products.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">The catalog is empty.</p>;
  return (
    <ul className="grid gap-4 md:grid-cols-2">
      {products.map((product) => (
        <li key={product.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
          <div className="flex items-start justify-between gap-2">
            <p className="font-semibold">
              {product.name} <span className="font-mono text-xs font-normal text-slate-600 dark:text-slate-400">{product.priceTable.serialPrefix}</span>
            </p>
            {editHref ? (
              <a href={editHref(product)} className="text-sm text-brand-700 underline dark:text-brand-500">
                Edit<span className="sr-only"> {product.name}</span>
              </a>
            ) : null}
          </div>
          {product.priceTable.basePoints ? <p className="text-slate-600 dark:text-slate-400">Base: {formatExactPoints(product.priceTable.basePoints)} points a day</p> : null}
          <dl className="mt-2 space-y-1">
            {product.priceTable.parameters.map((parameter) => (
              <div key={parameter.key}>
                <dt className="font-medium">{parameter.label}</dt>
                <dd className="text-slate-600 dark:text-slate-400">{describe(parameter)}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ul>
  );
}

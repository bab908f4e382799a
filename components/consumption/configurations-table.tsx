import type { ActionState } from "@/lib/actions/authorized-action";
import type { Product } from "@/lib/consumption/catalog";
import type { ConfigurationRow } from "@/lib/consumption/configurations";
import { CreateEntitlementsForm } from "./create-entitlements-form";
import { formatExactPoints } from "./format";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** A configuration's parameters in words: each choice's label and each quantity with its unit ("4 vCPUs · 200 GB"). */
function describeParameters(row: ConfigurationRow, product: Product | undefined): string {
  const values = (row.parameters ?? {}) as Record<string, string | number>;
  if (!product) return Object.entries(values).map(([key, value]) => `${key}: ${value}`).join(" · ");
  return product.priceTable.parameters
    .map((parameter) => {
      const value = values[parameter.key];
      if (parameter.kind === "choice") return parameter.choices.find((choice) => choice.value === String(value))?.label ?? `${parameter.label}: ${value}`;
      return `${value} ${parameter.unit}`;
    })
    .join(" · ");
}

/** The configurations of the node's organizations, each with its price and, where allowed, a way to create entitlements from it. */
export function ConfigurationsTable(props: { rows: ConfigurationRow[]; products: Product[]; showOrganization: boolean; createAction: Action | null }) {
  const products = new Map(props.products.map((product) => [product.id, product]));
  return (
    <div className="relative overflow-x-auto">
      <table aria-label="Configurations" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">
              Name
            </th>
            {props.showOrganization ? (
              <th scope="col" className="py-2 pr-4 font-medium">
                Organization
              </th>
            ) : null}
            <th scope="col" className="py-2 pr-4 font-medium">
              Product and parameters
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium whitespace-nowrap">
              Points a day
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              Entitlements
            </th>
            {props.createAction ? (
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 align-top dark:border-slate-800">
              <td className="py-2 pr-4 font-medium">{row.name}</td>
              {props.showOrganization ? <td className="py-2 pr-4">{row.organization}</td> : null}
              <td className="py-2 pr-4">
                {row.product}
                <span className="block text-xs text-slate-600 dark:text-slate-400">{describeParameters(row, products.get(row.productId))}</span>
              </td>
              <td className="py-2 pr-4 text-right tabular-nums">{formatExactPoints(row.pointsPerDay)}</td>
              <td className="py-2 pr-4 text-right tabular-nums">{row.entitlements}</td>
              {props.createAction ? (
                <td className="py-2">
                  <CreateEntitlementsForm configuration={row} action={props.createAction} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

"use client";

import { useActionState, useState } from "react";
import { Field, FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { Product } from "@/lib/consumption/catalog";
import { pointsPerDay } from "@/lib/consumption/price-table";
import type { PriceParameter } from "@/lib/consumption/schemas";
import { formatExactPoints } from "./format";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const CONTROL = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

/**
 * A new configuration from the account's catalog: the product, then each of its parameters, with the
 * points per day worked out as they are chosen (the same price table the server prices it with).
 */
export function ConfigurationForm({ nodeId, products, action }: { nodeId: string; products: Product[]; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {} as ActionState);
  const [productId, setProductId] = useState(products[0]?.id ?? "");
  const [values, setValues] = useState<Record<string, string>>({});
  const product = products.find((candidate) => candidate.id === productId);
  if (!product) return <p className="text-sm text-slate-600 dark:text-slate-400">The account’s catalog has no products yet.</p>;
  const chosen = Object.fromEntries(product.priceTable.parameters.map((parameter) => [parameter.key, values[`${product.id}.${parameter.key}`] ?? defaultValue(parameter)]));
  const price = priceOf(product, chosen);
  return (
    <form action={formAction} className="max-w-3xl space-y-4" noValidate>
      <input type="hidden" name="nodeId" value={nodeId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="productId" className="block text-sm font-medium">
            Product
          </label>
          <select id="productId" name="productId" value={productId} onChange={(event) => setProductId(event.target.value)} className={CONTROL}>
            {products.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </div>
        <Field label="Name" name="name" autoComplete="off" errors={state.fieldErrors?.name} hint="How people will know it, such as “Branch firewall”." />
        {product.priceTable.parameters.map((parameter) => (
          <ParameterField
            key={`${product.id}.${parameter.key}`}
            parameter={parameter}
            value={chosen[parameter.key]!}
            onChange={(value) => setValues((previous) => ({ ...previous, [`${product.id}.${parameter.key}`]: value }))}
            errors={state.fieldErrors?.[`parameters.${parameter.key}`]}
          />
        ))}
      </div>
      <p role="status" aria-live="polite" className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
        {price === null ? "Choose every parameter to see the price." : <>Points per day: <strong className="tabular-nums">{formatExactPoints(price)}</strong></>}
      </p>
      <FormError message={state.error} />
      {state.ok ? (
        <p role="status" className="text-sm text-brand-800 dark:text-brand-100">
          {state.message}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {pending ? "Creating…" : "Create configuration"}
      </button>
    </form>
  );
}

function defaultValue(parameter: PriceParameter): string {
  return parameter.kind === "choice" ? parameter.choices[0]!.value : String(parameter.min);
}

function priceOf(product: Product, parameters: Record<string, string>): number | null {
  try {
    return pointsPerDay(product.priceTable, parameters).points;
  } catch {
    return null;
  }
}

function ParameterField(props: { parameter: PriceParameter; value: string; onChange: (value: string) => void; errors?: string[] }) {
  const { parameter } = props;
  const id = `parameter-${parameter.key}`;
  const name = `parameters.${parameter.key}`;
  const described = props.errors ? `${id}-error` : parameter.kind === "quantity" ? `${id}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {parameter.label}
      </label>
      {parameter.kind === "choice" ? (
        <select id={id} name={name} value={props.value} onChange={(event) => props.onChange(event.target.value)} aria-describedby={described} className={CONTROL}>
          {parameter.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      ) : (
        <>
          <input
            id={id}
            name={name}
            type="number"
            inputMode="numeric"
            min={parameter.min}
            max={parameter.max}
            step={parameter.step}
            value={props.value}
            onChange={(event) => props.onChange(event.target.value)}
            aria-invalid={props.errors ? true : undefined}
            aria-describedby={described}
            className={CONTROL}
          />
          <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            {parameter.unit}, {parameter.min} to {parameter.max}
            {parameter.step > 1 ? ` in steps of ${parameter.step}` : ""}
          </p>
        </>
      )}
      {props.errors ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-300">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

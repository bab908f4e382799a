"use client";

import { startTransition, useActionState, useState } from "react";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import type { Product } from "@/lib/consumption/catalog";
import type { PriceParameter } from "@/lib/consumption/schemas";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;
type Errors = Record<string, string[] | undefined>;
type Choice = Extract<PriceParameter, { kind: "choice" }>["choices"][number];
type Row = { uid: number; kind: PriceParameter["kind"]; initial?: PriceParameter; choices: { uid: number; initial?: Choice }[] };

let nextUid = 0;
const uid = () => (nextUid += 1);

function rowsOf(product: Product | null): Row[] {
  return (product?.priceTable.parameters ?? []).map((parameter) => ({
    uid: uid(),
    kind: parameter.kind,
    initial: parameter,
    choices: parameter.kind === "choice" ? parameter.choices.map((choice) => ({ uid: uid(), initial: choice })) : [],
  }));
}

/**
 * Adds or edits a product and its price table: the base points a day, then each parameter a
 * configuration chooses, a list of choices (points added, factor applied) or a quantity (points per
 * unit). Fields are named by their path in the product, so the server's errors land on each field.
 */
export function ProductForm({ nodeId, product, action }: { nodeId: string; product: Product | null; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {} as ActionState);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(product));
  const errors: Errors = state.error ? (state.fieldErrors ?? {}) : {};
  const update = (index: number, change: (row: Row) => Row) => setRows((current) => current.map((row, at) => (at === index ? change(row) : row)));
  const table = product?.priceTable;
  return (
    <form
      // Submitted by hand rather than through `action`, which would reset every field: after an error
      // the form keeps what was typed, with each problem next to its field.
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
      noValidate
      className="max-w-4xl space-y-5"
    >
      <input type="hidden" name="nodeId" value={nodeId} />
      <input type="hidden" name="editing" value={product ? "existing" : "new"} />
      {product ? <input type="hidden" name="key" value={product.key} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {product ? null : <Input label="Key" name="key" errors={errors} hint="Lowercase letters, digits and hyphens; it cannot change later." />}
        <Input label="Name" name="name" defaultValue={product?.name} errors={errors} />
        <Input label="Serial prefix" name="priceTable.serialPrefix" defaultValue={table?.serialPrefix} errors={errors} hint="4 to 8 capital letters or digits, such as FGVMML." />
        <Input label="Base points a day" name="priceTable.basePoints" defaultValue={table ? String(table.basePoints) : "0"} errors={errors} numeric />
      </div>
      <FieldError errors={errors} name="priceTable.parameters" />
      {rows.map((row, index) => {
        const at = `priceTable.parameters.${index}`;
        const initial = row.initial?.kind === row.kind ? row.initial : undefined;
        return (
          <fieldset key={row.uid} className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
            <legend className="px-1 text-sm font-semibold">Parameter {index + 1}</legend>
            <div className="grid gap-3 sm:grid-cols-3">
              <label className="space-y-1 text-sm">
                <span className="block font-medium">Kind</span>
                <select name={`${at}.kind`} value={row.kind} onChange={(event) => update(index, (current) => ({ ...current, kind: event.target.value as Row["kind"] }))} className={INPUT}>
                  <option value="choice">A choice</option>
                  <option value="quantity">A quantity</option>
                </select>
              </label>
              <Input label="Key" name={`${at}.key`} defaultValue={row.initial?.key} errors={errors} />
              <Input label="Label" name={`${at}.label`} defaultValue={row.initial?.label} errors={errors} />
            </div>
            {row.kind === "quantity" ? (
              <div className="grid gap-3 sm:grid-cols-5">
                <Input label="Unit" name={`${at}.unit`} defaultValue={initial?.kind === "quantity" ? initial.unit : "units"} errors={errors} />
                <Input label="Minimum" name={`${at}.min`} defaultValue={initial?.kind === "quantity" ? String(initial.min) : "1"} errors={errors} numeric />
                <Input label="Maximum" name={`${at}.max`} defaultValue={initial?.kind === "quantity" ? String(initial.max) : "100"} errors={errors} numeric />
                <Input label="Step" name={`${at}.step`} defaultValue={initial?.kind === "quantity" ? String(initial.step) : "1"} errors={errors} numeric />
                <Input label="Points per unit a day" name={`${at}.pointsPerUnit`} defaultValue={initial?.kind === "quantity" ? String(initial.pointsPerUnit) : ""} errors={errors} numeric />
              </div>
            ) : (
              <div className="space-y-2">
                <FieldError errors={errors} name={`${at}.choices`} />
                {row.choices.map((choice, position) => (
                  <div key={choice.uid} className="grid items-end gap-3 sm:grid-cols-[1fr_2fr_1fr_1fr_auto]">
                    <Input label="Value" name={`${at}.choices.${position}.value`} defaultValue={choice.initial?.value} errors={errors} />
                    <Input label="Label" name={`${at}.choices.${position}.label`} defaultValue={choice.initial?.label} errors={errors} />
                    <Input label="Points a day" name={`${at}.choices.${position}.points`} defaultValue={choice.initial ? String(choice.initial.points) : "0"} errors={errors} numeric />
                    <Input label="Factor" name={`${at}.choices.${position}.factor`} defaultValue={choice.initial ? String(choice.initial.factor) : "1"} errors={errors} numeric />
                    <button type="button" onClick={() => update(index, (current) => ({ ...current, choices: current.choices.filter((other) => other.uid !== choice.uid) }))} className={SMALL}>
                      Remove<span className="sr-only"> choice {position + 1} of parameter {index + 1}</span>
                    </button>
                  </div>
                ))}
                <button type="button" onClick={() => update(index, (current) => ({ ...current, choices: [...current.choices, { uid: uid() }] }))} className={SMALL}>
                  Add a choice<span className="sr-only"> to parameter {index + 1}</span>
                </button>
              </div>
            )}
            <button type="button" onClick={() => setRows((current) => current.filter((other) => other.uid !== row.uid))} className={`${SMALL} text-red-800 dark:text-red-200`}>
              Remove parameter {index + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => setRows((current) => [...current, { uid: uid(), kind: "choice", choices: [{ uid: uid() }] }])} className={SMALL}>
        Add a parameter
      </button>
      <div className="space-y-2">
        <FormError message={state.error} />
        {state.ok ? (
          <p role="status" className="text-sm text-brand-800 dark:text-brand-100">
            {state.message}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
          {pending ? "Saving…" : product ? `Save ${product.name}` : "Add the product"}
        </button>
      </div>
    </form>
  );
}

function Input(props: { label: string; name: string; defaultValue?: string; errors: Errors; hint?: string; numeric?: boolean }) {
  const problems = props.errors[props.name];
  const described = [problems ? `${props.name}-error` : null, props.hint ? `${props.name}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1 text-sm">
      <label htmlFor={props.name} className="block font-medium">
        {props.label}
      </label>
      <input id={props.name} name={props.name} defaultValue={props.defaultValue} inputMode={props.numeric ? "decimal" : undefined} aria-invalid={problems ? true : undefined} aria-describedby={described} className={INPUT} />
      {props.hint ? (
        <p id={`${props.name}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {props.hint}
        </p>
      ) : null}
      <FieldError errors={props.errors} name={props.name} />
    </div>
  );
}

function FieldError({ errors, name }: { errors: Errors; name: string }) {
  const problems = errors[name];
  if (!problems) return null;
  return (
    <p id={`${name}-error`} className="text-sm text-red-700 dark:text-red-300">
      {problems.join(" ")}
    </p>
  );
}

const INPUT = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900";
const SMALL = "rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

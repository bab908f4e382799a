"use client";

import { startTransition, useActionState, useState, useTransition } from "react";
import { FormError } from "@/components/ui/field";
import type { ActionState } from "@/lib/actions/authorized-action";
import { MAX_USAGE_CSV_BYTES } from "@/lib/consumption/schemas";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** Bad lines listed on the page; the rest are counted (the message already says how many there are). */
const SHOWN_ERRORS = 200;

/**
 * Uploads a usage CSV, or only checks it ("Check only": what importing would do, nothing written). The
 * file is read in the browser and sent as text; one above the size limit is refused before it is sent.
 * A file with bad rows imports nothing and comes back with each bad line and its reason, and the choice
 * to import the valid rows only. While the server works, the form says so and stays disabled.
 */
export function UsageImportForm({ nodeId, action }: { nodeId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {} as ActionState);
  const [file, setFile] = useState<{ name: string; size: number; lines: number; csv: string } | null>(null);
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [reading, startReading] = useTransition();
  const badLines = state.error ? Object.entries(state.fieldErrors ?? {}).filter(([key]) => key.startsWith("line ")) : [];
  const otherErrors = state.error ? Object.entries(state.fieldErrors ?? {}).filter(([key]) => key === "csv" || key === "nodeId") : [];

  function choose(chosen: File | undefined) {
    setFile(null);
    setTooLarge(null);
    if (!chosen) return;
    if (chosen.size > MAX_USAGE_CSV_BYTES) {
      const limit = MAX_USAGE_CSV_BYTES / 1024 / 1024;
      return setTooLarge(`${chosen.name} is too large: ${(chosen.size / 1024 / 1024).toFixed(1)} MB. Import at most ${limit} MB at a time (split it by month).`);
    }
    startReading(async () => {
      const csv = await chosen.text();
      setFile({ name: chosen.name, size: chosen.size, lines: csv.split(/\r?\n/).filter((line) => line.trim() !== "").length, csv });
    });
  }

  function submit(importValidRows: boolean, dryRun = false) {
    if (!file) return;
    const data = new FormData();
    data.set("nodeId", nodeId);
    data.set("csv", file.csv);
    data.set("importValidRows", String(importValidRows));
    data.set("dryRun", String(dryRun));
    setChecking(dryRun);
    startTransition(() => formAction(data));
  }

  return (
    <div className="max-w-3xl space-y-4">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit(false);
        }}
        className="space-y-3"
        aria-describedby="usage-format"
      >
        <div className="space-y-1">
          <label htmlFor="usage-file" className="block text-sm font-medium">
            Usage file (CSV)
          </label>
          <input
            id="usage-file"
            type="file"
            accept=".csv,text/csv"
            disabled={pending}
            onChange={(event) => choose(event.target.files?.[0])}
            aria-invalid={tooLarge ? true : undefined}
            aria-errormessage={tooLarge ? "usage-file-error" : undefined}
            className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:font-medium dark:file:border-slate-700 dark:file:bg-slate-900 dark:file:text-slate-100"
          />
          <p id="usage-format" className="text-xs text-slate-600 dark:text-slate-400">
            The first line is the header <code>serial_number,day,points</code>; then one line per entitlement and day, such as{" "}
            <code>FGVMMLTM26000001,2026-03-14,6.4</code>. Days are UTC dates; a day already recorded is replaced. At most 50,000 rows and 5 MB.
          </p>
        </div>
        {tooLarge ? (
          <p id="usage-file-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
            {tooLarge}
          </p>
        ) : null}
        {file ? (
          <p className="text-sm">
            {file.name}: {file.lines.toLocaleString("en")} lines, {(file.size / 1024).toFixed(1)} KB.
          </p>
        ) : null}
        <div className="flex flex-wrap gap-3">
          <button type="submit" disabled={!file || pending || reading} className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
            {pending && !checking ? "Importing…" : "Check and import"}
          </button>
          <button
            type="button"
            onClick={() => submit(false, true)}
            disabled={!file || pending || reading}
            className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            {pending && checking ? "Checking…" : "Check only"}
          </button>
        </div>
      </form>

      <div role="status" aria-live="polite" className="space-y-2">
        {pending ? (
          <div className="space-y-1">
            <p className="text-sm">
              {checking ? "Checking" : "Importing"} {file ? `${Math.max(0, file.lines - 1).toLocaleString("en")} rows` : "the file"}:{" "}
              {checking ? "checking every row against the entitlements and the usage already recorded…" : "checking every row, then recording them and updating the totals…"}
            </p>
            <div aria-hidden="true" className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
              <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-600" />
            </div>
          </div>
        ) : state.ok ? (
          <p className="rounded-md border border-brand-600 bg-brand-50 px-3 py-2 text-sm text-brand-900 dark:bg-brand-900 dark:text-brand-50">{state.message}</p>
        ) : null}
      </div>
      {!pending ? <FormError message={state.error} /> : null}
      {!pending && otherErrors.length > 0 ? <p className="text-sm text-red-700 dark:text-red-300">{otherErrors.flatMap(([, reasons]) => reasons ?? []).join(" ")}</p> : null}

      {!pending && badLines.length > 0 ? (
        <section aria-labelledby="bad-lines" className="space-y-3">
          <h2 id="bad-lines" className="text-lg font-semibold">
            Lines with errors
          </h2>
          <div className="max-h-96 overflow-auto rounded-md border border-slate-200 dark:border-slate-800">
            <table className="w-full text-left text-sm">
              <thead className="sticky top-0 bg-slate-100 text-slate-600 dark:bg-slate-900 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Line
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Reason
                  </th>
                </tr>
              </thead>
              <tbody>
                {badLines.slice(0, SHOWN_ERRORS).map(([key, reasons]) => (
                  <tr key={key} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-3 py-1.5 tabular-nums">{key.slice("line ".length)}</td>
                    <td className="px-3 py-1.5">{reasons?.join(" ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {badLines.length > SHOWN_ERRORS ? <p className="text-sm text-slate-600 dark:text-slate-400">The first {SHOWN_ERRORS} of {badLines.length.toLocaleString("en")} lines with errors.</p> : null}
          {file && file.lines - 1 > badLines.length ? (
            <button type="button" onClick={() => submit(true)} className="rounded-md border border-brand-700 px-4 py-2 font-medium text-brand-800 hover:bg-brand-50 dark:border-brand-500 dark:text-brand-100 dark:hover:bg-brand-900">
              Import the rows without errors only
            </button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

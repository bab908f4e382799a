"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { importUsageCsvInput } from "@/lib/consumption/schemas";
import { importUsageCsv, type UsageCsvReport } from "@/lib/consumption/usage-csv";
import { DomainError } from "@/lib/errors";

const rows = (count: number) => `${count.toLocaleString("en")} row${count === 1 ? "" : "s"}`;
const counts = (report: UsageCsvReport) =>
  `${report.inserted.toLocaleString("en")} new, ${report.replaced.toLocaleString("en")} replaced, ${report.unchanged.toLocaleString("en")} unchanged`;

/**
 * Imports a usage CSV, or only checks it (`dryRun`: what importing would do, writing nothing). A file
 * with bad rows imports nothing and comes back as an error listing each bad line (its field errors,
 * keyed "line N"), so that the page can offer to import the valid rows only.
 */
export const importUsageAction = authorizedAction({ input: importUsageCsvInput, permission: "entitlement.manage", node: (input) => input.nodeId }, async (ctx, input) => {
  const report = await importUsageCsv(ctx, input);
  const have = report.rejected === 1 ? "has" : "have";
  if (report.dryRun) {
    const lines = Object.fromEntries(report.errors.map((error) => [`line ${error.line}`, [error.reason]]));
    if (report.rejected > 0) {
      const valid = report.valid > 0 ? ` Importing the ${rows(report.valid)} without errors would give ${counts(report)}.` : "";
      throw new DomainError("invalid", `Checked: ${report.rejected.toLocaleString("en")} of ${rows(report.rejected + report.valid)} ${have} errors.${valid} Nothing was imported.`, { fieldErrors: lines });
    }
    return `Checked ${rows(report.valid)}, all valid: importing would give ${counts(report)}. Nothing was imported yet.`;
  }
  if (!report.imported) {
    const lines = Object.fromEntries(report.errors.map((error) => [`line ${error.line}`, [error.reason]]));
    const offer = report.valid > 0 ? ` Fix the file and upload it again, or import the ${rows(report.valid)} without errors only.` : " Fix the file and upload it again.";
    throw new DomainError("invalid", `${report.rejected.toLocaleString("en")} of ${rows(report.rejected + report.valid)} ${have} errors, so nothing was imported.${offer}`, { fieldErrors: lines });
  }
  const skipped = report.rejected > 0 ? ` ${rows(report.rejected)} with errors ${report.rejected === 1 ? "was" : "were"} skipped.` : "";
  return `Imported ${rows(report.valid)}: ${counts(report)}.${skipped}`;
});

"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { importUsageCsvInput } from "@/lib/consumption/schemas";
import { importUsageCsv } from "@/lib/consumption/usage-csv";
import { DomainError } from "@/lib/errors";

const rows = (count: number) => `${count.toLocaleString("en")} row${count === 1 ? "" : "s"}`;

/**
 * Imports a usage CSV. A file with bad rows imports nothing and comes back as an error listing each
 * bad line (its field errors, keyed "line N"), so that the page can offer to import the valid rows only.
 */
export const importUsageAction = authorizedAction({ input: importUsageCsvInput, permission: "entitlement.manage", node: (input) => input.nodeId }, async (ctx, input) => {
  const report = await importUsageCsv(ctx, input);
  if (!report.imported) {
    const lines = Object.fromEntries(report.errors.map((error) => [`line ${error.line}`, [error.reason]]));
    const offer = report.valid > 0 ? ` Fix the file and upload it again, or import the ${rows(report.valid)} without errors only.` : " Fix the file and upload it again.";
    const have = report.rejected === 1 ? "has" : "have";
    throw new DomainError("invalid", `${report.rejected.toLocaleString("en")} of ${rows(report.rejected + report.valid)} ${have} errors, so nothing was imported.${offer}`, { fieldErrors: lines });
  }
  const skipped = report.rejected > 0 ? ` ${rows(report.rejected)} with errors ${report.rejected === 1 ? "was" : "were"} skipped.` : "";
  return `Imported ${rows(report.valid)}: ${report.inserted.toLocaleString("en")} new, ${report.replaced.toLocaleString("en")} replaced, ${report.unchanged.toLocaleString("en")} unchanged.${skipped}`;
});

import "server-only";
import { CsvError, parse } from "csv-parse/sync";
import { authorize } from "@/lib/audit/record";
import { formatBytes } from "@/lib/api/body";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { importUsageCsvInput, MAX_USAGE_CSV_BYTES, MAX_USAGE_ROWS, type UsageRowInput } from "./schemas";
import { loadNode } from "./scope";
import { ingestUsage, type UsageReport } from "./usage";
import type { RefusedRow } from "./usage-rows";

/**
 * The usage CSV: UTF-8 (a byte-order mark is fine), comma-separated, this header, then one row per
 * entitlement and day, e.g. `FGVMMLTM26000123,2026-03-14,6.4`. Days are UTC calendar days, points
 * have at most four decimals. Blank lines are skipped; fields may be quoted.
 */
export const USAGE_CSV_HEADER = ["serial_number", "day", "points"] as const;

export interface UsageCsvReport extends Omit<UsageReport, "errors"> {
  /** Every refused row: its line in the file (the header is line 1) and why. */
  errors: { line: number; reason: string }[];
}

/**
 * Imports a usage CSV into the node's organizations: every bad row is reported with its line and
 * reason, and a file with bad rows imports nothing unless `importValidRows` is set; `dryRun` checks the
 * file and counts what importing it would do, writing nothing. Needs
 * entitlement.manage on the node (and on each row's organization).
 */
export async function importUsageCsv(ctx: ServiceContext, raw: unknown): Promise<UsageCsvReport> {
  const input = parseInput(importUsageCsvInput, raw);
  const node = await loadNode(ctx, input.nodeId);
  await authorize(ctx, "usage.import", "entitlement.manage", node);
  const { rows, lines } = readUsageCsv(input.csv);
  const report = await ingestUsage(ctx, node!, rows, { action: "usage.import", importValidRows: input.importValidRows, dryRun: input.dryRun, rowName: (index) => `line ${lines[index]}` });
  return { ...report, errors: report.errors.map((error) => ({ line: lines[error.index]!, reason: error.reason })) };
}

/** The file's rows and the line each ends on; a file that is too large, not CSV or without the header is refused whole. */
function readUsageCsv(csv: string): { rows: (UsageRowInput | RefusedRow)[]; lines: number[] } {
  const bytes = Buffer.byteLength(csv, "utf8");
  if (bytes > MAX_USAGE_CSV_BYTES) {
    const size = (bytes / 1024 / 1024).toFixed(1);
    throw new DomainError("too_large", `The file is ${size} MB; import at most ${formatBytes(MAX_USAGE_CSV_BYTES)} at a time (split it by month).`, {
      fieldErrors: { csv: ["The file is too large."] },
    });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new DomainError("invalid", `The file is not valid CSV: ${error.message}.`, { fieldErrors: { csv: [error.message] } });
  }
  const [header, ...data] = records;
  if (!header || header.record.map((field) => field.toLowerCase()).join(",") !== USAGE_CSV_HEADER.join(",")) {
    throw new DomainError("invalid", `The first line must be the header ${USAGE_CSV_HEADER.join(",")}.`, { fieldErrors: { csv: ["Missing or wrong header."] } });
  }
  if (data.length === 0) throw new DomainError("invalid", "The file has no rows below its header.", { fieldErrors: { csv: ["No rows."] } });
  if (data.length > MAX_USAGE_ROWS) {
    throw new DomainError("invalid", `The file has ${data.length.toLocaleString("en")} rows; import at most ${MAX_USAGE_ROWS.toLocaleString("en")} at a time.`, {
      fieldErrors: { csv: ["Too many rows."] },
    });
  }
  const rows = data.map(({ record }): UsageRowInput | RefusedRow => {
    // A row with the wrong number of fields is reported with the others, at its line.
    if (record.length !== USAGE_CSV_HEADER.length) return { refused: `The row has ${record.length} field${record.length === 1 ? "" : "s"}; expected 3 (${USAGE_CSV_HEADER.join(",")}).` };
    return { serialNumber: record[0], day: record[1]!, points: record[2]! };
  });
  return { rows, lines: data.map(({ info }) => info.lines) };
}

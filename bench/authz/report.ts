import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface TargetRow {
  metric: string;
  value: string;
  target: string;
  /** null when the figure is missing (e.g. no server). */
  met: boolean | null;
}

/** Formats a number for the table: null-safe, with sensible precision. */
export function fmt(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

/** ≤ comparison that stays null when the value is missing. */
export function atMost(value: number | null | undefined, limit: number): boolean | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : value <= limit;
}

export function printTable(title: string, rows: TargetRow[]): void {
  const status = (met: boolean | null) => (met === null ? "-" : met ? "ok" : "MISSED");
  const cells = rows.map((row) => [row.metric, row.value, row.target, status(row.met)]);
  const header = ["metric", "value", "target", "status"];
  const widths = header.map((name, column) => Math.max(name.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (cell: string[]) => cell.map((text, column) => text.padEnd(widths[column]!)).join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const cell of cells) console.log(line(cell));
}

export async function writeResults(file: string, results: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}

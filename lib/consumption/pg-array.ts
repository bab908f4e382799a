/**
 * A PostgreSQL array literal of plain values (ids, days, paths, decimals — nothing that needs quoting):
 * one parameter whatever the length, so a batch of ten thousand rows is still one statement.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.join(",")}}`;
}

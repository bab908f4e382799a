import { isCalendarDay } from "./calendar";
import { MAX_DAILY_POINTS, type UsageRowInput } from "./schemas";

// The checks a usage row passes before the database is asked anything: its identifier, day and points.

export type CheckedRow =
  | { ok: true; serialNumber: string | null; entitlementId: string | null; day: string; points: string }
  | { ok: false; reason: string };

/** A row its reader already refused (a CSV line with the wrong number of fields), reported with the others. */
export interface RefusedRow {
  refused: string;
}

const SERIAL = /^[A-Z0-9][A-Z0-9-]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** A value as it appears in a message: quoted, and cut short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** Points as decimal text, or why they are not acceptable. */
function checkPoints(value: number | string): { points: string } | { reason: string } {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
  if (text === "") return { reason: "The points are missing or not a number." };
  if (/^-\d/.test(text) || (typeof value === "number" && value < 0)) return { reason: "Points cannot be negative." };
  if (!DECIMAL.test(text)) return { reason: `${shown(text)} is not a number of points.` };
  if ((text.split(".")[1] ?? "").replace(/0+$/, "").length > 4) return { reason: "Points have at most four decimals." };
  if (Number(text) > MAX_DAILY_POINTS) return { reason: `Points above ${MAX_DAILY_POINTS.toLocaleString("en")} a day are not plausible.` };
  return { points: text };
}

/** Checks one row against everything but the database; `today` is the last day that may have usage. */
export function checkUsageRow(row: UsageRowInput | RefusedRow, today: string): CheckedRow {
  if ("refused" in row) return { ok: false, reason: row.refused };
  const serial = row.serialNumber?.trim().toUpperCase() || null;
  const id = row.entitlementId?.trim().toLowerCase() || null;
  if (serial === null && id === null) return { ok: false, reason: "The serial number is missing." };
  if (serial !== null && id !== null) return { ok: false, reason: "Give the serial number or the entitlement id, not both." };
  if (serial !== null && !SERIAL.test(serial)) return { ok: false, reason: `${shown(serial)} is not a serial number.` };
  if (id !== null && !UUID.test(id)) return { ok: false, reason: `${shown(id)} is not an entitlement id.` };
  const day = row.day.trim();
  if (!isCalendarDay(day)) return { ok: false, reason: `${shown(day)} is not a day written YYYY-MM-DD.` };
  if (day > today) return { ok: false, reason: `${day} is in the future (today is ${today}).` };
  const points = checkPoints(row.points);
  if ("reason" in points) return { ok: false, reason: points.reason };
  return { ok: true, serialNumber: serial, entitlementId: id, day, points: points.points };
}

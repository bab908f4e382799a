import { and, asc, desc, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { principals, principalStatus } from "@/db/schema";
import { decodeCursor, encodeCursor, invalidCursor } from "@/lib/cursor";

// How the members list sorts, and where a keyset page after a cursor starts in that order.

export const MEMBER_SORTS = ["name", "email", "status", "lastSignIn"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export type SortDirection = "asc" | "desc";

/** Every order ends on the id, so that paging is stable and each principal appears exactly once. */
export function memberOrdering(sort: MemberSort, dir: SortDirection): SQL[] {
  const by = dir === "asc" ? asc : desc;
  switch (sort) {
    case "email":
      return [by(principals.email), by(principals.id)];
    case "status":
      return [by(principals.status), by(principals.name), by(principals.id)];
    // Most recent first, "never" last; ascending is its exact reverse. Both walk the same index.
    case "lastSignIn":
      return dir === "desc"
        ? [sql`${principals.lastSignInAt} desc nulls last`, sql`${principals.id} desc nulls last`]
        : [sql`${principals.lastSignInAt} asc nulls first`, sql`${principals.id} asc nulls first`];
    default:
      return [by(principals.name), by(principals.id)];
  }
}

/** The columns a position is read from; the sign-in time as text keeps its microseconds. */
export const positionColumns = {
  id: principals.id,
  name: principals.name,
  email: principals.email,
  status: principals.status,
  lastSignInKey: sql<string | null>`${principals.lastSignInAt}::text`,
};

type PositionRow = { id: string; name: string; email: string | null; status: string; lastSignInKey: string | null };

const positionShape = z.object({
  sort: z.enum(MEMBER_SORTS),
  dir: z.enum(["asc", "desc"]),
  /** The sort values of the row before the page, without its id. */
  keys: z.array(z.string().nullable()).max(2),
  id: z.uuid(),
});
type Position = z.output<typeof positionShape>;

/** PostgreSQL's text form of a timestamptz, which casts back without losing a microsecond. */
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;

/** The shape, and fields that name a real instant: 30 February or hour 25 would fail in the cast as a 500. */
function isPgTimestamp(text: string): boolean {
  const match = PG_TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes = "0", offsetSeconds = "0"] = match.slice(1);
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const realDay = Number(year) > 0 && date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  return realDay && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60 && Number(offsetHours) <= 15 && Number(offsetMinutes) < 60 && Number(offsetSeconds) < 60;
}

/** What each sort's keys must be: the values go into SQL casts, so a tampered cursor is refused first. */
const KEYS: Readonly<Record<MemberSort, z.ZodType>> = {
  name: z.tuple([z.string()]),
  email: z.tuple([z.string().nullable()]),
  status: z.tuple([z.enum(principalStatus.enumValues), z.string()]),
  lastSignIn: z.tuple([z.string().refine(isPgTimestamp).nullable()]),
};

export function encodePosition(sort: MemberSort, dir: SortDirection, row: PositionRow): string {
  const keys = sort === "status" ? [row.status, row.name] : [sort === "name" ? row.name : sort === "email" ? row.email : row.lastSignInKey];
  return encodeCursor({ sort, dir, keys, id: row.id } satisfies Position);
}

/** A cursor of this very sort and direction: one of another order would skip or repeat members. */
export function decodePosition(cursor: string, sort: MemberSort, dir: SortDirection): Position {
  const position = decodeCursor(cursor, positionShape);
  if (position.sort !== sort || position.dir !== dir || !KEYS[sort].safeParse(position.keys).success) throw invalidCursor();
  return position;
}

/**
 * The conditions of the stretches of the order that follow `after`, in order. A nullable sort column
 * splits the order in two stretches, its values and its nulls (nulls last when ascending by email or
 * descending by sign-in, first otherwise); each stretch is one index range from a row comparison.
 * From the start, one stretch does: the order's own nulls placement covers both.
 */
export function segmentsAfter(sort: MemberSort, dir: SortDirection, after: Position | null): SQL[] {
  if (!after) return [sql`true`];
  const beyond = dir === "asc" ? sql.raw(">") : sql.raw("<");
  const id = sql`${after.id}::uuid`;
  if (sort === "name" || sort === "status") {
    return sort === "name"
      ? [sql`(${principals.name}, ${principals.id}) ${beyond} (${after.keys[0]}, ${id})`]
      : [sql`(${principals.status}, ${principals.name}, ${principals.id}) ${beyond} (${after.keys[0]}::principal_status, ${after.keys[1]}, ${id})`];
  }
  const column = sort === "email" ? principals.email : principals.lastSignInAt;
  const nullsFirst = (sort === "email") === (dir === "desc");
  const allValues = isNotNull(column);
  const allNulls = isNull(column);
  const value = after.keys[0] ?? null;
  if (value === null) {
    const restOfNulls = and(allNulls, sql`${principals.id} ${beyond} ${id}`)!;
    return nullsFirst ? [restOfNulls, allValues] : [restOfNulls];
  }
  const typed = sort === "email" ? sql`${value}` : sql`${value}::timestamptz`;
  const restOfValues = sql`(${column}, ${principals.id}) ${beyond} (${typed}, ${id})`;
  return nullsFirst ? [restOfValues] : [restOfValues, allNulls];
}

import type { z } from "zod";
import { DomainError } from "@/lib/errors";

// Keyset cursors: the sort position of a page's last row, opaque to callers (base64url JSON).

/** The cursor of a position in a keyset order. */
export function encodeCursor<T>(position: T): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position a cursor names; a malformed or tampered cursor is bad input, not a failure. */
export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.output<T> {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // an unreadable cursor gets the same clear error as a malformed one
  }
  throw invalidCursor();
}

export function invalidCursor(): DomainError {
  return new DomainError("invalid", "The cursor is not valid; start again without it.", { fieldErrors: { cursor: ["Invalid cursor."] } });
}

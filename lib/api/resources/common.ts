import { z } from "zod";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "@/lib/authz/queries";

export const idParams = z.object({ id: z.uuid("Not a valid id.") });

export const timestamp = z.iso.datetime({ offset: false });

/** Cursor pagination: `limit` items from after `cursor`; the answer's `nextCursor` continues. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int("Use a whole number.")
    .min(1, "Use at least 1.")
    .max(MAX_PAGE_SIZE, `Use at most ${MAX_PAGE_SIZE}.`)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: `Page size, default ${DEFAULT_PAGE_SIZE}.` }),
  cursor: z.string().min(1).optional().meta({ description: "The `nextCursor` of the previous page." }),
};

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

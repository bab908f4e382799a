import { z } from "zod";
import { DomainError } from "@/lib/errors";

/** Parses input with a zod schema; bad input becomes a DomainError with every field's messages. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { fieldErrors, formErrors } = z.flattenError(parsed.error);
  const fields = fieldErrors as Record<string, string[]>;
  const first = formErrors[0] ?? Object.values(fields).flat()[0] ?? "The input is not valid.";
  throw new DomainError("invalid", first, { fieldErrors: fields });
}

import { z } from "zod";
import type { StepFailure } from "./sign-in";

// The sign-in steps answer over plain HTTP, so that a refusal for too many attempts is a real 429
// with Retry-After, and every other refusal a 4xx with a message the form shows.

export interface StepBody {
  next?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  recoveryCodes?: string[];
}

export const SESSION_EXPIRED = "Your sign-in has expired. Start again.";

export function waitMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export function tooManyAttempts(seconds: number): Response {
  return Response.json({ error: waitMessage(seconds) } satisfies StepBody, { status: 429, headers: { "Retry-After": String(seconds) } });
}

export function invalidInput(error: z.ZodError): Response {
  return Response.json({ error: "Check the highlighted fields.", fieldErrors: z.flattenError(error).fieldErrors } satisfies StepBody, { status: 400 });
}

export function refused(message: string, status = 401): Response {
  return Response.json({ error: message } satisfies StepBody, { status });
}

/** The HTTP answer to a failed second step. */
export function stepFailure(failure: StepFailure, invalidMessage: string): Response {
  if (failure.reason === "rate_limited") return tooManyAttempts(failure.retryAfter ?? 60);
  if (failure.reason === "expired") return refused(SESSION_EXPIRED);
  return refused(invalidMessage, 400);
}

/** Form fields as plain strings; a body that is not a form is treated as an empty one. */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const form = await request.formData().catch(() => null);
  const fields: Record<string, string> = {};
  form?.forEach((value, key) => {
    if (typeof value === "string") fields[key] = value;
  });
  return fields;
}

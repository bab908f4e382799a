import { z } from "zod";
import { HTTP_STATUS, type ErrorCode } from "@/lib/errors";

/** Kinds of API error beyond the domain's own: each has a stable `type` URI of its own. */
export type ProblemKind = ErrorCode | "idempotency_mismatch" | "idempotency_in_progress" | "method_not_allowed";

const STATUS: Readonly<Record<ProblemKind, number>> = {
  ...HTTP_STATUS,
  idempotency_mismatch: 422,
  idempotency_in_progress: 409,
  method_not_allowed: 405,
};

const TITLE: Readonly<Record<ProblemKind, string>> = {
  invalid: "The request is not valid",
  unauthenticated: "Authentication required",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Conflict",
  precondition_failed: "Precondition failed",
  too_large: "Request body too large",
  rate_limited: "Too many requests",
  internal: "Internal error",
  idempotency_mismatch: "Idempotency key reused with another request",
  idempotency_in_progress: "A request with this idempotency key is still running",
  method_not_allowed: "Method not allowed",
};

/** The `type` of a problem: a stable URI per kind, documented on the API reference page. */
export function problemType(kind: ProblemKind): string {
  return `/api/docs#problem-${kind.replaceAll("_", "-")}`;
}

export const PROBLEM_KINDS = Object.keys(STATUS) as ProblemKind[];

export function problemTitle(kind: ProblemKind): string {
  return TITLE[kind];
}

export function problemStatus(kind: ProblemKind): number {
  return STATUS[kind];
}

/** RFC 9457 problem details, with field errors for invalid input. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
    rule: z.number().int().optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

export type Problem = z.infer<typeof problemSchema>;

/** A problem+json response; `headers` for Retry-After, WWW-Authenticate and the like. */
export function problemResponse(
  kind: ProblemKind,
  detail: string,
  extras: { errors?: Record<string, string[]>; rule?: number; headers?: Record<string, string> } = {},
): Response {
  const body: Problem = { type: problemType(kind), title: TITLE[kind], status: STATUS[kind], detail };
  if (extras.errors && Object.keys(extras.errors).length > 0) body.errors = extras.errors;
  if (extras.rule !== undefined) body.rule = extras.rule;
  return new Response(JSON.stringify(body), {
    status: STATUS[kind],
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...extras.headers },
  });
}

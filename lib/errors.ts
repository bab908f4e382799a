/** Kinds of failure a domain service reports; each maps to one HTTP status. */
export type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "too_large"
  | "rate_limited"
  | "internal";

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export interface ErrorDetails {
  fieldErrors?: Record<string, string[]>;
  /** The grant rule of SPEC §4 that refused, when one did. */
  rule?: number;
  /** Seconds until a rate-limited caller may try again. */
  retryAfter?: number;
}

/** A failure meant for the caller: its message is safe to show. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** The same answer for "does not exist" and "you may not see it": no probing by id. */
export function notFound(what = "node"): DomainError {
  return new DomainError("not_found", `No such ${what}, or you do not have access to it.`);
}

import type { z } from "zod";
import type { Permission } from "@/lib/authz";
import type { ApiTag } from "./tags";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * The contract of one API operation: what the route handler parses and answers, and what the
 * OpenAPI document says about it. One definition serves both, so the document cannot drift.
 */
export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. `/nodes/{id}`. */
  path: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  /**
   * The one permission the operation needs: checked by the wrapper on the node its `node` function
   * names, else by the service itself (when the node is known only once the target is loaded). Null
   * only for reads about the caller itself.
   */
  permission: Permission | null;
  params?: P;
  query?: Q;
  body?: B;
  /** "csv": the body is a text/csv file handed to `body` (a string schema) as sent; JSON otherwise. */
  bodyFormat?: "csv";
  /** The most bytes the body may have (413 beyond); 1 MB when left out. */
  maxBodyBytes?: number;
  /** 204 answers have no body: their schema is `z.null()`. */
  response: { status: 200 | 201 | 204; schema: R; description: string };
  /**
   * Every GET answers with an ETag and honours If-None-Match without saying so. Other methods: "read",
   * the answer carries the tag of what it created or changed; "if-match", a change that also honours
   * If-Match and answers with the new tag.
   */
  etag?: "read" | "if-match";
}

/** Whether the operation's success answer carries an ETag: every read does, and the changes that say so. */
export function answersWithEtag(operation: Operation): boolean {
  return operation.method === "GET" || operation.etag !== undefined;
}

/** Keeps an operation's literal types while checking it against the contract. */
export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
): Operation<P, Q, B, R> {
  return operation;
}

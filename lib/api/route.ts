import "server-only";
import { z } from "zod";
import { getDatabase } from "@/db/client";
import { authorize } from "@/lib/audit/record";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { authenticateRequest } from "./authenticate";
import { DEFAULT_MAX_BODY_BYTES, readBodyText } from "./body";
import { contentEtag, isNotModified } from "./etag";
import { claimIdempotencyKey, IdempotencyError, requestHash, type IdempotencyClaim } from "./idempotency";
import { answersWithEtag, type Operation } from "./operation";
import { problemResponse, type ProblemKind } from "./problem";

export interface ApiInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: Request;
  /** The node the wrapper checked the permission on, when the operation names one. */
  node: TreeNode | null;
}

export interface ApiResult {
  body: unknown;
  /**
   * A strong ETag for the returned version of the resource; when the operation answers with an ETag
   * (every read does) and none is given, the hash of the answer is the tag.
   */
  etag?: string;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * The twin of `authorizedAction` for route handlers: bearer token → the client's context, loaded
 * fresh → input parsed with the operation's schemas → the shared check on the operation's node (a
 * denial is audited) → the domain service → JSON checked against the documented response schema,
 * with an ETag on every read (304 with no body when If-None-Match names it). Every failure is an
 * RFC 9457 problem; nothing unexpected reaches the caller but a generic message.
 */
export function apiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
  config: {
    /**
     * The node the operation's permission is needed on, from the parsed input; null refuses like a
     * node that does not exist; undefined names none (a list that the service filters by permission).
     */
    node?: (input: Omit<ApiInput<z.output<P>, z.output<Q>, z.output<B>>, "node">) => string | null | undefined;
  },
  run: (ctx: ServiceContext, input: ApiInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<ApiResult>,
) {
  return async (request: Request, route: RouteContext): Promise<Response> => {
    let claim: IdempotencyClaim | null = null;
    try {
      const db = await getDatabase();
      const authz = await authenticateRequest(db, request, new Date());
      const ctx: ServiceContext = { db, authz, request: clientInfoFrom(request.headers) };
      const rawBody = operation.body ? await readBodyText(request, operation.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) : "";
      const input = {
        params: parse("params", operation.params, await route.params),
        query: parse("query", operation.query, Object.fromEntries(new URL(request.url).searchParams)),
        body: parse("body", operation.body, operation.body ? readBody(operation, request, rawBody) : undefined),
        request,
        node: null,
      } as ApiInput<z.output<P>, z.output<Q>, z.output<B>>;

      const key = operation.method === "POST" ? request.headers.get("idempotency-key") : null;
      if (key !== null) {
        claim = await claimIdempotencyKey(db, authz, key, requestHash(operation.method, new URL(request.url).pathname, rawBody));
        if (claim.kind === "replay") {
          const headers: Record<string, string> = { "idempotent-replayed": "true", ...(claim.etag ? { etag: claim.etag } : {}) };
          return claim.status === 204 ? new Response(null, { status: 204, headers }) : json(claim.status, claim.body, headers);
        }
      }

      if (operation.permission && config.node) {
        const nodeId = config.node(input);
        if (nodeId !== undefined) {
          input.node = nodeId ? await loadTreeNode(db, authz.principal.accountId, { id: nodeId }, authz.now) : null;
          await authorize(ctx, `api.${operation.operationId}`, operation.permission, input.node);
        }
      }
      const result = await run(ctx, input);
      if (operation.response.status === 204) {
        if (claim?.kind === "first") await claim.complete(204, null);
        return new Response(null, { status: 204 });
      }
      const body = operation.response.schema.parse(JSON.parse(JSON.stringify(result.body)));
      const etag = result.etag ?? (answersWithEtag(operation) ? contentEtag(body) : undefined);
      if (claim?.kind === "first") await claim.complete(operation.response.status, body, etag);
      if (etag && operation.method === "GET" && isNotModified(request, etag)) {
        return new Response(null, { status: 304, headers: { etag, "cache-control": "no-store" } });
      }
      return json(operation.response.status, body, etag ? { etag } : {});
    } catch (error) {
      const response = toProblem(error);
      if (claim?.kind === "first") {
        // A domain refusal is an answer like any other; an unexpected failure lets the client retry.
        if (response.status < 500) await claim.complete(response.status, await response.clone().json());
        else await claim.release().catch(() => undefined);
      }
      return response;
    }
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });
}

function readBody(operation: Operation, request: Request, text: string): unknown {
  if (operation.bodyFormat !== "csv") return parseJson(text);
  const type = request.headers.get("content-type")?.split(";")[0]!.trim().toLowerCase();
  if (type !== "text/csv") throw new DomainError("invalid", "Send the file with Content-Type: text/csv.");
  return text;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid", "The body is not valid JSON.");
  }
}

function parse(where: "params" | "query" | "body", schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { fieldErrors, formErrors } = z.flattenError(parsed.error);
  const fields = fieldErrors as Record<string, string[]>;
  const first = formErrors[0] ?? Object.values(fields).flat()[0] ?? "The input is not valid.";
  throw new DomainError("invalid", where === "body" ? first : `Invalid ${where}: ${first}`, { fieldErrors: fields });
}

/** Maps any failure to a problem response; only domain errors say what went wrong. */
export function toProblem(error: unknown): Response {
  if (error instanceof IdempotencyError) return problemResponse(error.kind, error.message);
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error.code === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="arbor"';
    if (error.code === "rate_limited" && error.details.retryAfter) headers["retry-after"] = String(error.details.retryAfter);
    return problemResponse(error.code as ProblemKind, error.message, { errors: error.details.fieldErrors, rule: error.details.rule, headers });
  }
  console.error("arbor: API request failed", error);
  return problemResponse("internal", "Something went wrong. Try again; if it keeps failing, tell your operator.");
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { nodes } from "@/db/schema";
import { getRequestContext } from "@/lib/auth/request-context";
import { DomainError, HTTP_STATUS } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

type Handler = (ctx: ServiceContext, nodeId: string, params: URLSearchParams) => Promise<unknown>;

// An id no node has: an unknown slug then meets the service's check like a node the caller may not read.
const NO_NODE = "00000000-0000-4000-8000-000000000000";

/**
 * A GET route handler for the tree's reads on the node named in the URL, answering JSON. The handler
 * calls a read function that makes the shared check; domain errors become their HTTP status.
 */
export function jsonRoute(handler: Handler) {
  return async (request: Request, { params }: { params: Promise<{ node: string }> }): Promise<Response> => {
    const context = await getRequestContext();
    if (!context) return Response.json({ error: "Sign in first." }, { status: 401 });
    const { node: slug } = await params;
    const [node] = await context.db
      .select({ id: nodes.id })
      .from(nodes)
      .where(and(eq(nodes.accountId, context.authz.principal.accountId), eq(nodes.slug, decodeURIComponent(slug))));
    try {
      const ctx = { db: context.db, authz: context.authz, request: context.request };
      const body = await handler(ctx, node?.id ?? NO_NODE, new URL(request.url).searchParams);
      return Response.json(body, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      if (error instanceof DomainError) return Response.json({ error: error.message, fieldErrors: error.details.fieldErrors }, { status: HTTP_STATUS[error.code] });
      console.error("arbor: tree read failed", error);
      return Response.json({ error: "Something went wrong; try again." }, { status: 500 });
    }
  };
}

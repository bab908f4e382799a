import "server-only";
import { loadTreeNode, type TreeNode } from "@/lib/authz/queries";
import { getRequestContext } from "@/lib/auth/request-context";
import type { CsvFile } from "@/lib/consumption/export";
import { DomainError, HTTP_STATUS } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

/** No node has this id: an unknown slug goes to the service as it, to be refused like any node the caller may not read. */
const NO_NODE = "00000000-0000-4000-8000-000000000000";

type Build = (ctx: ServiceContext, node: Pick<TreeNode, "id" | "kind">, search: Record<string, string>) => Promise<CsvFile>;

/**
 * A consumption table as a CSV download, for the node in the URL and the page's filters. The export
 * service runs the same read as the page, so it authorizes exactly as the page does (and audits a
 * denial); an unknown node and one the caller may not read get the same 404.
 */
export function csvRoute(build: Build) {
  return async (request: Request, { params }: { params: Promise<{ node: string }> }): Promise<Response> => {
    const context = await getRequestContext();
    if (!context) return Response.json({ error: "Sign in first." }, { status: 401 });
    const ctx: ServiceContext = { db: context.db, authz: context.authz, request: context.request };
    const { node: slug } = await params;
    const node = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { slug: decodeURIComponent(slug) }, ctx.authz.now);
    const search = Object.fromEntries(new URL(request.url).searchParams);
    try {
      const file = await build(ctx, node ?? { id: NO_NODE, kind: "group" }, search);
      return new Response(file.csv, {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${file.filename.replace(/[^\w.-]/g, "_")}"`,
          "Cache-Control": "no-store",
        },
      });
    } catch (error) {
      if (error instanceof DomainError) return Response.json({ error: error.message, fieldErrors: error.details.fieldErrors }, { status: HTTP_STATUS[error.code] });
      throw error;
    }
  };
}

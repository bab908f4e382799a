import { and, eq } from "drizzle-orm";
import { nodes } from "@/db/schema";
import { auditEventsCsv } from "@/lib/audit/read";
import { getRequestContext } from "@/lib/auth/request-context";
import { DomainError, HTTP_STATUS } from "@/lib/errors";

/** The audit log as CSV, with the page's filters; the service checks audit.read on the node (and audits a denial). */
export async function GET(request: Request, { params }: { params: Promise<{ node: string }> }): Promise<Response> {
  const context = await getRequestContext();
  if (!context) return Response.json({ error: "Sign in first." }, { status: 401 });
  const { node: slug } = await params;
  const [node] = await context.db
    .select({ id: nodes.id, slug: nodes.slug })
    .from(nodes)
    .where(and(eq(nodes.accountId, context.authz.principal.accountId), eq(nodes.slug, decodeURIComponent(slug))));
  const filters = Object.fromEntries(new URL(request.url).searchParams);
  try {
    // An unknown slug is checked like any node the caller may not read: the same not-found.
    const csv = await auditEventsCsv(
      { db: context.db, authz: context.authz, request: context.request },
      { ...filters, nodeId: node?.id ?? "00000000-0000-4000-8000-000000000000" },
    );
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${node!.slug}-${new Date().toISOString().slice(0, 10)}.csv"`,
      },
    });
  } catch (error) {
    if (error instanceof DomainError) return Response.json({ error: error.message, fieldErrors: error.details.fieldErrors }, { status: HTTP_STATUS[error.code] });
    throw error;
  }
}

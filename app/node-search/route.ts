import { getRequestContext } from "@/lib/auth/request-context";
import { searchReadableNodes } from "@/lib/tenants/node-search";

/**
 * The node switcher's search: nodes the signed-in principal may read (tenant.read, through the shared
 * listing that is complete and exact against `can`), by name or key:value tag. Reads only.
 */
export async function GET(request: Request): Promise<Response> {
  const context = await getRequestContext();
  if (!context) return Response.json({ error: "Sign in first." }, { status: 401 });
  const query = new URL(request.url).searchParams.get("q") ?? "";
  const items = await searchReadableNodes(context.db, context.authz, query);
  return Response.json({ items }, { headers: { "Cache-Control": "private, no-store" } });
}

import * as audit from "@/lib/api/resources/audit";
import { apiRoute } from "@/lib/api/route";
import { listAuditEvents } from "@/lib/audit/read";

export const GET = apiRoute(audit.list, { node: ({ query }) => query.nodeId }, async (ctx, { query }) => {
  const { cursor, ...filters } = query;
  const page = await listAuditEvents(ctx, { ...filters, before: cursor ? Number(cursor) : undefined });
  return { body: { items: page.rows, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) } };
});

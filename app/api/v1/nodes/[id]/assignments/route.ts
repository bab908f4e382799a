import { listNodeAssignments } from "@/lib/access/assignment-read";
import { assignRole } from "@/lib/access/service";
import * as access from "@/lib/api/resources/access";
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute(access.listAssignments, { node: ({ params }) => params.id }, async (ctx, { params, query }) => ({
  body: await listNodeAssignments(ctx, { ...query, nodeId: params.id }),
}));

export const POST = apiRoute(access.assign, { node: ({ params }) => params.id }, async (ctx, { params, body }) => ({
  body: await assignRole(ctx, { ...body, nodeId: params.id }),
}));

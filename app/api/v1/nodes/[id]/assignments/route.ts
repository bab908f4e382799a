import { assignRole } from "@/lib/access/service";
import * as access from "@/lib/api/resources/access";
import { apiRoute } from "@/lib/api/route";

export const POST = apiRoute(access.assign, { node: ({ params }) => params.id }, async (ctx, { params, body }) => ({
  body: await assignRole(ctx, { ...body, nodeId: params.id }),
}));

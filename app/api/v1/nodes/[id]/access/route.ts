import * as access from "@/lib/api/resources/access";
import { apiRoute } from "@/lib/api/route";
import { whoHasAccess } from "@/lib/authz/queries";

export const GET = apiRoute(access.whoHasAccess, { node: ({ params }) => params.id }, async (ctx, { node }) => ({
  body: { items: await whoHasAccess(ctx.db, node!, ctx.authz.now) },
}));

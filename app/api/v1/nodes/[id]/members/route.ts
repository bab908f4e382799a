import * as members from "@/lib/api/resources/members";
import { apiRoute } from "@/lib/api/route";
import { listMembersAfter } from "@/lib/members/list";

export const GET = apiRoute(members.list, { node: ({ params }) => params.id }, async (ctx, { params, query }) => {
  const page = await listMembersAfter(ctx, { ...query, nodeId: params.id });
  return { body: { items: page.rows, nextCursor: page.nextCursor } };
});

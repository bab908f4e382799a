import * as resource from "@/lib/api/resources/consumption-billing";
import { apiRoute } from "@/lib/api/route";
import { listProducts } from "@/lib/consumption/catalog";

export const GET = apiRoute(resource.listProducts, { node: ({ params }) => params.id }, async (ctx, { params }) => ({
  body: { items: await listProducts(ctx, { nodeId: params.id }) },
}));

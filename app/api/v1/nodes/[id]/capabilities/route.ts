import * as capabilities from "@/lib/api/resources/capabilities";
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute(capabilities.list, { node: ({ params }) => params.id }, async (_ctx, { node }) => ({
  body: { items: node!.capabilityExpiry },
}));

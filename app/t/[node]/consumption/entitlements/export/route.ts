import { entitlementsCsv } from "@/lib/consumption/export";
import type { EntitlementListInput } from "@/lib/consumption/schemas";
import { csvRoute } from "../../csv-route";

/** Every entitlement the table shows with the URL's filters and sort, on all its pages, as CSV. */
export const GET = csvRoute((ctx, node, search) => {
  const { q, status, productId, sort, dir } = search;
  // Text from the URL: the service checks each value and says which one is wrong.
  return entitlementsCsv(ctx, { nodeId: node.id, q, status, productId, sort, dir } as EntitlementListInput);
});

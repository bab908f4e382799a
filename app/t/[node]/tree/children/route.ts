import { listTreeChildren } from "@/lib/tenants/tree";
import { jsonRoute } from "../json-route";

/** A page of the node's children with their counts: the tree loads them as a branch opens or scrolls. */
export const GET = jsonRoute((ctx, nodeId, params) =>
  listTreeChildren(ctx, nodeId, { cursor: params.get("cursor"), limit: params.get("limit") ?? undefined }, { includeArchived: params.get("archived") === "1" }),
);

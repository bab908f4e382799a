import { listMoveDestinations } from "@/lib/tenants/tree-search";
import { jsonRoute } from "../json-route";

/** Where the node may move to, matching ?q=. */
export const GET = jsonRoute((ctx, nodeId, params) => listMoveDestinations(ctx, nodeId, { q: params.get("q") ?? "" }));

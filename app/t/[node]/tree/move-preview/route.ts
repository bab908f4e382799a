import { previewMove } from "@/lib/tenants/service";
import { jsonRoute } from "../json-route";

/** Who gains and who loses access if the node moves under ?to=<node id>; nothing is changed. */
export const GET = jsonRoute(async (ctx, nodeId, params) => {
  const preview = await previewMove(ctx, { nodeId, newParentId: params.get("to") ?? "" });
  const person = (entry: (typeof preview.gains)[number]) => ({
    id: entry.principal.id,
    name: entry.principal.name,
    email: entry.principal.email,
    roles: entry.via.map((via) => `${via.roleName} on ${via.nodeName}`),
  });
  return { node: preview.node, from: preview.from, to: preview.to, gains: preview.gains.map(person), losses: preview.losses.map(person) };
});

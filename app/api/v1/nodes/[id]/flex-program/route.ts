import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as resource from "@/lib/api/resources/consumption-billing";
import { apiRoute } from "@/lib/api/route";
import { readProgram, setProgram } from "@/lib/consumption/program";
import { DomainError } from "@/lib/errors";

export const GET = apiRoute(resource.getProgram, { node: ({ params }) => params.id }, async (ctx, { params, node }) => {
  resource.requireAccountNode(node);
  const program = await readProgram(ctx, { nodeId: params.id });
  if (!program) throw new DomainError("not_found", "No program is set yet: set it with PUT.");
  return { body: program, etag: versionEtag(program) };
});

export const PUT = apiRoute(resource.setProgram, { node: ({ params }) => params.id }, async (ctx, { params, body, node, request }) => {
  resource.requireAccountNode(node);
  const program = await setProgram(ctx, { ...body, nodeId: params.id, expectedVersion: expectedVersion(request) });
  return { body: program, etag: versionEtag(program) };
});

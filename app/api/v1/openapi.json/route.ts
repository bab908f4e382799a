import { buildOpenApiDocument } from "@/lib/api/openapi";

// Built from the zod schemas at build time: the document changes only with the code.
export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(buildOpenApiDocument());
}

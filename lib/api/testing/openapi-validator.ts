import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenApiDocument } from "@/lib/api/openapi";

/** Checks answers against the OpenAPI document: the documented status, headers (when given), content type and schema. */
export function openApiValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "arbor-openapi", components: document.components });
  // Paths refer to components by local pointers: point them at the components schema above.
  ajv.addSchema({ $id: "arbor-openapi-paths", paths: JSON.parse(JSON.stringify(document.paths).replaceAll('"#/components/', '"arbor-openapi#/components/')) });
  const pointerOf = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

  return function validate(path: string, method: string, status: number, contentType: string | null, body: unknown, headers?: Headers): string[] {
    type Documented = { content?: Record<string, unknown>; headers?: Record<string, unknown> };
    const operation = (document.paths as Record<string, Record<string, { responses: Record<string, Documented> }>>)[path]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not in the document`];
    const response = operation.responses[String(status)];
    if (!response) return [`${method} ${path} does not document status ${status}`];
    const missing = Object.keys(response.headers ?? {}).filter((name) => headers && !headers.has(name));
    if (missing.length > 0) return missing.map((name) => `status ${status} documents the header ${name}, which is missing`);
    if (!response.content) return body === null ? [] : [`status ${status} documents no body`];
    const mediaType = contentType?.split(";")[0]!.trim() ?? "";
    if (!(mediaType in response.content)) return [`status ${status} documents ${Object.keys(response.content).join(", ")}, not ${mediaType}`];
    const schemaPointer = `arbor-openapi-paths#/paths/${pointerOf(path)}/${method.toLowerCase()}/responses/${status}/content/${pointerOf(mediaType)}/schema`;
    const check = ajv.getSchema(schemaPointer)!;
    return check(body) ? [] : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}

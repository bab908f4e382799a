import { z } from "zod";
import { DEFAULT_MAX_BODY_BYTES, formatBytes } from "./body";
import { answersWithEtag, type Operation } from "./operation";
import { OPERATIONS } from "./operations";
import { PROBLEM_KINDS, problemSchema, problemStatus, problemTitle, problemType } from "./problem";
import { API_TAGS, type ApiTag } from "./tags";

type JsonSchema = Record<string, unknown>;
type Components = Record<string, JsonSchema>;

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Schemas named with `.meta({ id })` go
 * to components and are referenced from there.
 */
function toSchema(schema: z.ZodType, io: "input" | "output", components: Components): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  const { $schema: _dialect, $defs, ...root } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  Object.assign(components, ($defs ?? {}) as Components);
  return root;
}

function parameters(where: "path" | "query", schema: z.ZodType | undefined, components: Components) {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, property]) => {
    const { description, ...converted } = toSchema(property, "input", components);
    return { name, in: where, required: where === "path" || !property.safeParse(undefined).success, description, schema: converted };
  });
}

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemContent = { "application/problem+json": { schema: problemRef } };

function problemResponses(operation: Operation) {
  const statuses = new Set([400, 401, 429, 500]);
  if (operation.permission) [403, 404].forEach((status) => statuses.add(status));
  if (operation.method !== "GET") statuses.add(409);
  if (operation.method === "POST") statuses.add(422);
  if (operation.body) statuses.add(413);
  if (operation.etag === "if-match") statuses.add(412);
  return Object.fromEntries([...statuses].sort().map((status) => [String(status), { description: describeStatus(status), content: problemContent }]));
}

function describeStatus(status: number): string {
  return PROBLEM_KINDS.filter((kind) => problemStatus(kind) === status)
    .map(problemTitle)
    .join("; ");
}

function describe(operation: Operation): string {
  const lines = [operation.description ?? ""];
  if (operation.permission) lines.push(`Permission: \`${operation.permission}\`.`);
  if (operation.method === "POST") lines.push("Send an `Idempotency-Key` header to make retries safe.");
  if (operation.body) lines.push(`A body larger than ${formatBytes(operation.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)} is refused with 413.`);
  return lines.filter(Boolean).join("\n\n");
}

const etagHeader = { description: "The version of the resource.", required: true, schema: { type: "string" } };

function pathItem(operation: Operation, components: Components) {
  const responseHeaders: Record<string, unknown> = answersWithEtag(operation) ? { ETag: etagHeader } : {};
  const headerParameters = [];
  if (operation.method === "GET") {
    headerParameters.push({ name: "If-None-Match", in: "header", required: false, description: "ETags you hold; when one is current, the answer is 304 with no body.", schema: { type: "string" } });
  }
  if (operation.method === "POST") {
    headerParameters.push({ name: "Idempotency-Key", in: "header", required: false, description: "Replays of the same key and body get the first answer.", schema: { type: "string", maxLength: 255 } });
  }
  if (operation.etag === "if-match") {
    headerParameters.push({ name: "If-Match", in: "header", required: false, description: "The ETag you read; a stale one is refused with 412.", schema: { type: "string" } });
  }
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: describe(operation),
    parameters: [...parameters("path", operation.params, components), ...parameters("query", operation.query, components), ...headerParameters],
    ...(operation.body ? { requestBody: { required: true, content: { [operation.bodyFormat === "csv" ? "text/csv" : "application/json"]: { schema: toSchema(operation.body, "input", components) } } } } : {}),
    responses: {
      [String(operation.response.status)]:
        operation.response.status === 204
          ? { description: operation.response.description }
          : {
              description: operation.response.description,
              headers: responseHeaders,
              content: { "application/json": { schema: toSchema(operation.response.schema, "output", components) } },
            },
      ...(operation.method === "GET" ? { "304": { description: "Not modified: the ETag you sent in If-None-Match is current.", headers: { ETag: etagHeader } } } : {}),
      ...problemResponses(operation),
    },
  };
}

const tokenEndpoint = {
  post: {
    operationId: "requestToken",
    tags: ["Authentication"],
    summary: "Exchange client credentials for a bearer token (OAuth 2.0 client credentials)",
    description: "Send `client_id` and `client_secret` in the form or with HTTP Basic. The token is valid for at most an hour.",
    security: [],
    requestBody: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema: {
            type: "object",
            properties: { grant_type: { const: "client_credentials" }, client_id: { type: "string" }, client_secret: { type: "string" } },
            required: ["grant_type"],
          },
        },
      },
    },
    responses: {
      "200": { description: "A bearer token.", content: { "application/json": { schema: { $ref: "#/components/schemas/TokenResponse" } } } },
      "400": { description: "invalid_request or unsupported_grant_type", content: { "application/json": { schema: { $ref: "#/components/schemas/TokenError" } } } },
      "401": { description: "invalid_client", content: { "application/json": { schema: { $ref: "#/components/schemas/TokenError" } } } },
      "429": { description: "Too many attempts; see Retry-After.", content: { "application/json": { schema: { $ref: "#/components/schemas/TokenError" } } } },
    },
  },
};

const tokenSchemas: Components = {
  TokenResponse: {
    type: "object",
    properties: { access_token: { type: "string" }, token_type: { const: "Bearer" }, expires_in: { type: "integer", maximum: 3600 } },
    required: ["access_token", "token_type", "expires_in"],
    additionalProperties: false,
  },
  TokenError: {
    type: "object",
    properties: { error: { type: "string" }, error_description: { type: "string" } },
    required: ["error"],
    additionalProperties: false,
  },
};

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' zod schemas. */
export function buildOpenApiDocument() {
  const components: Components = { ...tokenSchemas };
  toSchema(problemSchema, "output", components);
  const paths: Record<string, Record<string, unknown>> = { "/oauth/token": tokenEndpoint };
  for (const operation of OPERATIONS) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method.toLowerCase()] = pathItem(operation, components);
  }
  return {
    openapi: "3.1.1",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Arbor API",
      version: "1",
      description:
        "Automation for Arbor: the same operations and rules as the portal. Errors are RFC 9457 problem details; " +
        `their types: ${PROBLEM_KINDS.map(problemType).join(", ")}.`,
    },
    servers: [{ url: "/api/v1" }],
    security: [{ clientCredentials: [] }],
    tags: [...new Set<ApiTag>(["Authentication", ...OPERATIONS.map((operation) => operation.tag)])].map((name) => ({ name, description: API_TAGS[name] })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        clientCredentials: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "/api/v1/oauth/token", scopes: {} } } },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

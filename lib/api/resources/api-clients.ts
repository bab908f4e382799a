import { z } from "zod";
import { createApiClientInput } from "@/lib/api-clients/schemas";
import { defineOperation } from "../operation";
import { idParams, timestamp } from "./common";

export const apiClientSchema = z
  .object({
    id: z.uuid().meta({ description: "The client's principal id: use it in role assignments and authz checks." }),
    clientId: z.string().meta({ description: "The public client_id of the token endpoint." }),
    name: z.string(),
    homeNodeId: z.uuid(),
    status: z.enum(["invited", "active", "disabled"]),
    createdBy: z.uuid().nullable(),
    createdAt: timestamp,
    secretRotatedAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: "ApiClient" });

export const apiClientWithSecretSchema = z
  .object({ client: apiClientSchema, clientSecret: z.string().meta({ description: "Shown this once; store it now." }) })
  .meta({ id: "ApiClientWithSecret" });

export const list = defineOperation({
  operationId: "listApiClients",
  method: "GET",
  path: "/api-clients",
  tag: "API clients",
  summary: "List the API clients homed at a node or below it",
  permission: "apiclient.manage",
  query: z.object({ nodeId: z.uuid("Not a valid id.") }),
  response: { status: 200, schema: z.object({ items: z.array(apiClientSchema) }).meta({ id: "ApiClientList" }), description: "The clients." },
});

export const create = defineOperation({
  operationId: "createApiClient",
  method: "POST",
  path: "/api-clients",
  tag: "API clients",
  summary: "Create an API client with a role on a node",
  description: "The role passes the same grant rules as any assignment: never more than you hold on the node.",
  permission: "apiclient.manage",
  body: createApiClientInput,
  response: { status: 201, schema: apiClientWithSecretSchema, description: "The client and its secret, shown once; the ETag is the one a read of the client answers." },
  etag: "read",
});

export const get = defineOperation({
  operationId: "getApiClient",
  method: "GET",
  path: "/api-clients/{id}",
  tag: "API clients",
  summary: "Read an API client (never its secret)",
  description: "Needs apiclient.manage on the client's home node.",
  permission: "apiclient.manage",
  params: idParams,
  response: { status: 200, schema: apiClientSchema, description: "The client; its ETag changes with its content." },
});

export const rotate = defineOperation({
  operationId: "rotateApiClientSecret",
  method: "POST",
  path: "/api-clients/{id}/rotate",
  tag: "API clients",
  summary: "Replace a client's secret; its outstanding tokens end",
  permission: "apiclient.manage",
  params: idParams,
  response: { status: 200, schema: apiClientWithSecretSchema, description: "The client and its new secret, shown once." },
});

export const disable = defineOperation({
  operationId: "disableApiClient",
  method: "POST",
  path: "/api-clients/{id}/disable",
  tag: "API clients",
  summary: "Disable a client; its tokens stop working at once",
  permission: "apiclient.manage",
  params: idParams,
  response: { status: 200, schema: apiClientSchema, description: "The disabled client." },
});

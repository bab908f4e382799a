import { expect } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { builtinRoleId, contextFor, nodeId } from "@/lib/access/test-support";
import { createApiClient } from "@/lib/api-clients/service";
import type { OpenApiDocument } from "@/lib/api/openapi";
import { startApiServer } from "./api-server";
import { openApiValidator } from "./openapi-validator";

export const OWNER = "ava.thompson@northwind.example";

export interface Answer {
  status: number;
  headers: Headers;
  // Answers are JSON of many shapes; each test reads the fields it checks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  token?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A seeded database, the API on a real HTTP server, and a caller that checks every answer against
 * the OpenAPI document the server itself serves.
 */
export async function startApiFixture() {
  const connection: DatabaseConnection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
  const server = await startApiServer(connection);
  const document = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as OpenApiDocument;
  const validate = openApiValidator(document);

  /**
   * Calls `method template` (e.g. `GET /nodes/{id}`) and checks the answer is one the document
   * describes, a 304 included.
   */
  async function call(method: string, template: string, options: CallOptions = {}): Promise<Answer> {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ""));
    const url = new URL(`/api/v1${path}`, server.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    expect(validate(template, method, response.status, response.headers.get("content-type"), body, response.headers), `${method} ${template} ${response.status}`).toEqual([]);
    // Every read carries a strong tag to send back in If-None-Match, whatever the document says.
    if (method === "GET" && response.status === 200) expect(response.headers.get("etag"), `${method} ${template} ETag`).toMatch(/^"[\w-]+"$/);
    return { status: response.status, headers: response.headers, body };
  }

  async function requestToken(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${server.baseUrl}/api/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form).toString(),
    });
    const body = await response.json();
    expect(validate("/oauth/token", "POST", response.status, response.headers.get("content-type"), body)).toEqual([]);
    return { status: response.status, headers: response.headers, body };
  }

  /** A client created by the provider owner through the service, and a token it got over HTTP. */
  async function client(nodeSlug: string, role: "owner" | "manager" | "viewer" | { roleId: string }, name: string) {
    const roleId = typeof role === "string" ? await builtinRoleId(connection.db, role) : role.roleId;
    const created = await createApiClient(await contextFor(connection.db, OWNER), { nodeId: await nodeId(connection.db, nodeSlug), roleId, name });
    const answer = await requestToken({ grant_type: "client_credentials", client_id: created.client.clientId, client_secret: created.clientSecret });
    expect(answer.status).toBe(200);
    return { ...created, token: answer.body.access_token as string };
  }

  return {
    db: connection.db,
    baseUrl: server.baseUrl,
    document,
    /** The document's check of an answer, for calls that `call` cannot make (a body that is not JSON). */
    validate,
    call,
    requestToken,
    client,
    node: (slug: string) => nodeId(connection.db, slug),
    close: async () => {
      await server.close();
      await connection.close();
    },
  };
}

export type ApiFixture = Awaited<ReturnType<typeof startApiFixture>>;

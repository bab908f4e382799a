import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { DatabaseConnection } from "@/db/client";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<string, Handler>>;
interface Route {
  pattern: RegExp;
  names: string[];
  module: RouteModule;
}

const API_ROOT = path.join(import.meta.dirname, "../../../app/api/v1");

/** Every route.ts under app/api/v1, matched the way the App Router matches `[param]` folders. */
async function loadRoutes(): Promise<Route[]> {
  const files = (await readdir(API_ROOT, { recursive: true })).filter((file) => file.endsWith("route.ts"));
  const routes: Route[] = [];
  for (const file of files) {
    const segments = path.dirname(file).split(path.sep).filter((segment) => segment !== ".");
    const names: string[] = [];
    const source = segments
      .map((segment) => {
        const param = /^\[(\w+)\]$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(param[1]!);
        return "([^/]+)";
      })
      .join("/");
    routes.push({ pattern: new RegExp(`^/api/v1/${source}$`), names, module: (await import(path.join(API_ROOT, file))) as RouteModule });
  }
  return routes;
}

async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A real HTTP server for the API's route handlers on a test database, for suites that cannot run the
 * production build: the handlers and the database are the app's own; only the path-to-handler
 * matching stands in for Next's router (e2e/api.spec.ts checks that routing on the production build).
 */
export async function startApiServer(connection: DatabaseConnection): Promise<{ baseUrl: string; close(): Promise<void> }> {
  // The app opens its database through this shared holder (db/client.ts getDatabase): hand it the test's.
  (globalThis as Record<symbol, unknown>)[Symbol.for("arbor.database")] = Promise.resolve(connection);
  const routes = await loadRoutes();
  const server = createServer(async (message: IncomingMessage, reply: ServerResponse) => {
    const url = new URL(message.url ?? "/", "http://localhost");
    const body = await readBody(message);
    const request = new Request(url, {
      method: message.method,
      headers: Object.entries(message.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)] as [string, string]])),
      body: message.method === "GET" || message.method === "HEAD" ? undefined : new Uint8Array(body),
    });
    let response: Response;
    const route = routes.find((candidate) => candidate.pattern.test(url.pathname));
    const handler = route?.module[message.method ?? "GET"];
    if (!route) response = new Response("Not found", { status: 404 });
    else if (!handler) response = new Response("Method not allowed", { status: 405 });
    else {
      const values = route.pattern.exec(url.pathname)!.slice(1);
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(values[index]!)]));
      response = await handler(request, { params: Promise.resolve(params) });
    }
    reply.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    reply.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

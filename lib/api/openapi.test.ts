import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { OPERATIONS } from "./operations";
import { API_TAGS } from "./tags";
import { openApiValidator } from "./testing/openapi-validator";

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();
  const validate = openApiValidator(document);

  it("is OpenAPI 3.1 in JSON Schema 2020-12 and lists every operation once", () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => (operation as { operationId: string }).operationId));
    expect(ids.sort()).toEqual([...OPERATIONS.map((operation) => operation.operationId), "requestToken"].sort());
  });

  it("describes every section, and has no section without operations", () => {
    expect(document.tags.map((tag) => tag.name).sort()).toEqual(Object.keys(API_TAGS).sort());
    expect(document.tags.every((tag) => tag.description.length > 0)).toBe(true);
  });

  it("documents on every read an ETag, If-None-Match, and the 304 that answers a current tag", () => {
    type Documented = { parameters: { name: string; in: string }[]; responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }> };
    const reads = OPERATIONS.filter((operation) => operation.method === "GET");
    expect(reads.length).toBeGreaterThan(20);
    for (const read of reads) {
      const documented = (document.paths as Record<string, Record<string, Documented>>)[read.path]!.get!;
      expect(Object.keys(documented.responses["200"]!.headers ?? {}), read.operationId).toEqual(["ETag"]);
      expect(documented.responses["304"], read.operationId).toMatchObject({ headers: { ETag: { required: true } } });
      expect(documented.responses["304"]!.content, read.operationId).toBeUndefined();
      expect(documented.parameters.filter((parameter) => parameter.in === "header").map((parameter) => parameter.name), read.operationId).toEqual(["If-None-Match"]);
    }
    expect(validate("/me", "GET", 304, null, null, new Headers())).toEqual(["status 304 documents the header ETag, which is missing"]);
    expect(validate("/me", "GET", 304, null, null, new Headers({ etag: '"cabc"' }))).toEqual([]);
    expect(validate("/me", "GET", 304, "application/json", {}, new Headers({ etag: '"cabc"' }))).toEqual(["status 304 documents no body"]);
  });

  it("accepts an answer of the documented shape and headers and rejects others", () => {
    const node = { id: crypto.randomUUID(), parentId: null, kind: "account", name: "A", slug: "a", depth: 0, tags: [], status: "active", version: 1 };
    expect(validate("/nodes/{id}", "GET", 200, "application/json", node)).toEqual([]);
    expect(validate("/nodes/{id}", "GET", 200, "application/json", { ...node, version: "1" })).not.toEqual([]);
    expect(validate("/nodes/{id}", "GET", 200, "application/json", { ...node, secret: "x" })).not.toEqual([]);
    expect(validate("/nodes/{id}", "GET", 418, "application/json", node)).toEqual(["GET /nodes/{id} does not document status 418"]);
    expect(validate("/nodes/{id}", "GET", 404, "application/json", {})).not.toEqual([]);
    expect(validate("/nodes/{id}", "GET", 200, "application/json", node, new Headers())).toEqual(["status 200 documents the header ETag, which is missing"]);
    expect(validate("/nodes/{id}", "GET", 200, "application/json", node, new Headers({ etag: '"v1"' }))).toEqual([]);
  });
});

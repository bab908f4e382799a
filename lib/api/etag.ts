import { createHash } from "node:crypto";
import { DomainError } from "@/lib/errors";

/** The ETag of a versioned resource (nodes, profiles): its version, so If-Match names the version a change expects. */
export function versionEtag(resource: { version: number }): string {
  return `"v${resource.version}"`;
}

/**
 * The ETag of a resource without a version (assignments, members, lists): a hash of its JSON with the
 * keys in a fixed order, so the same content always has the same tag, whichever code path built it.
 */
export function contentEtag(body: unknown): string {
  const digest = createHash("sha256").update(canonicalJson(body)).digest("base64url").slice(0, 27);
  return `"c${digest}"`;
}

function canonicalJson(value: unknown): string {
  const plain: unknown = JSON.parse(JSON.stringify(value ?? null));
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sorted);
    if (item && typeof item === "object") {
      return Object.fromEntries(Object.keys(item).sort().map((key) => [key, sorted((item as Record<string, unknown>)[key])]));
    }
    return item;
  };
  return JSON.stringify(sorted(plain));
}

/**
 * Whether an If-None-Match header names the current ETag: any tag of its list, compared weakly (RFC 9110
 * §13.1.2), or `*`. A client that holds the current version is then answered 304 with no body.
 */
export function isNotModified(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (header === null) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** The version an If-Match header expects; undefined when there is none or it is `*`. */
export function expectedVersion(request: Request): number | undefined {
  const header = request.headers.get("if-match")?.trim();
  if (!header || header === "*") return undefined;
  const match = /^(?:W\/)?"v(\d{1,9})"$/.exec(header);
  if (!match) throw new DomainError("precondition_failed", 'If-Match must be an ETag of this resource, such as "v3".');
  return Number(match[1]);
}

import { DomainError } from "@/lib/errors";

/** The ETag of a versioned resource (nodes, profiles): its version, so If-Match names the version a change expects. */
export function versionEtag(resource: { version: number }): string {
  return `"v${resource.version}"`;
}

/** The version an If-Match header expects; undefined when there is none or it is `*`. */
export function expectedVersion(request: Request): number | undefined {
  const header = request.headers.get("if-match")?.trim();
  if (!header || header === "*") return undefined;
  const match = /^(?:W\/)?"v(\d{1,9})"$/.exec(header);
  if (!match) throw new DomainError("precondition_failed", 'If-Match must be an ETag of this resource, such as "v3".');
  return Number(match[1]);
}

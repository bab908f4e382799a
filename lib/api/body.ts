import { DomainError } from "@/lib/errors";

/** The most bytes a JSON body may have unless its operation allows more (the usage batches do). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A byte count for people: "5 MB", "512 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  return `${Number((bytes / 1024).toFixed(1))} KB`;
}

function tooLarge(limit: number): DomainError {
  return new DomainError("too_large", `The request body is larger than ${formatBytes(limit)}, the most this operation accepts: send less at a time.`);
}

/**
 * The request body as text, refused with 413 once it passes `limit` bytes: a declared Content-Length
 * is refused before anything is read, and a body without one is read only up to the limit.
 */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

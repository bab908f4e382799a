import "server-only";
import { getDatabase } from "@/db/client";
import { issueToken, TokenError } from "@/lib/api-clients/tokens";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { DomainError } from "@/lib/errors";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

/** An RFC 6749 §5.2 error answer. */
function tokenError(status: number, error: string, description: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error, error_description: description }, { status, headers: { ...NO_STORE, ...headers } });
}

/** client_id and client_secret from HTTP Basic (RFC 6749 §2.3.1: form-encoded, then base64) or the body. */
function readCredentials(request: Request, form: URLSearchParams): { clientId: string; clientSecret: string } | string {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.get("authorization") ?? "");
  const inBody = form.has("client_id") || form.has("client_secret");
  if (basic && inBody) return "Send the client credentials either with HTTP Basic or in the body, not both.";
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return "HTTP Basic credentials must be client_id:client_secret.";
    try {
      return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return "HTTP Basic credentials are not correctly encoded.";
    }
  }
  const clientId = form.get("client_id");
  const clientSecret = form.get("client_secret");
  if (!clientId || !clientSecret) return "Send client_id and client_secret.";
  return { clientId, clientSecret };
}

/** POST /api/v1/oauth/token: the OAuth 2.0 client credentials grant (RFC 6749 §4.4). */
export async function handleTokenRequest(request: Request): Promise<Response> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return tokenError(400, "invalid_request", "Send the request as application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(await request.text());
  const grantType = form.get("grant_type");
  if (!grantType) return tokenError(400, "invalid_request", "Send grant_type=client_credentials.");
  if (grantType !== "client_credentials") return tokenError(400, "unsupported_grant_type", "Only the client_credentials grant is supported.");
  const credentials = readCredentials(request, form);
  if (typeof credentials === "string") return tokenError(400, "invalid_request", credentials);
  try {
    const db = await getDatabase();
    const issued = await issueToken(db, credentials, clientInfoFrom(request.headers), new Date());
    return Response.json({ access_token: issued.accessToken, token_type: "Bearer", expires_in: issued.expiresIn }, { headers: NO_STORE });
  } catch (error) {
    if (error instanceof TokenError) return tokenError(401, error.error, error.message, { "www-authenticate": 'Basic realm="arbor"' });
    if (error instanceof DomainError && error.code === "rate_limited") {
      return tokenError(429, "temporarily_unavailable", error.message, { "retry-after": String(error.details.retryAfter ?? 60) });
    }
    console.error("arbor: token request failed", error);
    return tokenError(500, "server_error", "Something went wrong. Try again.");
  }
}

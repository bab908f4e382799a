import type { ClientInfo } from "./sessions";

/** The client's address and user agent from request headers (the first hop of X-Forwarded-For). */
export function clientInfoFrom(headers: Headers): ClientInfo {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const address = forwarded || headers.get("x-real-ip") || null;
  return { address: address?.slice(0, 100) ?? null, userAgent: headers.get("user-agent")?.slice(0, 500) ?? null };
}

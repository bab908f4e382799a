import { readEnvironment } from "@/lib/env";

/** The portal's address for links in mail: APP_URL, else the origin the request came to. */
export function baseUrlFrom(headers: Headers): string {
  const configured = readEnvironment().APP_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

/**
 * Where to go after signing in: only a path on this portal. Anything else — another host,
 * protocol-relative "//x", "/\\x", a scheme such as javascript: — lands on the portal's home.
 */
export function safeRedirectPath(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  // Browsers treat backslashes as slashes and drop tabs and newlines in URLs.
  if (/[\\\u0000-\u001f\u007f]/.test(target)) return fallback;
  if (!target.startsWith("/") || target.startsWith("//")) return fallback;
  try {
    const base = "http://portal.invalid";
    const url = new URL(target, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

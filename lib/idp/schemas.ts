import { z } from "zod";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * An OIDC issuer Arbor may talk to: https, or plain http only on this machine's loopback (a test or
 * development IdP). No credentials, query or fragment: the issuer is compared with the ID token's `iss`.
 */
export function isAllowedIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

const id = z.uuid("Not a valid id.");
const issuer = z
  .string()
  .trim()
  .min(1, "Enter the issuer URL.")
  .max(500, "Use at most 500 characters.")
  .refine(isAllowedIssuer, "Use the IdP's https:// issuer URL, without query or fragment (http:// only for localhost).");
const clientId = z.string().trim().min(1, "Enter the client id.").max(300, "Use at most 300 characters.");
const clientSecret = z.string().max(1000, "Use at most 1000 characters.");
const rolesClaim = z
  .string()
  .trim()
  .min(1, "Enter the claim that carries roles.")
  .max(200, "Use at most 200 characters.")
  .regex(/^\S+$/, "A claim name has no spaces.");

export const configureProviderInput = z.object({
  issuer,
  clientId,
  /** Write-only: empty or absent keeps the stored secret (required the first time). */
  clientSecret: z.preprocess((value) => (value === "" ? undefined : value), clientSecret.optional()),
  rolesClaim,
  enabled: z.boolean(),
  /** The version the form was read at: a save over someone else's newer change is refused. */
  expectedVersion: z.number().int().positive().optional(),
});

export const addMappingInput = z.object({
  claimValue: z.string().trim().min(1, "Enter the claim value.").max(200, "Use at most 200 characters."),
  nodeId: id,
  roleId: id,
});

export const removeMappingInput = z.object({ mappingId: id });

export const ssoAccountInput = z.object({
  account: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter your account's short name.")
    .max(63, "A short name has at most 63 characters.")
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "A short name has only letters, digits and single hyphens."),
});

import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { identityProviders, nodes, type IdentityProvider } from "@/db/schema";
import { open } from "@/lib/auth/secret-box";
import { isUuid } from "@/lib/auth/sessions";
import { loadEffectiveCapabilities } from "@/lib/authz/queries";

// What the sign-in door needs of an account's IdP. These reads authorize nothing by themselves: the
// IdP's signed answer does, and only while the provider is enabled and the account has `sso`.

const PROVIDER_PREFIX = "idp-";

/** The Auth.js provider id of an account's IdP: its callback is /api/auth/callback/idp-<accountId>. */
export function providerIdFor(accountId: string): string {
  return `${PROVIDER_PREFIX}${accountId}`;
}

/** The account an Auth.js provider id names, or null when it names no IdP. */
export function accountIdOfProvider(providerId: string): string | null {
  if (!providerId.startsWith(PROVIDER_PREFIX)) return null;
  const accountId = providerId.slice(PROVIDER_PREFIX.length);
  return isUuid(accountId) ? accountId.toLowerCase() : null;
}

/** The account's provider row, usable for sign-in or not; null when there is none. */
export async function findProviderRow(db: Database, accountId: string): Promise<IdentityProvider | null> {
  if (!isUuid(accountId)) return null;
  const [row] = await db.select().from(identityProviders).where(eq(identityProviders.accountId, accountId));
  return row ?? null;
}

/** Whether a provider may be used to sign in at `now`: enabled, and `sso` in force on its account. */
export async function isUsable(db: Database, provider: IdentityProvider, now: Date): Promise<boolean> {
  if (!provider.enabled) return false;
  const capabilities = await loadEffectiveCapabilities(db, provider.accountId, [provider.accountId], now);
  return capabilities.some((entry) => entry.capability === "sso");
}

export interface SignInProvider {
  accountId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  rolesClaim: string;
}

/** The account's IdP with its secret opened, when it may be used to sign in now; otherwise null. */
export async function loadSignInProvider(db: Database, accountId: string, now: Date): Promise<SignInProvider | null> {
  const provider = await findProviderRow(db, accountId);
  if (!provider || !(await isUsable(db, provider, now))) return null;
  let clientSecret: string;
  try {
    clientSecret = open(provider.clientSecretCiphertext);
  } catch {
    // Sealed under another AUTH_SECRET: the secret has to be entered again.
    console.error(`arbor: the IdP client secret of account ${accountId} cannot be opened; enter it again in the settings`);
    return null;
  }
  return { accountId: provider.accountId, issuer: provider.issuer, clientId: provider.clientId, clientSecret, rolesClaim: provider.rolesClaim };
}

export type SsoAccountLookup = { ok: true; accountId: string } | { ok: false; reason: "unknown" | "ambiguous" };

/**
 * The account whose short name was typed on the sign-in page, when its IdP may be used now. Unknown,
 * unconfigured and disabled all answer "unknown": the sign-in page does not reveal which accounts exist.
 */
export async function findSsoAccount(db: Database, slug: string, now: Date): Promise<SsoAccountLookup> {
  const accounts = await db
    .select({ id: nodes.id })
    .from(nodes)
    .where(and(eq(nodes.kind, "account"), eq(nodes.slug, slug)));
  const usable: string[] = [];
  for (const account of accounts) {
    const provider = await findProviderRow(db, account.id);
    if (provider && (await isUsable(db, provider, now))) usable.push(account.id);
  }
  if (usable.length === 1) return { ok: true, accountId: usable[0]! };
  return { ok: false, reason: usable.length > 1 ? "ambiguous" : "unknown" };
}

/**
 * The values of the roles claim in an ID token's claims: a string or an array of strings. A name
 * with dots that is not itself a claim is read as a path into nested claims ("realm_access.roles").
 */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((at, key) => (at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), claims);
  }
  const values = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  return [...new Set(values.filter((entry): entry is string => typeof entry === "string" && entry.length > 0 && entry.length <= 200))];
}

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// A client secret and an access token are 256 random bits each: guessing one is hopeless, so a fast
// SHA-256 protects them at rest as well as argon2id would, without costing a slow hash per request.

/** A new public client id, e.g. `arb_1f0c…`. */
export function newClientId(): string {
  return `arb_${randomBytes(12).toString("hex")}`;
}

/** A new secret (shown once) and the hash that is stored. */
export function newSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Whether a string can be a secret or token at all (43 base64url characters), before any query. */
export function isOpaqueToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

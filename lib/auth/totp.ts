import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Secret, TOTP } from "otpauth";

const PERIOD = 30;
const ISSUER = "Arbor";

/** A new random TOTP secret, in base32 (what authenticator apps take as text). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label = "Arbor"): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** The otpauth:// URI that the QR code carries. */
export function totpUri(secretBase32: string, email: string): string {
  return totp(secretBase32, email).toString();
}

/** The current 30-second step number. */
export function currentStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD);
}

/**
 * Accepts a code for the current step or one step either side (clock drift), never for a step at or
 * before `lastUsedStep`: a code cannot be used twice. Returns the step it matched, or null.
 */
export function verifyTotp(secretBase32: string, code: string, lastUsedStep: number | null, now: Date): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secretBase32).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = currentStep(now) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

/** The code an authenticator app shows at `now` (for tests and the demo's documentation). */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return totp(secretBase32).generate({ timestamp: now.getTime() });
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten single-use recovery codes like "k7pq-2xrm-9d". */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = [...randomBytes(10)].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** Recovery codes are random and long enough that a fast hash is safe; stored only as this. */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code)).digest("hex");
}

export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

import { afterEach, describe, expect, it, vi } from "vitest";
import { open, seal } from "./secret-box";
import { currentStep, hashRecoveryCode, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, totpCodeAt, totpUri, verifyTotp } from "./totp";

// A fixed secret and clock keep every code below the same from run to run.
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/** Ten seconds into a 30-second step. */
const NOW = new Date("2030-07-08T12:00:10.000Z");
const STEP_MS = 30_000;

function shifted(steps: number): Date {
  return new Date(NOW.getTime() + steps * STEP_MS);
}

/** Swaps one character of a sealed value's part for another of the same alphabet. */
function tamper(sealed: string, part: number): string {
  const parts = sealed.split(".");
  const text = parts[part]!;
  parts[part] = (text[0] === "A" ? "B" : "A") + text.slice(1);
  return parts.join(".");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("currentStep", () => {
  it("counts 30-second steps since the epoch", () => {
    expect(currentStep(new Date(0))).toBe(0);
    expect(currentStep(new Date(29_999))).toBe(0);
    expect(currentStep(new Date(30_000))).toBe(1);
    expect(currentStep(NOW)).toBe(Math.floor(NOW.getTime() / STEP_MS));
  });
});

describe("verifyTotp", () => {
  it("produces distinct codes for the steps around now (a precondition of the tests below)", () => {
    const codes = [-2, -1, 0, 1, 2].map((steps) => totpCodeAt(SECRET, shifted(steps)));
    expect(new Set(codes).size).toBe(5);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
  });

  it("accepts the current code and returns its step", () => {
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, NOW), null, NOW)).toBe(currentStep(NOW));
  });

  it("accepts the code of one step before or after, for clock drift", () => {
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, shifted(-1)), null, NOW)).toBe(currentStep(NOW) - 1);
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, shifted(1)), null, NOW)).toBe(currentStep(NOW) + 1);
  });

  it("refuses the code of two steps before or after", () => {
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, shifted(-2)), null, NOW)).toBeNull();
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, shifted(2)), null, NOW)).toBeNull();
  });

  it("refuses a code of another secret", () => {
    const other = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(verifyTotp(SECRET, totpCodeAt(other, NOW), null, NOW)).toBeNull();
  });

  it("accepts a code with spaces in it", () => {
    const code = totpCodeAt(SECRET, NOW);
    expect(verifyTotp(SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, null, NOW)).toBe(currentStep(NOW));
    expect(verifyTotp(SECRET, ` ${code}\n`, null, NOW)).toBe(currentStep(NOW));
  });

  it.each(["", "12345", "1234567", "abcdef", "12345a", "１２３４５６", "12-345", "+12345"])("refuses the input %j, which is not six digits", (input) => {
    expect(verifyTotp(SECRET, input, null, NOW)).toBeNull();
  });

  it("refuses a code of six digits plus anything else", () => {
    const code = totpCodeAt(SECRET, NOW);
    for (const input of [`${code}0`, `0${code}`, `${code}x`, `${code.slice(0, 3)}-${code.slice(3)}`]) {
      expect(verifyTotp(SECRET, input, null, NOW), input).toBeNull();
    }
  });

  it("refuses a code whose step is at or before the last step used", () => {
    const step = currentStep(NOW);
    const code = totpCodeAt(SECRET, NOW);
    expect(verifyTotp(SECRET, code, step, NOW)).toBeNull();
    expect(verifyTotp(SECRET, code, step + 1, NOW)).toBeNull();
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, shifted(-1)), step, NOW)).toBeNull();
    expect(verifyTotp(SECRET, code, step - 1, NOW)).toBe(step);
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, shifted(1)), step, NOW)).toBe(step + 1);
  });

  it("accepts codes of new random secrets", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    expect(verifyTotp(secret, totpCodeAt(secret, NOW), null, NOW)).toBe(currentStep(NOW));
  });
});

describe("totpUri", () => {
  it("names the issuer, the user, the secret and the usual parameters", () => {
    const uri = new URL(totpUri(SECRET, "ava.thompson@northwind.example"));
    expect(uri.protocol).toBe("otpauth:");
    expect(decodeURIComponent(uri.href)).toContain("Arbor:ava.thompson@northwind.example");
    expect(uri.searchParams.get("secret")).toBe(SECRET);
    expect(uri.searchParams.get("issuer")).toBe("Arbor");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });
});

describe("recovery codes", () => {
  it("makes ten distinct codes from an alphabet without look-alike characters", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{2}$/);
    expect(newRecoveryCodes(3)).toHaveLength(3);
  });

  it("ignores case, dashes and spaces", () => {
    const hash = hashRecoveryCode("k7pq-2xrm-9d");
    for (const spelling of ["K7PQ-2XRM-9D", "k7pq2xrm9d", "k7pq 2xrm 9d", " K7pq-2xRm 9d ", "k7pq--2xrm-9d"]) {
      expect(hashRecoveryCode(spelling), spelling).toBe(hash);
    }
    expect(normalizeRecoveryCode(" K7PQ-2xrm 9D ")).toBe("k7pq2xrm9d");
  });

  it("hashes different codes differently and never stores the code itself", () => {
    const hash = hashRecoveryCode("k7pq-2xrm-9d");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain("k7pq");
    expect(hashRecoveryCode("k7pq-2xrm-9e")).not.toBe(hash);
    expect(hashRecoveryCode("k7pq-2xrm-9")).not.toBe(hash);
  });
});

describe("secret box", () => {
  it("opens what it sealed", () => {
    const sealed = seal(SECRET);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(open(sealed)).toBe(SECRET);
  });

  it("seals the same secret differently every time", () => {
    const first = seal(SECRET);
    const second = seal(SECRET);
    expect(first).not.toBe(second);
    expect(open(first)).toBe(open(second));
  });

  it.each([
    ["nonce", 1],
    ["ciphertext", 2],
    ["tag", 3],
  ])("refuses a sealed value whose %s was altered", (_part, index) => {
    const sealed = seal(SECRET);
    const altered = tamper(sealed, index);
    expect(altered).not.toBe(sealed);
    expect(() => open(altered)).toThrow();
  });

  it("refuses a sealed value whose tag was shortened", () => {
    const [version, nonce, body, tag] = seal(SECRET).split(".");
    const shortTag = Buffer.from(tag!, "base64url").subarray(0, 4).toString("base64url");
    expect(() => open([version, nonce, body, shortTag].join("."))).toThrow();
  });

  it.each(["", "v1", "v1..", "v2.a.b.c", "plain text", SECRET])("refuses %j, which is not a sealed value", (input) => {
    expect(() => open(input)).toThrow();
  });

  it("refuses a value sealed under another AUTH_SECRET", () => {
    const sealed = seal(SECRET);
    vi.stubEnv("AUTH_SECRET", "another-auth-secret-0123456789abcdefghij");
    expect(() => open(sealed)).toThrow();
    expect(open(seal(SECRET))).toBe(SECRET);
  });

  it("refuses to seal or open without AUTH_SECRET", () => {
    const sealed = seal(SECRET);
    vi.stubEnv("AUTH_SECRET", "");
    expect(() => seal(SECRET)).toThrow(/AUTH_SECRET/);
    expect(() => open(sealed)).toThrow(/AUTH_SECRET/);
  });
});

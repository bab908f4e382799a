import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Secrets the server must read back (TOTP keys) are sealed with AES-256-GCM under a key derived
// from AUTH_SECRET, so a copy of the database alone does not give away second factors.

function key(): Buffer {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set: it is needed to seal and open second-factor secrets.");
  return Buffer.from(hkdfSync("sha256", secret, "arbor", "secret-box v1", 32));
}

/** Encrypts a short secret; the result carries its nonce and tag. */
export function seal(plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), nonce);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", nonce.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** Decrypts what `seal` produced; throws if it was altered or sealed under another key. */
export function open(sealed: string): string {
  const [version, nonceText, body, tagText] = sealed.split(".");
  const nonce = Buffer.from(nonceText ?? "", "base64url");
  const tag = Buffer.from(tagText ?? "", "base64url");
  if (version !== "v1" || body === undefined || nonce.length !== 12 || tag.length !== 16) throw new Error("Not a sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", key(), nonce, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

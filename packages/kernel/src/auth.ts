import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// scrypt with N=2^14: about 30-50 ms per hash here, slow enough against offline guessing.
const N = 16384;
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEYLEN, { N: n, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$salt$hash`, both base64: the cost travels with the hash so it can be raised later. */
export async function hashPassword(password: string, n = N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, n);
  return `scrypt$${n}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await scryptAsync(password, Buffer.from(salt, "base64"), Number(n));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** An opaque bearer token; only its SHA-256 is stored, so a database leak yields no sessions. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: tokenHash(token) };
}

export const tokenHash = (token: string): Buffer => createHash("sha256").update(token).digest();

export function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+([A-Za-z0-9_-]{20,100})$/);
  return m?.[1];
}

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost (RFC 7914 §2): N = 2^15, r = 8, p = 1 — 32 MiB of memory per hash. */
export const SCRYPT_LOG_N = 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Memory bound handed to Node (its default 32 MiB is exactly 128·N·r and too tight). */
const MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const opts: ScryptOptions = { N: 2 ** logN, r, p, maxmem: MAXMEM };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * Hashes a password with scrypt (RFC 7914) and a random 16-byte salt, as a PHC-like string
 * `$scrypt$ln=15,r=8,p=1$<salt base64>$<key base64>` (32-byte key). The password is NFC-normalized.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P);
  return `$scrypt$ln=${SCRYPT_LOG_N},r=${SCRYPT_R},p=${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/**
 * True when `password` matches a `hashPassword` string; the keys are compared in constant time
 * (crypto.timingSafeEqual). A malformed stored string never matches (no throw).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (m === null) return false;
  const logN = Number(m[1]);
  if (logN < 10 || logN > 20) return false;
  const expected = Buffer.from(m[5], 'base64');
  if (expected.length !== KEY_BYTES) return false;
  const key = await derive(password, Buffer.from(m[4], 'base64'), logN, Number(m[2]), Number(m[3]));
  return timingSafeEqual(key, expected);
}

/** A hash of a random password: verified against when a user name is unknown, so both cases take the same time. */
export const dummyHash: () => Promise<string> = (() => {
  let p: Promise<string> | null = null;
  return () => (p ??= hashPassword(randomBytes(16).toString('hex')));
})();

/**
 * Byte-level text decoders for content inspection: base64 (RFC 4648 §4, and the URL-safe alphabet of
 * §5), base16/hex (§8) and base32 (§6, case-insensitive as DNS names are, RFC 4343). They decode into
 * a caller's buffer, read bytes directly (no strings) and never throw: a byte outside the alphabet
 * ends the decoding.
 */

/** Bit flags of `ENCODED_CLASS`: a base64 (standard or URL-safe) character, a hex digit, a base32 character. */
export const B64 = 1;
export const HEX = 2;
export const B32 = 4;

/** Character classes by byte: B64 for A–Z a–z 0–9 + / - _, HEX for 0–9 a–f A–F, B32 for A–Z a–z 2–7. */
export const ENCODED_CLASS: Uint8Array = ((): Uint8Array => {
  const t = new Uint8Array(256);
  for (let c = 0x41; c <= 0x5a; c++) t[c] |= B64 | B32;
  for (let c = 0x61; c <= 0x7a; c++) t[c] |= B64 | B32;
  for (let c = 0x30; c <= 0x39; c++) t[c] |= B64 | HEX;
  for (let c = 0x32; c <= 0x37; c++) t[c] |= B32;
  for (let c = 0x41; c <= 0x46; c++) t[c] |= HEX;
  for (let c = 0x61; c <= 0x66; c++) t[c] |= HEX;
  t[0x2b] |= B64;
  t[0x2f] |= B64;
  t[0x2d] |= B64;
  t[0x5f] |= B64;
  return t;
})();

/** Sextet of a base64 character, either alphabet ('+' and '-' are 62, '/' and '_' are 63); -1 otherwise. */
const B64_VALUE = ((): Int8Array => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 26; i++) {
    t[0x41 + i] = i;
    t[0x61 + i] = 26 + i;
  }
  for (let i = 0; i < 10; i++) t[0x30 + i] = 52 + i;
  t[0x2b] = t[0x2d] = 62;
  t[0x2f] = t[0x5f] = 63;
  return t;
})();

/** Nibble of a hex digit; -1 otherwise. */
const HEX_VALUE = ((): Int8Array => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) t[0x41 + i] = t[0x61 + i] = 10 + i;
  return t;
})();

/** Quintet of a base32 character (RFC 4648 §6, either case); -1 otherwise. */
const B32_VALUE = ((): Int8Array => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 26; i++) t[0x41 + i] = t[0x61 + i] = i;
  for (let i = 0; i < 6; i++) t[0x32 + i] = 26 + i;
  return t;
})();

/** Bytes `base64Decode` writes for `chars` characters at most. */
export function base64DecodedMax(chars: number): number {
  return Math.floor((chars * 3) / 4);
}

/**
 * Decode base64 characters `src[from, to)` (either alphabet, no padding expected; a trailing partial
 * sextet group is dropped as RFC 4648 §3.5 allows) into `out` from 0.
 * @returns bytes written; stops at the first non-alphabet byte or when `out` is full.
 */
export function base64Decode(src: Uint8Array, from: number, to: number, out: Uint8Array): number {
  let acc = 0;
  let bits = 0;
  let n = 0;
  const cap = out.length;
  for (let i = from; i < to; i++) {
    const v = B64_VALUE[src[i]];
    if (v < 0) break;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n >= cap) return n;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  return n;
}

/**
 * Decode hex digits `src[from, to)` (pairs, high nibble first; an odd last digit is dropped) into `out` from 0.
 * @returns bytes written; stops at the first non-hex byte or when `out` is full.
 */
export function hexDecode(src: Uint8Array, from: number, to: number, out: Uint8Array): number {
  let n = 0;
  const cap = out.length;
  for (let i = from; i + 1 < to && n < cap; i += 2) {
    const hi = HEX_VALUE[src[i]];
    const lo = HEX_VALUE[src[i + 1]];
    if (hi < 0 || lo < 0) break;
    out[n++] = (hi << 4) | lo;
  }
  return n;
}

/**
 * Decode base32 characters `src[from, to)` (RFC 4648 §6, either case, no padding; leftover bits of the
 * last quintets are dropped) into `out` from `at`.
 * @returns the offset after the last byte written; stops at the first non-alphabet byte or when `out` is full.
 */
export function base32Decode(src: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  let acc = 0;
  let bits = 0;
  let n = at;
  const cap = out.length;
  for (let i = from; i < to; i++) {
    const v = B32_VALUE[src[i]];
    if (v < 0) break;
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (n >= cap) return n;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  return n;
}

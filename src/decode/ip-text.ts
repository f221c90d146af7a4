/**
 * IP addresses as text, with bounded caches so that the addresses a capture repeats (nearly all of
 * them) cost a table lookup and no allocation.
 *
 * - IPv4: dotted quad (RFC 791 §3.2 addressing, the usual `a.b.c.d` notation).
 * - IPv6: RFC 5952 §4 canonical text — lowercase hex, leading zeros dropped, the longest run of two or
 *   more zero groups as `::` (the first run on ties), and the embedded-IPv4 tail that Wireshark's
 *   `ipv6.src` prints: `::ffff:a.b.c.d` for IPv4-mapped addresses (RFC 4291 §2.5.5.2) and
 *   `::a.b.c.d` for the deprecated IPv4-compatible form (§2.5.5.1) when the first six groups are zero
 *   and the seventh is not (so `::1` and `::` stay as they are).
 *
 * Both caches are direct-mapped (one slot per hash value, a newer address replaces an older one):
 * memory is fixed (IPv4 4096 slots, IPv6 1024 slots) and results are deterministic.
 */

const V4_BITS = 12;
const V4_SLOTS = 1 << V4_BITS;
const v4Keys = new Float64Array(V4_SLOTS).fill(-1);
const v4Texts: string[] = new Array<string>(V4_SLOTS).fill('');

/**
 * Dotted-quad text of an IPv4 address given as an unsigned 32-bit integer (network order value,
 * `0xc0a80001` → `192.168.0.1`). Signed inputs are accepted (taken modulo 2^32).
 */
export function ipv4Text(addr: number): string {
  const a = addr >>> 0;
  const slot = Math.imul(a, 0x9e3779b1) >>> (32 - V4_BITS);
  if (v4Keys[slot] === a) return v4Texts[slot];
  const text = `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
  v4Keys[slot] = a;
  v4Texts[slot] = text;
  return text;
}

/** Reads the 4 octets at `b[off, off + 4)` as an unsigned 32-bit IPv4 address (network byte order). */
export function readIpv4(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

const V6_BITS = 10;
const V6_SLOTS = 1 << V6_BITS;
const v6Keys = new Uint8Array(V6_SLOTS * 16);
const v6Filled = new Uint8Array(V6_SLOTS);
const v6Texts: string[] = new Array<string>(V6_SLOTS).fill('');
const groups = new Uint16Array(8);

/**
 * RFC 5952 canonical text (see the module note) of the IPv6 address in `b[off, off + 16)`.
 * The caller guarantees the 16 bytes exist.
 */
export function ipv6Text(b: Uint8Array, off: number): string {
  const w0 = (b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3];
  const w1 = (b[off + 4] << 24) | (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7];
  const w2 = (b[off + 8] << 24) | (b[off + 9] << 16) | (b[off + 10] << 8) | b[off + 11];
  const w3 = (b[off + 12] << 24) | (b[off + 13] << 16) | (b[off + 14] << 8) | b[off + 15];
  let h = Math.imul(w0, 0x9e3779b1) ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ Math.imul(w3, 0x27d4eb2f);
  h ^= h >>> 15;
  const slot = Math.imul(h, 0x2c1b3c6d) >>> (32 - V6_BITS);
  const k = slot << 4;
  if (v6Filled[slot] === 1) {
    let same = true;
    for (let i = 0; i < 16; i++) {
      if (v6Keys[k + i] !== b[off + i]) {
        same = false;
        break;
      }
    }
    if (same) return v6Texts[slot];
  }
  for (let i = 0; i < 16; i++) v6Keys[k + i] = b[off + i];
  v6Filled[slot] = 1;
  const text = formatIpv6(b, off);
  v6Texts[slot] = text;
  return text;
}

/** Builds the canonical text (uncached). */
function formatIpv6(b: Uint8Array, off: number): string {
  for (let i = 0; i < 8; i++) groups[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (groups[i] === 0) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) {
        bestStart = runStart;
        bestLen = len;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestLen < 2) bestStart = -1;
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === 0xffff))) {
    const quad = `${groups[6] >>> 8}.${groups[6] & 0xff}.${groups[7] >>> 8}.${groups[7] & 0xff}`;
    return bestLen === 5 ? '::ffff:' + quad : '::' + quad;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLen - 1;
      continue;
    }
    if (text.length > 0 && !text.endsWith(':')) text += ':';
    text += groups[i].toString(16);
  }
  return text;
}

/**
 * 48-bit IEEE 802 MAC addresses (IEEE 802-2014 §8) as plain integers: the six octets in
 * transmission order, most significant first, so `00:1b:1b:01:02:03` is 0x001b1b010203.
 * Every 48-bit value is exact in a double, and a number costs no allocation per packet.
 */

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Reads the 6 octets at `b[off, off + 6)` as a 48-bit integer. The caller guarantees that the six
 * bytes exist (reads past the end yield garbage, never a throw).
 */
export function readMac(b: Uint8Array, off: number): number {
  const hi = (b[off] << 8) | b[off + 1];
  const lo = ((b[off + 2] << 24) | (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]) >>> 0;
  return hi * TWO_POW_32 + lo;
}

/** Two lowercase hex digits per octet value 0–255. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Text form `aa:bb:cc:dd:ee:ff` (lowercase, colon-separated, as Zeek and Wireshark print MACs) of a
 * 48-bit integer. Values outside 0 … 2^48 − 1 or not integers (e.g. the -1 "unknown" marker) give ''.
 */
export function macToText(mac: number): string {
  if (!Number.isInteger(mac) || mac < 0 || mac > 0xffff_ffff_ffff) return '';
  const hi = Math.floor(mac / TWO_POW_32);
  const lo = mac % TWO_POW_32;
  return (
    HEX2[(hi >>> 8) & 0xff] +
    ':' +
    HEX2[hi & 0xff] +
    ':' +
    HEX2[(lo >>> 24) & 0xff] +
    ':' +
    HEX2[(lo >>> 16) & 0xff] +
    ':' +
    HEX2[(lo >>> 8) & 0xff] +
    ':' +
    HEX2[lo & 0xff]
  );
}

/** Six hex octets (1–2 digits each, any case) separated by ':' or '-'. */
const MAC_TEXT = /^([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})$/i;

/**
 * Parses `aa:bb:cc:dd:ee:ff` (or `aa-bb-cc-dd-ee-ff`, any case, surrounding blanks ignored) into a
 * 48-bit integer. Returns -1 when the text is not a MAC address (no throw: callers decide whether
 * that is a configuration error).
 */
export function macFromText(text: string): number {
  const m = MAC_TEXT.exec(text.trim());
  if (m === null) return -1;
  let v = 0;
  for (let i = 1; i <= 6; i++) v = v * 256 + parseInt(m[i], 16);
  return v;
}

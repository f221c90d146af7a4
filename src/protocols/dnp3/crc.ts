/**
 * CRC-16/DNP (IEEE 1815-2012 §9.2, data link frame CRC): polynomial 0x3D65 (reflected 0xA6BC), initial value 0,
 * bits reflected, result complemented, sent least significant octet first. Check value of "123456789": 0xEA82.
 */

const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa6bc : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/**
 * CRC-16/DNP of `b[start, end)` (IEEE 1815-2012 §9.2). @returns the 16-bit value as it is computed
 * (the wire carries it low octet first)
 */
export function crcDnp(b: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ b[i]) & 0xff] ^ (crc >>> 8);
  return ~crc & 0xffff;
}

/**
 * True when the two octets at `at` (low octet first) are the CRC-16/DNP of `b[start, at)`.
 * The caller ensures `at + 2 <= b.length`.
 */
export function crcMatches(b: Uint8Array, start: number, at: number): boolean {
  const crc = crcDnp(b, start, at);
  return b[at] === (crc & 0xff) && b[at + 1] === crc >>> 8;
}

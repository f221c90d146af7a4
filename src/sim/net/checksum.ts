/**
 * Internet checksum arithmetic (RFC 1071 §4.1; RFC 1624 for the ones'-complement properties),
 * used by the IPv4 header, TCP and UDP builders.
 *
 * `sum16` adds big-endian 16-bit words into an accumulator (a JavaScript number, exact below 2^53);
 * a trailing odd byte counts as the high byte of a word padded with zero. `finishChecksum` folds the
 * carries and returns the ones' complement, ready to store in the header.
 */
export function sum16(buf: Uint8Array, off: number, len: number, acc: number): number {
  const end = off + len - 1;
  let i = off;
  for (; i < end; i += 2) acc += (buf[i] << 8) | buf[i + 1];
  if (i === end) acc += buf[i] << 8;
  return acc;
}

/**
 * Fold a `sum16` accumulator (any value below 2^32 · 2^16) to 16 bits and complement it.
 * Returns the 16-bit checksum field value (0..0xffff).
 */
export function finishChecksum(acc: number): number {
  let s = (acc % 65536) + Math.floor(acc / 65536);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

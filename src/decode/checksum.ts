/**
 * Internet checksum verification (RFC 1071 §4.1 arithmetic) for the IPv4 header (RFC 791 §3.1),
 * TCP (RFC 9293 §3.1), UDP (RFC 768; RFC 8200 §8.1 for IPv6) and ICMP (RFC 792) / ICMPv6
 * (RFC 4443 §2.3), with the IPv4 and IPv6 pseudo-headers. Pure functions over `(bytes, offsets)`;
 * no allocation. A region verifies when its 16-bit ones'-complement sum, checksum field included,
 * folds to 0xffff (what Zeek's `in_cksum(...) == 0xffff` tests).
 */

/** IANA protocol numbers that carry a pseudo-header checksum. */
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;
/** IPv6 extension headers after which the pseudo-header cannot be built from the fixed header alone. */
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;
const IPV6_DEST_OPTIONS = 60;

/**
 * Adds the big-endian 16-bit words of `b[start, end)` to `acc` (RFC 1071 §4.1); an odd last byte
 * counts as the high byte of a zero-padded word. The result is unfolded (exact while below 2^53;
 * a 64 KiB region adds under 2^31).
 */
export function sum16(b: Uint8Array, start: number, end: number, acc: number): number {
  let i = start;
  // Two words per turn (about 15% faster on segments of a hundred bytes), then the rest.
  for (const stop = end - 3; i < stop; i += 4) acc += ((b[i] << 8) | b[i + 1]) + ((b[i + 2] << 8) | b[i + 3]);
  const last = end - 1;
  for (; i < last; i += 2) acc += (b[i] << 8) | b[i + 1];
  if (i === last) acc += b[i] << 8;
  return acc;
}

/** Folds an unfolded `sum16` accumulator (below 2^32) to 16 bits with end-around carry. */
export function fold16(acc: number): number {
  let s = (acc & 0xffff) + (acc >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/**
 * True when the IPv4 header at `b[off, off + hlen)` (RFC 791 §3.1, options included) carries a valid
 * header checksum. The caller has checked that `hlen` bytes are captured.
 */
export function ipv4HeaderChecksumOk(b: Uint8Array, off: number, hlen: number): boolean {
  return fold16(sum16(b, off, off + hlen, 0)) === 0xffff;
}

/**
 * Unfolded sum of the pseudo-header for a transport segment of `len` bytes and protocol `proto`:
 * IPv4 (RFC 9293 §3.1: source, destination, zero, protocol, length) for `ipVersion` 4 at `b[ipOff]`,
 * IPv6 (RFC 8200 §8.1: source, destination, 32-bit length, zeros, next header) for 6.
 */
export function pseudoHeaderSum(b: Uint8Array, ipOff: number, ipVersion: number, proto: number, len: number): number {
  if (ipVersion === 4) return sum16(b, ipOff + 12, ipOff + 20, proto + len);
  return sum16(b, ipOff + 8, ipOff + 40, proto + (len >>> 16) + (len & 0xffff));
}

/**
 * True when the transport segment `b[l4Off, l4Off + len)` of protocol `proto` verifies: TCP, UDP and
 * ICMPv6 over their pseudo-header (IPv4 or IPv6 header at `b[ipOff]`), ICMP (1) over the message
 * alone (RFC 792). The caller has checked that all `len` bytes are captured, and handles the UDP
 * over IPv4 zero checksum ("no checksum", RFC 768) before calling.
 */
export function transportChecksumOk(
  b: Uint8Array,
  ipOff: number,
  ipVersion: number,
  proto: number,
  l4Off: number,
  len: number,
): boolean {
  const pseudo = proto === PROTO_TCP || proto === PROTO_UDP || proto === PROTO_ICMPV6 ? pseudoHeaderSum(b, ipOff, ipVersion, proto, len) : 0;
  return fold16(sum16(b, l4Off, l4Off + len, pseudo)) === 0xffff;
}

/**
 * True when the IPv6 extension-header chain from the fixed header at `b[ipOff]` up to the transport
 * header at `b[l4Off]` holds a routing header (RFC 8200 §4.4: the pseudo-header then names the final
 * destination, not the header's) or a fragment header (§4.5: the checksum covers the whole
 * reassembled datagram). Either makes a per-packet transport checksum unverifiable. Walks headers
 * already bounds-checked by `decodeIpv6`.
 */
export function ipv6ChecksumUnverifiable(b: Uint8Array, ipOff: number, l4Off: number): boolean {
  let next = b[ipOff + 6];
  let p = ipOff + 40;
  while (p < l4Off) {
    if (next === IPV6_ROUTING || next === IPV6_FRAGMENT) return true;
    if (next !== IPV6_HOP_BY_HOP && next !== IPV6_DEST_OPTIONS && next !== IPV6_AH) return false;
    const hlen = next === IPV6_AH ? (b[p + 1] + 2) << 2 : (b[p + 1] + 1) << 3;
    next = b[p];
    p += hlen;
  }
  return next === IPV6_ROUTING || next === IPV6_FRAGMENT;
}

import { EtherType } from './ethertype.js';
import { type AnomalyCallback, MALFORMED, UNSUPPORTED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** BSD loopback header: a 4-byte address family. */
const LOOPBACK_HEADER_BYTES = 4;

/** AF_INET on every BSD. */
const AF_INET = 2;
/** AF_INET6 on NetBSD / OpenBSD / BSD/OS (24), FreeBSD / DragonFly (28), Darwin (30). */
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/**
 * Decodes the BSD loopback header of LINKTYPE_NULL (0, family in the capturing host's byte order) and
 * LINKTYPE_LOOP (108, family in network byte order, https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html).
 *
 * The byte order is detected rather than trusted, since captures move between hosts and some writers
 * get LOOP wrong: families are small numbers, so when the first two bytes are zero the value is
 * big-endian, otherwise little-endian. Family 2 → IPv4; 24, 28, 30 → IPv6. Sets `etherType`
 * (0x0800 / 0x86dd) so later stages see one vocabulary.
 * @returns offset of the IP header (4); MALFORMED (`loopback.truncated_header`) under 4 bytes;
 *   UNSUPPORTED for any other family.
 */
export function decodeNullLoopback(
  b: Uint8Array,
  off: number,
  end: number,
  out: DecodedPacket,
  onAnomaly: AnomalyCallback,
): number {
  if (end - off < LOOPBACK_HEADER_BYTES) {
    onAnomaly('loopback.truncated_header', out);
    return MALFORMED;
  }
  const family =
    b[off] === 0 && b[off + 1] === 0
      ? (b[off + 2] << 8) | b[off + 3]
      : b[off + 2] === 0 && b[off + 3] === 0
        ? b[off] | (b[off + 1] << 8)
        : -1;
  if (family === AF_INET) out.etherType = EtherType.IPV4;
  else if (family === AF_INET6_BSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN) out.etherType = EtherType.IPV6;
  else return UNSUPPORTED;
  return off + LOOPBACK_HEADER_BYTES;
}

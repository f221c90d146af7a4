import { EMPTY_BYTES } from './decoded-packet.js';
import { type AnomalyCallback, MALFORMED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** ICMP / ICMPv6 header: type, code, checksum, and the 4-byte type-specific word (RFC 792, RFC 4443 §2.1). */
const ICMP_HEADER_BYTES = 8;

/** IANA protocol number of ICMPv6. */
const PROTO_ICMPV6 = 58;

/**
 * Decodes an ICMP (RFC 792) or ICMPv6 (RFC 4443 §2.1) header at `b[off]`; which one is told by
 * `out.ipProto` (58 = ICMPv6). `end` is the end of the captured IP payload; `out.payloadLen` holds,
 * on entry, the stated IP payload length.
 *
 * Sets `icmpType`, `icmpCode` (as soon as 2 bytes exist) and, following Zeek's conn_id convention,
 * `srcPort` = type and `dstPort` = code; then `payload` (the bytes after the 8-byte header: echo data,
 * or the invoking packet of an error message) and `payloadLen`. The checksum is left to the Decoder's
 * checksum policy (decode/checksum-policy.ts).
 * Anomaly (malformed): `icmp.truncated_header` / `icmpv6.truncated_header` under 8 bytes.
 * @returns offset of the data after the header, or MALFORMED
 */
export function decodeIcmp(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  const avail = end - off;
  if (avail >= 2) {
    out.icmpType = b[off];
    out.icmpCode = b[off + 1];
    out.srcPort = out.icmpType;
    out.dstPort = out.icmpCode;
  }
  if (avail < ICMP_HEADER_BYTES) {
    onAnomaly(
      out.ipProto === PROTO_ICMPV6 ? 'icmpv6.truncated_header' : 'icmp.truncated_header',
      out,
      `captured=${avail} stated=${out.payloadLen}`,
    );
    return MALFORMED;
  }
  const p = off + ICMP_HEADER_BYTES;
  out.payloadLen = out.payloadLen - ICMP_HEADER_BYTES;
  out.payload = p < end ? b.subarray(p, end) : EMPTY_BYTES;
  return p;
}

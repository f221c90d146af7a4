import { ipv4Text, readIpv4 } from './ip-text.js';
import { type AnomalyCallback, MALFORMED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** Fixed part of the IPv4 header (RFC 791 §3.1), bytes. */
const IPV4_MIN_HEADER_BYTES = 20;

/** More-fragments flag in the flags/fragment-offset word (RFC 791 §3.1). */
export const IPV4_MF = 0x2000;
/** Fragment offset (in 8-byte units) in the flags/fragment-offset word. */
export const IPV4_OFFSET_MASK = 0x1fff;

/**
 * Decodes an IPv4 header (RFC 791 §3.1) at `b[off]`; `end` is the end of the captured bytes.
 *
 * Sets `ipVersion` 4, `ttl`, `ipProto`, `src`, `dst` (dotted quads, cached text) as soon as the
 * 20-byte fixed header is there, then `ipLen` (total length) and `payloadLen` (total length − header
 * length). Options are skipped. The header checksum is not looked at here: the Decoder verifies it
 * per its checksum policy (decode/checksum-policy.ts). The caller trims the frame to `off + ipLen`
 * (Ethernet padding).
 *
 * Anomalies:
 * - `ip.truncated_header` (malformed): fewer than 20 bytes, or fewer than the header length, captured;
 * - `ip.bad_version` (malformed): version field is not 4;
 * - `ip.bad_header_length` (malformed): IHL under 5 words, or total length under the header length;
 * - `ip.zero_total_length` (weird): total length 0, as segmentation offload leaves it on the sending
 *   host; the captured length stands in for it;
 * - `ip.total_length_exceeds_capture` (weird): the datagram is longer than the bytes captured; decoding
 *   goes on with what was captured. When only the snap length cut the frame, `payloadLen` keeps the
 *   stated length; when the frame on the wire (`out.raw.origLen`) was itself shorter than the total
 *   length, those bytes never existed and `payloadLen` counts the bytes the wire frame had (as
 *   Wireshark does: "IPv4 total length exceeds packet length"); the Decoder then returns the packet
 *   'malformed' (Zeek drops it as `truncated_IP_len`).
 *
 * `b` must be `out.raw.data` (offsets relative to it), so that the wire length can be told.
 * @returns offset of the transport header (off + header length), or MALFORMED
 */
export function decodeIpv4(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  const avail = end - off;
  if (avail < IPV4_MIN_HEADER_BYTES) {
    onAnomaly('ip.truncated_header', out, `captured=${avail}`);
    return MALFORMED;
  }
  const vihl = b[off];
  if (vihl >> 4 !== 4) {
    onAnomaly('ip.bad_version', out, `version=${vihl >> 4}`);
    return MALFORMED;
  }
  out.ipVersion = 4;
  out.ttl = b[off + 8];
  out.ipProto = b[off + 9];
  const src4 = readIpv4(b, off + 12);
  const dst4 = readIpv4(b, off + 16);
  out.src4 = src4;
  out.dst4 = dst4;
  out.src = ipv4Text(src4);
  out.dst = ipv4Text(dst4);
  const hlen = (vihl & 0x0f) << 2;
  let total = (b[off + 2] << 8) | b[off + 3];
  if (total === 0) {
    onAnomaly('ip.zero_total_length', out);
    total = avail;
  }
  out.ipLen = total;
  if (hlen < IPV4_MIN_HEADER_BYTES || total < hlen) {
    onAnomaly('ip.bad_header_length', out, `header_length=${hlen} total_length=${total}`);
    return MALFORMED;
  }
  if (hlen > avail) {
    onAnomaly('ip.truncated_header', out, `header_length=${hlen} captured=${avail}`);
    return MALFORMED;
  }
  out.payloadLen = total - hlen;
  if (total > avail) {
    const wire = (out.raw.origLen > end ? out.raw.origLen : end) - off;
    if (total > wire) out.payloadLen = wire - hlen;
    onAnomaly('ip.total_length_exceeds_capture', out, `total_length=${total} captured=${avail} on_wire=${wire}`);
  }
  return off + hlen;
}

/**
 * The flags/fragment-offset word (RFC 791 §3.1) of the IPv4 header at `b[off]` tells whether this is a
 * fragment: more-fragments set or a non-zero offset. The DF bit alone is not fragmentation.
 */
export function isIpv4Fragment(b: Uint8Array, off: number): boolean {
  return (((b[off + 6] << 8) | b[off + 7]) & (IPV4_MF | IPV4_OFFSET_MASK)) !== 0;
}

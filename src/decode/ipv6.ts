import { ipv6Text } from './ip-text.js';
import { type AnomalyCallback, MALFORMED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** Fixed IPv6 header, bytes (RFC 8200 §3). */
const IPV6_HEADER_BYTES = 40;

/** Next-header values (IANA protocol numbers) the extension-header walk understands (RFC 8200 §4). */
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const DEST_OPTIONS = 60;
/** Fragment header length, bytes (RFC 8200 §4.5). */
const FRAGMENT_HEADER_BYTES = 8;

/**
 * Decodes an IPv6 header (RFC 8200 §3) and walks its extension headers (§4): hop-by-hop options (0),
 * routing (43), destination options (60) — length (Hdr Ext Len + 1) × 8 bytes —, authentication
 * header (51, RFC 4302 §2.2: (Payload Len + 2) × 4 bytes) and fragment (44, 8 bytes). The walk stops
 * at any other next-header value, which becomes `ipProto`: a transport (6, 17, 58 …), ESP (50, whose
 * content is encrypted), no-next-header (59) or an unknown protocol.
 *
 * Sets `ipVersion` 6, `ttl` (hop limit), `src`, `dst` (RFC 5952 text), `ipLen` (40 + payload length),
 * `ipProto`, `payloadLen` (bytes after the extension headers as the header states them). A payload
 * length of 0 with a hop-by-hop header is a jumbogram (RFC 2675): the captured length stands in.
 * The caller trims the frame to `off + ipLen`.
 *
 * Fragments (no reassembly for IPv6): any fragment header with a non-zero offset or the M flag raises
 * `ipv6.fragment` (weird). A first fragment (offset 0) goes on to its transport header; a later one
 * stops at the fragment header with `ipProto` 44 and its fragment data as payload.
 *
 * Anomalies (malformed unless noted): `ipv6.truncated_header` (under 40 bytes), `ipv6.bad_version`,
 * `ipv6.bad_extension_header_length` (an extension header runs past the stated payload),
 * `ipv6.truncated_extension_header` (it runs past the captured bytes), `ipv6.total_length_exceeds_capture`
 * (weird: the datagram is longer than the bytes captured; as for IPv4, `payloadLen` keeps the stated
 * length when the snap length cut the frame, and counts only the bytes the wire frame had when
 * `out.raw.origLen` shows it was shorter), `ipv6.fragment` (weird).
 *
 * `b` must be `out.raw.data` (offsets relative to it), so that the wire length can be told.
 * @returns offset of the header after the last extension header, or MALFORMED
 */
export function decodeIpv6(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  const avail = end - off;
  if (avail < IPV6_HEADER_BYTES) {
    onAnomaly('ipv6.truncated_header', out, `captured=${avail}`);
    return MALFORMED;
  }
  if (b[off] >> 4 !== 6) {
    onAnomaly('ipv6.bad_version', out, `version=${b[off] >> 4}`);
    return MALFORMED;
  }
  out.ipVersion = 6;
  out.src = ipv6Text(b, off + 8);
  out.dst = ipv6Text(b, off + 24);
  out.ttl = b[off + 7];
  let next = b[off + 6];
  let payload = (b[off + 4] << 8) | b[off + 5];
  if (payload === 0 && next === HOP_BY_HOP) payload = avail - IPV6_HEADER_BYTES;
  out.ipLen = IPV6_HEADER_BYTES + payload;
  let stated = off + out.ipLen;
  if (stated > end) {
    const wireEnd = out.raw.origLen > end ? out.raw.origLen : end;
    if (stated > wireEnd) stated = wireEnd;
    onAnomaly('ipv6.total_length_exceeds_capture', out, `total_length=${out.ipLen} captured=${avail} on_wire=${wireEnd - off}`);
  }
  const limit = stated < end ? stated : end;
  let p = off + IPV6_HEADER_BYTES;
  while (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTIONS || next === AH || next === FRAGMENT) {
    out.ipProto = next;
    if (limit - p < 2) return extensionTooLong(p + 2 > stated, out, onAnomaly, next);
    const hlen =
      next === FRAGMENT ? FRAGMENT_HEADER_BYTES : next === AH ? (b[p + 1] + 2) << 2 : (b[p + 1] + 1) << 3;
    if (p + hlen > limit) return extensionTooLong(p + hlen > stated, out, onAnomaly, next);
    if (next === FRAGMENT) {
      const offsetWord = (b[p + 2] << 8) | b[p + 3];
      if ((offsetWord & 0xfff9) !== 0) {
        onAnomaly('ipv6.fragment', out, `offset=${offsetWord & 0xfff8} more=${offsetWord & 1}`);
        if ((offsetWord & 0xfff8) !== 0) {
          out.payloadLen = stated - p - hlen;
          return p + hlen;
        }
      }
    }
    next = b[p];
    p += hlen;
  }
  out.ipProto = next;
  out.payloadLen = stated - p;
  return p;
}

/** Reports an extension header that does not fit: past the stated length or only past the capture. */
function extensionTooLong(pastStated: boolean, out: DecodedPacket, onAnomaly: AnomalyCallback, next: number): number {
  onAnomaly(pastStated ? 'ipv6.bad_extension_header_length' : 'ipv6.truncated_extension_header', out, `next_header=${next}`);
  return MALFORMED;
}

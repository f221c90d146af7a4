import { EMPTY_BYTES } from './decoded-packet.js';
import { type AnomalyCallback, MALFORMED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** UDP header, bytes (RFC 768). */
const UDP_HEADER_BYTES = 8;

/**
 * Decodes a UDP header (RFC 768) at `b[off]`. `end` is the end of the captured IP payload (trimmed to
 * the IP length); `out.payloadLen` holds, on entry, the IP payload length the IP header states.
 *
 * Sets `srcPort`, `dstPort` (as soon as 4 bytes exist), `payload` (a view of the captured datagram
 * data) and `payloadLen`. The checksum is left to the Decoder's checksum policy (decode/checksum-policy.ts).
 *
 * Length sanity: when the UDP length differs from the IP payload length, `udp.bad_length` (weird) is
 * reported and the packet still decodes: a UDP length within 8 … IP payload bounds the data (bytes
 * after it are trailer), otherwise the IP payload length does (Zeek's UDP_datagram_length_mismatch
 * handling).
 * Anomaly (malformed): `udp.truncated_header` under 8 bytes.
 * @returns offset of the UDP data, or MALFORMED
 */
export function decodeUdp(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  const avail = end - off;
  const stated = out.payloadLen;
  if (avail >= 4) {
    out.srcPort = (b[off] << 8) | b[off + 1];
    out.dstPort = (b[off + 2] << 8) | b[off + 3];
  }
  if (avail < UDP_HEADER_BYTES) {
    onAnomaly('udp.truncated_header', out, `captured=${avail} stated=${stated}`);
    return MALFORMED;
  }
  const ulen = (b[off + 4] << 8) | b[off + 5];
  if (ulen !== stated) onAnomaly('udp.bad_length', out, `udp_length=${ulen} ip_payload=${stated}`);
  const dataLen = ulen >= UDP_HEADER_BYTES && ulen <= stated ? ulen - UDP_HEADER_BYTES : stated - UDP_HEADER_BYTES;
  const p = off + UDP_HEADER_BYTES;
  const stop = p + dataLen < end ? p + dataLen : end;
  out.payloadLen = dataLen;
  out.payload = p < stop ? b.subarray(p, stop) : EMPTY_BYTES;
  return p;
}

import { EMPTY_BYTES } from './decoded-packet.js';
import { type AnomalyCallback, MALFORMED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** TCP header without options, bytes (RFC 9293 §3.1). */
const TCP_MIN_HEADER_BYTES = 20;

/**
 * Decodes a TCP header (RFC 9293 §3.1) at `b[off]`. `end` is the end of the IP payload as captured
 * (already trimmed to the IP length), and `out.payloadLen` holds, on entry, the IP payload length the
 * IP header states; on return it holds the TCP payload length it implies.
 *
 * Sets `srcPort`, `dstPort` (as soon as 4 bytes exist), then `seq`, `ack` (unsigned 32-bit),
 * `tcpFlags` (low 9 bits: NS … FIN, Wireshark `tcp.flags` & 0x1ff), `window` (unscaled), `payload`
 * (the captured bytes after the header and options: a view) and `payloadLen`.
 *
 * Anomalies (malformed): `tcp.truncated_header` (under 20 bytes, or under the data offset, captured or
 * stated), `tcp.bad_header_length` (data offset under 5 words, or beyond the stated IP payload).
 * @returns offset of the TCP payload, or MALFORMED
 */
export function decodeTcp(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  const avail = end - off;
  const stated = out.payloadLen;
  if (avail >= 4) {
    out.srcPort = (b[off] << 8) | b[off + 1];
    out.dstPort = (b[off + 2] << 8) | b[off + 3];
  }
  if (avail < TCP_MIN_HEADER_BYTES) {
    onAnomaly('tcp.truncated_header', out, `captured=${avail} stated=${stated}`);
    return MALFORMED;
  }
  out.seq = ((b[off + 4] << 24) | (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7]) >>> 0;
  out.ack = ((b[off + 8] << 24) | (b[off + 9] << 16) | (b[off + 10] << 8) | b[off + 11]) >>> 0;
  out.tcpFlags = ((b[off + 12] & 0x01) << 8) | b[off + 13];
  out.window = (b[off + 14] << 8) | b[off + 15];
  const hlen = (b[off + 12] >> 4) << 2;
  if (hlen < TCP_MIN_HEADER_BYTES || hlen > stated) {
    onAnomaly('tcp.bad_header_length', out, `data_offset=${hlen} stated=${stated}`);
    return MALFORMED;
  }
  if (hlen > avail) {
    onAnomaly('tcp.truncated_header', out, `data_offset=${hlen} captured=${avail}`);
    return MALFORMED;
  }
  const p = off + hlen;
  out.payloadLen = stated - hlen;
  out.payload = p < end ? b.subarray(p, end) : EMPTY_BYTES;
  return p;
}

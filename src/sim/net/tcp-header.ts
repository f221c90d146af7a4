import { finishChecksum, sum16 } from './checksum.js';
import { IpProto, pseudoHeaderSum } from './ipv4.js';

/** TCP header flag bits (RFC 9293 §3.1; tshark `tcp.flags`). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
} as const;

/** TCP header length without options, bytes (Data Offset 5). */
export const TCP_HEADER_LEN = 20;
/** Length of the MSS option (kind 2, length 4, RFC 9293 §3.2), bytes. */
export const TCP_MSS_OPTION_LEN = 4;

/**
 * Write a TCP header (RFC 9293 §3.1) at `buf[off]` for a segment whose `payLen` payload bytes are
 * already in place right after the header (and options), then fill in the checksum computed over
 * the pseudo-header (source/destination IPv4 address, protocol 6, TCP length), header and payload.
 * @param seq, ack  unsigned 32-bit sequence and acknowledgement numbers.
 * @param flags     `TcpFlag` bits.
 * @param window    advertised window (unscaled), bytes.
 * @param mss       when > 0, an MSS option (kind 2, length 4) is written and Data Offset is 6;
 *                  RFC 9293 §3.7.1 allows it only on SYN segments.
 * @returns the header length written, bytes (20 or 24).
 */
export function writeTcp(
  buf: Uint8Array,
  off: number,
  srcIp: number,
  dstIp: number,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  mss: number,
  payLen: number,
): number {
  const hlen = mss > 0 ? TCP_HEADER_LEN + TCP_MSS_OPTION_LEN : TCP_HEADER_LEN;
  buf[off] = srcPort >>> 8;
  buf[off + 1] = srcPort & 0xff;
  buf[off + 2] = dstPort >>> 8;
  buf[off + 3] = dstPort & 0xff;
  buf[off + 4] = seq >>> 24;
  buf[off + 5] = (seq >>> 16) & 0xff;
  buf[off + 6] = (seq >>> 8) & 0xff;
  buf[off + 7] = seq & 0xff;
  buf[off + 8] = ack >>> 24;
  buf[off + 9] = (ack >>> 16) & 0xff;
  buf[off + 10] = (ack >>> 8) & 0xff;
  buf[off + 11] = ack & 0xff;
  buf[off + 12] = (hlen >>> 2) << 4;
  buf[off + 13] = flags & 0xff;
  buf[off + 14] = (window >>> 8) & 0xff;
  buf[off + 15] = window & 0xff;
  buf[off + 16] = 0;
  buf[off + 17] = 0;
  buf[off + 18] = 0;
  buf[off + 19] = 0;
  if (mss > 0) {
    buf[off + 20] = 2;
    buf[off + 21] = 4;
    buf[off + 22] = (mss >>> 8) & 0xff;
    buf[off + 23] = mss & 0xff;
  }
  const l4Len = hlen + payLen;
  const c = finishChecksum(sum16(buf, off, l4Len, pseudoHeaderSum(srcIp, dstIp, IpProto.TCP, l4Len)));
  buf[off + 16] = c >>> 8;
  buf[off + 17] = c & 0xff;
  return hlen;
}

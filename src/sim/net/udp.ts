import { finishChecksum, sum16 } from './checksum.js';
import { IpProto, pseudoHeaderSum } from './ipv4.js';

/** UDP header length, bytes (RFC 768). */
export const UDP_HEADER_LEN = 8;

/**
 * Write a UDP header (RFC 768) at `buf[off]` for a datagram whose `payLen` payload bytes already
 * follow it, with the checksum over the IPv4 pseudo-header, header and payload. A computed
 * checksum of 0 is sent as 0xFFFF (RFC 768: zero means "no checksum").
 * @returns the header length, 8.
 */
export function writeUdp(
  buf: Uint8Array,
  off: number,
  srcIp: number,
  dstIp: number,
  srcPort: number,
  dstPort: number,
  payLen: number,
): number {
  const len = UDP_HEADER_LEN + payLen;
  buf[off] = srcPort >>> 8;
  buf[off + 1] = srcPort & 0xff;
  buf[off + 2] = dstPort >>> 8;
  buf[off + 3] = dstPort & 0xff;
  buf[off + 4] = (len >>> 8) & 0xff;
  buf[off + 5] = len & 0xff;
  buf[off + 6] = 0;
  buf[off + 7] = 0;
  const c = finishChecksum(sum16(buf, off, len, pseudoHeaderSum(srcIp, dstIp, IpProto.UDP, len))) || 0xffff;
  buf[off + 6] = c >>> 8;
  buf[off + 7] = c & 0xff;
  return UDP_HEADER_LEN;
}

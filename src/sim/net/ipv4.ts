import { finishChecksum, sum16 } from './checksum.js';

/** IPv4 header length without options, bytes (RFC 791 §3.1, IHL = 5). */
export const IPV4_HEADER_LEN = 20;
/** IP protocol numbers (IANA "protocol-numbers"). */
export const IpProto = { TCP: 6, UDP: 17 } as const;

/**
 * Write a 20-byte IPv4 header (RFC 791 §3.1) at `buf[off]` with its header checksum:
 * version 4, IHL 5, DSCP/ECN `tos`, Total Length `totalLen` (header + payload, bytes),
 * Identification `id` (16 bits), flags DF (Don't Fragment, as TCP stacks with path-MTU discovery set
 * it, RFC 1191) when `df`, fragment offset 0, `ttl`, `proto`, source and destination as unsigned
 * 32-bit network-order numbers.
 * @returns the offset just after the header.
 */
export function writeIpv4(
  buf: Uint8Array,
  off: number,
  tos: number,
  totalLen: number,
  id: number,
  df: boolean,
  ttl: number,
  proto: number,
  src: number,
  dst: number,
): number {
  buf[off] = 0x45;
  buf[off + 1] = tos & 0xff;
  buf[off + 2] = (totalLen >>> 8) & 0xff;
  buf[off + 3] = totalLen & 0xff;
  buf[off + 4] = (id >>> 8) & 0xff;
  buf[off + 5] = id & 0xff;
  buf[off + 6] = df ? 0x40 : 0x00;
  buf[off + 7] = 0;
  buf[off + 8] = ttl & 0xff;
  buf[off + 9] = proto & 0xff;
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  buf[off + 12] = src >>> 24;
  buf[off + 13] = (src >>> 16) & 0xff;
  buf[off + 14] = (src >>> 8) & 0xff;
  buf[off + 15] = src & 0xff;
  buf[off + 16] = dst >>> 24;
  buf[off + 17] = (dst >>> 16) & 0xff;
  buf[off + 18] = (dst >>> 8) & 0xff;
  buf[off + 19] = dst & 0xff;
  const c = finishChecksum(sum16(buf, off, IPV4_HEADER_LEN, 0));
  buf[off + 10] = c >>> 8;
  buf[off + 11] = c & 0xff;
  return off + IPV4_HEADER_LEN;
}

/**
 * Sum of the TCP/UDP pseudo-header (RFC 9293 §3.1 "Checksum", RFC 768): source and destination
 * address, zero, protocol, and the transport length in bytes. Feed it to `sum16` as the start value.
 */
export function pseudoHeaderSum(src: number, dst: number, proto: number, l4Len: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + l4Len;
}

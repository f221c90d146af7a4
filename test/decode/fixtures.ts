import { concat, hex } from './helpers.js';

/** Ethernet II header carrying IPv4 (IEEE 802.3 / RFC 894). */
export const ETH_IPV4 = hex`
  00 15 ac 1e 01 02   # destination MAC 00:15:ac:1e:01:02
  00 10 5a 0a 0b 0c   # source MAC 00:10:5a:0a:0b:0c
  08 00               # EtherType IPv4
`;

/** IPv4 header (RFC 791 §3.1) of a 52-byte TCP datagram 192.168.10.10 → 192.168.10.20. */
export const IPV4_TCP_52 = hex`
  45                  # version 4, IHL 5 words (20 bytes)
  00                  # DSCP 0, ECN 0
  00 34               # total length 52
  1c 46               # identification 0x1c46
  40 00               # flags DF, fragment offset 0
  40                  # TTL 64
  06                  # protocol TCP
  b1 e6               # header checksum (wrong: decoded with checksums ignored, the default)
  c0 a8 0a 0a         # source 192.168.10.10
  c0 a8 0a 14         # destination 192.168.10.20
`;

/** TCP header (RFC 9293 §3.1), client 49374 → Modbus server 502, PSH+ACK, no options. */
export const TCP_PSH_ACK = hex`
  c0 de               # source port 49374
  01 f6               # destination port 502
  9a 3b 1c 2d         # sequence number 2587565101 (above 2^31: must stay unsigned)
  80 00 00 02         # acknowledgment number 2147483650
  50                  # data offset 5 words (20 bytes), reserved 0, NS 0
  18                  # flags PSH ACK
  fa f0               # window 64240
  00 00               # checksum (wrong: decoded with checksums ignored, the default)
  00 00               # urgent pointer
`;

/** Modbus/TCP Read Holding Registers request (MBAP + PDU), 12 bytes. */
export const MODBUS_READ = hex`
  00 01               # transaction id 1
  00 00               # protocol id 0
  00 06               # length 6
  01                  # unit id 1
  03                  # function 3 Read Holding Registers
  00 00               # starting address 0
  00 02               # quantity 2
`;

/** The whole Ethernet/IPv4/TCP Modbus frame (66 bytes). */
export const MODBUS_FRAME = concat(ETH_IPV4, IPV4_TCP_52, TCP_PSH_ACK, MODBUS_READ);

/**
 * An IPv4 header (RFC 791 §3.1) with the given fields; checksum left 0 (decoded with checksums ignored).
 * Addresses 10.0.0.1 → 10.0.0.2 unless given.
 */
export function ipv4Header(f: {
  totalLength: number;
  id?: number;
  flagsOffset?: number;
  proto?: number;
  ttl?: number;
  src?: readonly number[];
  dst?: readonly number[];
}): Uint8Array {
  const src = f.src ?? [10, 0, 0, 1];
  const dst = f.dst ?? [10, 0, 0, 2];
  const id = f.id ?? 0x4242;
  const fo = f.flagsOffset ?? 0;
  return Uint8Array.from([
    0x45, // version 4, IHL 5
    0x00, // DSCP/ECN
    f.totalLength >> 8, f.totalLength & 0xff, // total length
    id >> 8, id & 0xff, // identification
    fo >> 8, fo & 0xff, // flags (0x2000 = MF) | fragment offset in 8-byte units
    f.ttl ?? 64, // TTL
    f.proto ?? 17, // protocol (UDP by default)
    0x00, 0x00, // header checksum 0 (checksums ignored)
    ...src, // source address
    ...dst, // destination address
  ]);
}

/** A UDP header (RFC 768) 5000 → 6000 with the given length field. */
export function udpHeader(length: number, srcPort = 5000, dstPort = 6000): Uint8Array {
  return Uint8Array.from([
    srcPort >> 8, srcPort & 0xff, // source port
    dstPort >> 8, dstPort & 0xff, // destination port
    length >> 8, length & 0xff, // length (header + data)
    0x00, 0x00, // checksum (0 = none)
  ]);
}

/** `n` payload bytes 0, 1, 2, … (mod 251) so misplaced bytes show. */
export function pattern(n: number, start = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (start + i) % 251;
  return b;
}

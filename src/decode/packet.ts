import type { RawPacket } from '../capture/packet.js';

/**
 * ARP fields of an Ethernet/IPv4 ARP packet (RFC 826). MACs are 48-bit integers, IPs dotted quads.
 */
export interface ArpInfo {
  /** 1 = request, 2 = reply (arp.opcode). */
  op: number;
  senderMac: number;
  senderIp: string;
  targetMac: number;
  targetIp: string;
}

/**
 * One frame decoded from layer 2 to layer 4. Flat on purpose (one hidden class on the hot path).
 * Unset numeric fields are -1, unset strings are ''. Produced by `decodePacket` (decode/decoder.ts).
 *
 * Sources: IEEE 802.3 / 802.1Q / 802.1ad, RFC 791 (IPv4), RFC 8200 (IPv6), RFC 9293 (TCP),
 * RFC 768 (UDP), RFC 792 / RFC 4443 (ICMP / ICMPv6), RFC 826 (ARP).
 */
export interface DecodedPacket {
  /** Capture timestamp, seconds since the epoch. */
  ts: number;
  /** The undecoded frame (frame number, source file, bytes). */
  raw: RawPacket;
  /** Source / destination MAC address as a 48-bit integer (exact in a double); -1 when the link layer has none. */
  srcMac: number;
  dstMac: number;
  /** Outer and inner 802.1Q / 802.1ad VLAN ids; -1 when untagged. */
  vlan: number;
  innerVlan: number;
  /** EtherType of the layer-3 payload (0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP, …); -1 when unknown. */
  etherType: number;
  /** 4 or 6 for IP packets, 0 otherwise. */
  ipVersion: 0 | 4 | 6;
  /** Source / destination IP in canonical text (dotted quad; RFC 5952 for IPv6); '' when not IP. */
  src: string;
  dst: string;
  /** Source / destination IPv4 address as an unsigned 32-bit integer (flow lookup without parsing text); -1 when not IPv4. */
  src4: number;
  dst4: number;
  /** Transport protocol number after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6); -1 when not IP. */
  ipProto: number;
  /** Bytes of the IP datagram as its header states (header + payload; Zeek's *_ip_bytes), after reassembly. */
  ipLen: number;
  /** TTL / hop limit. */
  ttl: number;
  /** TCP/UDP ports; for ICMP, Zeek's convention: srcPort = type, dstPort = code. -1 when absent. */
  srcPort: number;
  dstPort: number;
  /** TCP header fields (tcp.flags as the low 9 bits: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80 NS 0x100). */
  tcpFlags: number;
  /** TCP sequence / acknowledgement numbers (unsigned 32-bit). */
  seq: number;
  ack: number;
  /** TCP window (unscaled). */
  window: number;
  /** ICMP / ICMPv6 type and code; -1 when not ICMP. */
  icmpType: number;
  icmpCode: number;
  /**
   * Layer-4 payload bytes actually captured, trimmed to the length the IP header states
   * (Ethernet padding removed). A view into the frame (or into the reassembled datagram).
   */
  payload: Uint8Array;
  /** Payload length as the IP header states it; larger than payload.length when the snap length cut the frame. */
  payloadLen: number;
  /** ARP fields when etherType is 0x0806. */
  arp: ArpInfo | null;
}

/**
 * Result of decoding one frame.
 * - `ok`: the packet is complete at the layers present.
 * - `held`: an IPv4 fragment was stored; the datagram comes out with its last missing fragment.
 * - `malformed`: a header is damaged; `anomaly` names it (e.g. `ip.truncated_header`) and the fields decoded so far stay set.
 * - `unsupported`: a link type or EtherType this project does not decode (not an error; counted).
 */
export type DecodeStatus = 'ok' | 'held' | 'malformed' | 'unsupported';

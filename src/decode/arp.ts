import { ipv4Text, readIpv4 } from './ip-text.js';
import { type AnomalyCallback, MALFORMED, UNSUPPORTED } from './layer.js';
import { readMac } from './mac.js';
import type { DecodedPacket } from './packet.js';

/** ARP fixed part: hardware type, protocol type, their address lengths, opcode (RFC 826). */
const ARP_FIXED_BYTES = 8;
/** A whole Ethernet/IPv4 ARP packet: fixed part + 2 × (6-byte MAC + 4-byte IPv4). */
const ARP_ETHERNET_IPV4_BYTES = 28;

/**
 * Decodes an ARP packet (RFC 826) for Ethernet hardware (type 1, 6-byte addresses) and IPv4
 * (protocol 0x0800, 4-byte addresses) into `out.arp` (one new ArpInfo per ARP packet; ARP is rare).
 * Other hardware/protocol pairs are UNSUPPORTED (no anomaly). The opcode is kept as sent (1 request,
 * 2 reply, others as they come; Wireshark `arp.opcode`).
 * Anomaly (malformed): `arp.truncated_header` when the packet is shorter than its fixed part or than
 * the 28 bytes its address lengths imply.
 * @returns the offset after the ARP packet, or MALFORMED / UNSUPPORTED
 */
export function decodeArp(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  const avail = end - off;
  if (avail < ARP_FIXED_BYTES) {
    onAnomaly('arp.truncated_header', out, `captured=${avail}`);
    return MALFORMED;
  }
  const htype = (b[off] << 8) | b[off + 1];
  const ptype = (b[off + 2] << 8) | b[off + 3];
  if (htype !== 1 || ptype !== 0x0800 || b[off + 4] !== 6 || b[off + 5] !== 4) return UNSUPPORTED;
  if (avail < ARP_ETHERNET_IPV4_BYTES) {
    onAnomaly('arp.truncated_header', out, `captured=${avail}`);
    return MALFORMED;
  }
  out.arp = {
    op: (b[off + 6] << 8) | b[off + 7],
    senderMac: readMac(b, off + 8),
    senderIp: ipv4Text(readIpv4(b, off + 14)),
    targetMac: readMac(b, off + 18),
    targetIp: ipv4Text(readIpv4(b, off + 24)),
  };
  return off + ARP_ETHERNET_IPV4_BYTES;
}

/** ARP opcodes (RFC 826; IANA "arp-parameters"). */
export const ArpOp = { REQUEST: 1, REPLY: 2 } as const;

/** Length of an Ethernet/IPv4 ARP packet, bytes (RFC 826: 8 + 2·6 + 2·4). */
export const ARP_LEN = 28;

/**
 * Write an Ethernet/IPv4 ARP packet (RFC 826 "Packet format": hardware type 1, protocol 0x0800,
 * hardware length 6, protocol length 4, opcode, sender MAC/IP, target MAC/IP) at `buf[off]`.
 * IPv4 addresses are unsigned 32-bit network-order numbers. For a request the target MAC is
 * all zeros by convention.
 * @returns the offset just after the packet.
 */
export function writeArp(
  buf: Uint8Array,
  off: number,
  op: number,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array,
  targetIp: number,
): number {
  buf[off] = 0x00;
  buf[off + 1] = 0x01;
  buf[off + 2] = 0x08;
  buf[off + 3] = 0x00;
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  buf[off + 6] = op >>> 8;
  buf[off + 7] = op & 0xff;
  for (let i = 0; i < 6; i++) {
    buf[off + 8 + i] = senderMac[i];
    buf[off + 18 + i] = targetMac[i];
  }
  writeU32(buf, off + 14, senderIp);
  writeU32(buf, off + 24, targetIp);
  return off + ARP_LEN;
}

function writeU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 24;
  buf[off + 1] = (v >>> 16) & 0xff;
  buf[off + 2] = (v >>> 8) & 0xff;
  buf[off + 3] = v & 0xff;
}

/** EtherType values the simulator writes (IEEE 802.3 / IANA "ieee-802-numbers"). */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
} as const;

/** Minimum Ethernet frame length without FCS (IEEE 802.3 §3.2.8: 64 bytes with the 4-byte FCS). */
export const ETH_MIN_FRAME_LEN = 60;

/**
 * Write an Ethernet II header (DIX / IEEE 802.3 §3.2.6 Length/Type ≥ 0x0600) at `buf[off]`:
 * destination MAC, source MAC, optionally an IEEE 802.1Q tag (TPID 0x8100, TCI = PCP 3 bits,
 * DEI 0, VID 12 bits), then `etherType`.
 * @param vlan VLAN id 0..4095, or -1 for an untagged frame.
 * @param pcp  802.1Q priority code point 0..7 (ignored when untagged).
 * @returns the offset just after the header (off + 14 or off + 18).
 */
export function writeEthernet(
  buf: Uint8Array,
  off: number,
  dst: Uint8Array,
  src: Uint8Array,
  vlan: number,
  pcp: number,
  etherType: number,
): number {
  for (let i = 0; i < 6; i++) {
    buf[off + i] = dst[i];
    buf[off + 6 + i] = src[i];
  }
  let p = off + 12;
  if (vlan >= 0) {
    buf[p] = EtherType.VLAN >>> 8;
    buf[p + 1] = EtherType.VLAN & 0xff;
    const tci = ((pcp & 7) << 13) | (vlan & 0x0fff);
    buf[p + 2] = tci >>> 8;
    buf[p + 3] = tci & 0xff;
    p += 4;
  }
  buf[p] = etherType >>> 8;
  buf[p + 1] = etherType & 0xff;
  return p + 2;
}

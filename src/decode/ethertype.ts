/**
 * EtherType values this folder acts on (IEEE 802 numbers, IEEE Registration Authority list;
 * Wireshark `eth.type`). Values ≤ 1500 in the type/length field are IEEE 802.3 lengths, not types.
 */
export const EtherType = {
  /** IPv4, RFC 894. */
  IPV4: 0x0800,
  /** ARP, RFC 826. */
  ARP: 0x0806,
  /** IPv6, RFC 2464. */
  IPV6: 0x86dd,
  /** IEEE 802.1Q customer VLAN tag (C-TAG). */
  VLAN: 0x8100,
  /** IEEE 802.1ad service VLAN tag (S-TAG, QinQ). */
  QINQ: 0x88a8,
  /** Pre-standard QinQ S-TAG used by some switches. */
  QINQ_OLD: 0x9100,
} as const;

/** Largest IEEE 802.3 length value; a type/length field above it (≥ 0x0600 in practice) is an EtherType. */
export const MAX_8023_LENGTH = 1500;

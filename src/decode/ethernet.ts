import { MAX_8023_LENGTH } from './ethertype.js';
import { type AnomalyCallback, MALFORMED, UNSUPPORTED } from './layer.js';
import { readMac } from './mac.js';
import type { DecodedPacket } from './packet.js';
import { decodeVlanTags } from './vlan.js';

/** Ethernet II header: destination MAC (6), source MAC (6), EtherType (2). */
const ETHERNET_HEADER_BYTES = 14;

/**
 * Decodes an Ethernet II header (LINKTYPE_ETHERNET = 1; IEEE 802.3 Clause 3 frame with an RFC 894
 * type field, no preamble and usually no FCS) and any VLAN tags after it (see `decodeVlanTags`).
 *
 * Sets `dstMac`, `srcMac` (as soon as 12 bytes exist), `etherType`, `vlan`, `innerVlan`.
 * @returns offset of the layer-3 header; MALFORMED (`eth.truncated_header`) when fewer than 14 bytes
 *   were captured, or `vlan.truncated_header`; UNSUPPORTED for IEEE 802.3 length frames (type ≤ 1500:
 *   LLC/SNAP, not decoded here, not an error).
 */
export function decodeEthernet(
  b: Uint8Array,
  off: number,
  end: number,
  out: DecodedPacket,
  onAnomaly: AnomalyCallback,
): number {
  const avail = end - off;
  if (avail >= 12) {
    out.dstMac = readMac(b, off);
    out.srcMac = readMac(b, off + 6);
  }
  if (avail < ETHERNET_HEADER_BYTES) {
    onAnomaly('eth.truncated_header', out);
    return MALFORMED;
  }
  const type = (b[off + 12] << 8) | b[off + 13];
  if (type <= MAX_8023_LENGTH) return UNSUPPORTED;
  out.etherType = type;
  return decodeVlanTags(b, off + ETHERNET_HEADER_BYTES, end, out, onAnomaly);
}

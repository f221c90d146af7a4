import { MAX_8023_LENGTH } from './ethertype.js';
import { type AnomalyCallback, MALFORMED, UNSUPPORTED } from './layer.js';
import { readMac } from './mac.js';
import type { DecodedPacket } from './packet.js';
import { decodeVlanTags } from './vlan.js';

/** LINKTYPE_LINUX_SLL header bytes. */
const SLL_HEADER_BYTES = 16;
/** LINKTYPE_LINUX_SLL2 header bytes. */
const SLL2_HEADER_BYTES = 20;

/** ARPHRD_NETLINK: the protocol field is a netlink family, not an EtherType. */
const ARPHRD_NETLINK = 824;
/** ARPHRD_IEEE80211_RADIOTAP: a radiotap header follows, not a layer-3 packet. */
const ARPHRD_IEEE80211_RADIOTAP = 803;

/**
 * Decodes a Linux "cooked" capture header v1 (LINKTYPE_LINUX_SLL = 113,
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html), then any VLAN tags:
 * packet type (2) | ARPHRD type (2) | link-layer address length (2) | address (8, zero-padded) |
 * protocol type (2).
 *
 * Sets `srcMac` from the address when its length is 6 (the sender's MAC for ARPHRD_ETHER), and
 * `etherType` from the protocol type. There is no destination MAC.
 * @returns offset of the layer-3 header; MALFORMED (`sll.truncated_header`) under 16 bytes;
 *   UNSUPPORTED for netlink / radiotap captures and for protocol values that are not EtherTypes
 *   (< 0x0600: 802.2 LLC, 802.3 without LLC, CAN, …).
 */
export function decodeSll(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  if (end - off < SLL_HEADER_BYTES) {
    onAnomaly('sll.truncated_header', out);
    return MALFORMED;
  }
  const hatype = (b[off + 2] << 8) | b[off + 3];
  const addrLen = (b[off + 4] << 8) | b[off + 5];
  if (addrLen === 6) out.srcMac = readMac(b, off + 6);
  const protocol = (b[off + 14] << 8) | b[off + 15];
  return finish(b, off + SLL_HEADER_BYTES, end, out, onAnomaly, hatype, protocol);
}

/**
 * Decodes a Linux "cooked" capture header v2 (LINKTYPE_LINUX_SLL2 = 276,
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html), then any VLAN tags:
 * protocol type (2) | reserved (2) | interface index (4) | ARPHRD type (2) | packet type (1) |
 * link-layer address length (1) | address (8, zero-padded).
 *
 * Fields and results as `decodeSll` (anomaly `sll2.truncated_header` under 20 bytes).
 */
export function decodeSll2(b: Uint8Array, off: number, end: number, out: DecodedPacket, onAnomaly: AnomalyCallback): number {
  if (end - off < SLL2_HEADER_BYTES) {
    onAnomaly('sll2.truncated_header', out);
    return MALFORMED;
  }
  const protocol = (b[off] << 8) | b[off + 1];
  const hatype = (b[off + 8] << 8) | b[off + 9];
  if (b[off + 11] === 6) out.srcMac = readMac(b, off + 12);
  return finish(b, off + SLL2_HEADER_BYTES, end, out, onAnomaly, hatype, protocol);
}

/** Shared tail of both versions: protocol type → EtherType, then VLAN tags. */
function finish(
  b: Uint8Array,
  off: number,
  end: number,
  out: DecodedPacket,
  onAnomaly: AnomalyCallback,
  hatype: number,
  protocol: number,
): number {
  if (hatype === ARPHRD_NETLINK || hatype === ARPHRD_IEEE80211_RADIOTAP || protocol <= MAX_8023_LENGTH) {
    return UNSUPPORTED;
  }
  out.etherType = protocol;
  return decodeVlanTags(b, off, end, out, onAnomaly);
}

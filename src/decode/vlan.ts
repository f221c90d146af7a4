import { EtherType, MAX_8023_LENGTH } from './ethertype.js';
import { type AnomalyCallback, MALFORMED, UNSUPPORTED } from './layer.js';
import type { DecodedPacket } from './packet.js';

/** Bytes of one VLAN tag after its TPID: TCI (2) + next EtherType (2). */
const TAG_BYTES = 4;

/**
 * Skips IEEE 802.1Q / 802.1ad VLAN tags (TPID 0x8100, 0x88a8, and the pre-standard 0x9100) that
 * follow a link header whose type field already sits in `out.etherType`.
 *
 * Tag layout after the TPID (IEEE 802.1Q-2018 §9.6): TCI = PCP (3 bits) | DEI (1) | VID (12), then
 * the next type. The outermost VID goes to `out.vlan`, the second to `out.innerVlan`; deeper tags
 * are skipped. `out.etherType` ends as the first non-tag type.
 *
 * @returns offset of the layer-3 header; MALFORMED (`vlan.truncated_header`) when a tag is cut
 *   short; UNSUPPORTED when the innermost type is an 802.3 length (≤ 1500).
 */
export function decodeVlanTags(
  b: Uint8Array,
  off: number,
  end: number,
  out: DecodedPacket,
  onAnomaly: AnomalyCallback,
): number {
  let type = out.etherType;
  while (type === EtherType.VLAN || type === EtherType.QINQ || type === EtherType.QINQ_OLD) {
    if (end - off < TAG_BYTES) {
      onAnomaly('vlan.truncated_header', out);
      return MALFORMED;
    }
    const vid = ((b[off] & 0x0f) << 8) | b[off + 1];
    if (out.vlan === -1) out.vlan = vid;
    else if (out.innerVlan === -1) out.innerVlan = vid;
    type = (b[off + 2] << 8) | b[off + 3];
    off += TAG_BYTES;
  }
  if (type <= MAX_8023_LENGTH) {
    out.etherType = -1;
    return UNSUPPORTED;
  }
  out.etherType = type;
  return off;
}

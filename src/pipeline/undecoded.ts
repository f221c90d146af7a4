import { LinkType, type RawPacket } from '../capture/packet.js';
import type { DecodedPacket } from '../decode/packet.js';
import type { LogSink } from '../events/record.js';
import { makeWeird } from '../session/weird-log.js';

/** Distinct kinds reported per run (link types, EtherTypes, IP protocols); later new ones are not reported. */
const MAX_KINDS = 256;

/**
 * Says once per run and kind what was not decoded, so that "nothing happened" is never what an
 * analyst reads into traffic CraneWatch does not understand: weird `decode.unsupported_link_type`
 * (a capture link type without a decoder), `decode.unsupported_llc` (IEEE 802.3 frames with an LLC
 * header: spanning tree, CDP …), `decode.unsupported_ethertype` (PROFINET 0x8892, LLDP 0x88cc, IPX …) and `ip.unsupported_protocol` (IP-in-IP 4, GRE 47, ESP 50 … — IP packets that carry
 * neither TCP, UDP nor ICMP, so they make no flow). Each weird carries the first such packet's
 * time and addresses; the run's `decode.unsupported` count (pipeline/analyze.ts) has the totals.
 */
export class UndecodedReport {
  private readonly seen = new Set<string>();

  constructor(private readonly sink: LogSink) {}

  /** A frame the decoder returned 'unsupported' for (its link type or EtherType has no decoder). */
  frame(raw: RawPacket, pkt: DecodedPacket): void {
    if (pkt.etherType >= 0) {
      const hex = pkt.etherType.toString(16).padStart(4, '0');
      this.once(`e${pkt.etherType}`, 'decode.unsupported_ethertype', pkt, `EtherType 0x${hex}: frames not decoded`);
    } else if (raw.linkType === LinkType.ETHERNET) {
      // An Ethernet frame whose type field is a length (≤ 1500): IEEE 802.3 with an LLC header.
      this.once('llc', 'decode.unsupported_llc', pkt, 'IEEE 802.3 LLC frames (spanning tree, CDP, NetBIOS over LLC …): not decoded');
    } else {
      this.once(`l${raw.linkType}`, 'decode.unsupported_link_type', pkt, `link type ${raw.linkType}: frames not decoded`);
    }
  }

  /** An IP packet of a protocol other than TCP, UDP, ICMP and ICMPv6. */
  ipProtocol(pkt: DecodedPacket): void {
    this.once(`p${pkt.ipProto}`, 'ip.unsupported_protocol', pkt, `IP protocol ${pkt.ipProto}: packets not analyzed (no flow)`);
  }

  private once(key: string, name: string, pkt: DecodedPacket, addl: string): void {
    if (this.seen.has(key) || this.seen.size >= MAX_KINDS) return;
    this.seen.add(key);
    this.sink.write('weird', makeWeird(name, 'weird', pkt, addl));
  }
}

import { LinkType, type RawPacket } from '../capture/packet.js';
import type { Limits } from '../config/limits.js';
import { decodeArp } from './arp.js';
import { EMPTY_BYTES, resetDecodedPacket } from './decoded-packet.js';
import { decodeEthernet } from './ethernet.js';
import { EtherType } from './ethertype.js';
import { decodeIcmp } from './icmp.js';
import { DEFRAG_COMPLETE, DEFRAG_HELD, Ipv4Defragmenter } from './ipv4-defrag.js';
import { decodeIpv4, isIpv4Fragment } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { type AnomalyCallback, MALFORMED } from './layer.js';
import { decodeNullLoopback } from './null-loopback.js';
import type { DecodedPacket, DecodeStatus } from './packet.js';
import { decodeSll, decodeSll2 } from './sll.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';

export { newDecodedPacket } from './decoded-packet.js';

/** IANA protocol numbers the transport dispatch acts on. */
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;

/**
 * Decodes captured frames from layer 2 to layer 4 into a reused, flat DecodedPacket
 * (decode/packet.ts), and reassembles IPv4 fragments (decode/ipv4-defrag.ts).
 *
 * Link types (tcpdump.org LINKTYPE_*): ETHERNET (1, with 802.1Q / 802.1ad / 0x9100 tags),
 * LINUX_SLL (113), LINUX_SLL2 (276), NULL (0) and LOOP (108), RAW (101, IPv4 or IPv6 by the version
 * nibble), IPV4 (228), IPV6 (229). Layer 3: IPv4, IPv6 (with extension headers), ARP. Layer 4: TCP,
 * UDP, ICMP, ICMPv6; for any other protocol (and for a non-first IPv6 fragment, `ipProto` 44) the IP
 * payload is the payload.
 *
 * Never throws on packet bytes. Anomalies are reported through `onAnomaly` as they are found, with
 * the packet as decoded so far (names: `eth.*`, `vlan.*`, `sll.*`, `sll2.*`, `loopback.*`, `ip.*`,
 * `ipv6.*`, `tcp.*`, `udp.*`, `icmp.*`, `icmpv6.*`, `arp.*`; see each layer file). Dropped fragment
 * sets are reported with a packet describing the set instead.
 */
export class Decoder {
  private readonly defrag: Ipv4Defragmenter;

  /**
   * @param limits bounds for IPv4 reassembly (maxFragmentSets, fragmentTimeoutSec, maxDatagramBytes)
   * @param onAnomaly receives every anomaly; the packet passed is only valid during the call
   */
  constructor(
    limits: Readonly<Limits>,
    private readonly onAnomaly: AnomalyCallback,
  ) {
    this.defrag = new Ipv4Defragmenter(limits, onAnomaly);
  }

  /** IPv4 fragment sets waiting for missing pieces. */
  get heldFragmentSets(): number {
    return this.defrag.size;
  }

  /**
   * Decodes `raw` into `out`, first resetting every field of `out` (the caller reuses one object).
   *
   * Views in `out.payload` point into `raw.data`, or into a fresh reassembled datagram when an IPv4
   * fragment completes one (then `ipLen` is the whole datagram's length, `ts` that of the completing
   * fragment). A fragment that is stored returns 'held' with its IP fields set and its fragment data
   * as payload.
   * @returns 'ok', 'held', 'malformed' (an anomaly was reported; fields decoded so far are kept) or
   *   'unsupported' (link type, EtherType, loopback family, 802.3 frame or ARP variant not decoded; no anomaly)
   */
  decode(raw: RawPacket, out: DecodedPacket): DecodeStatus {
    resetDecodedPacket(out, raw);
    const b = raw.data;
    const end = b.length;
    const cb = this.onAnomaly;
    let off: number;
    switch (raw.linkType) {
      case LinkType.ETHERNET:
        off = decodeEthernet(b, 0, end, out, cb);
        break;
      case LinkType.LINUX_SLL:
        off = decodeSll(b, 0, end, out, cb);
        break;
      case LinkType.LINUX_SLL2:
        off = decodeSll2(b, 0, end, out, cb);
        break;
      case LinkType.NULL:
      case LinkType.LOOP:
        off = decodeNullLoopback(b, 0, end, out, cb);
        break;
      case LinkType.RAW:
        off = 0;
        out.etherType = end > 0 && b[0] >> 4 === 6 ? EtherType.IPV6 : EtherType.IPV4;
        break;
      case LinkType.IPV4:
        off = 0;
        out.etherType = EtherType.IPV4;
        break;
      case LinkType.IPV6:
        off = 0;
        out.etherType = EtherType.IPV6;
        break;
      default:
        return 'unsupported';
    }
    if (off < 0) return off === MALFORMED ? 'malformed' : 'unsupported';
    switch (out.etherType) {
      case EtherType.IPV4:
        return this.ipv4(b, off, end, out);
      case EtherType.IPV6: {
        const l4 = decodeIpv6(b, off, end, out, cb);
        if (l4 < 0) return 'malformed';
        const stated = off + out.ipLen;
        return this.transport(b, l4, stated < end ? stated : end, out);
      }
      case EtherType.ARP: {
        const r = decodeArp(b, off, end, out, cb);
        return r >= 0 ? 'ok' : r === MALFORMED ? 'malformed' : 'unsupported';
      }
      default:
        return 'unsupported';
    }
  }

  /**
   * Drops IPv4 fragment sets older than `limits.fragmentTimeoutSec` at time `now` (seconds since the
   * epoch, normally the current packet time; `Infinity` at end of input), each with `ip.fragment_timeout`.
   */
  expire(now: number): void {
    this.defrag.expire(now);
  }

  /** IPv4 header, fragment handling, then the transport. */
  private ipv4(b: Uint8Array, off: number, end: number, out: DecodedPacket): DecodeStatus {
    const l4 = decodeIpv4(b, off, end, out, this.onAnomaly);
    if (l4 < 0) return 'malformed';
    const stated = off + out.ipLen;
    const l4End = stated < end ? stated : end;
    if (!isIpv4Fragment(b, off)) return this.transport(b, l4, l4End, out);
    const r = this.defrag.add(b, off, l4 - off, l4End, out);
    if (r === DEFRAG_HELD) {
      out.payload = l4 < l4End ? b.subarray(l4, l4End) : EMPTY_BYTES;
      return 'held';
    }
    if (r !== DEFRAG_COMPLETE) return 'malformed';
    const dg = this.defrag.datagram;
    const hlen = (dg[0] & 0x0f) << 2;
    out.ttl = dg[8];
    out.ipLen = dg.length;
    out.payloadLen = dg.length - hlen;
    return this.transport(dg, hlen, dg.length, out);
  }

  /** Layer 4 over `b[off, end)`, where `end` is already trimmed to the IP length. */
  private transport(b: Uint8Array, off: number, end: number, out: DecodedPacket): DecodeStatus {
    let r: number;
    switch (out.ipProto) {
      case PROTO_TCP:
        r = decodeTcp(b, off, end, out, this.onAnomaly);
        break;
      case PROTO_UDP:
        r = decodeUdp(b, off, end, out, this.onAnomaly);
        break;
      case PROTO_ICMP:
      case PROTO_ICMPV6:
        r = decodeIcmp(b, off, end, out, this.onAnomaly);
        break;
      default:
        out.payload = off < end ? b.subarray(off, end) : EMPTY_BYTES;
        return 'ok';
    }
    return r < 0 ? 'malformed' : 'ok';
  }
}

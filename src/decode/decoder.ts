import { LinkType, type RawPacket } from '../capture/packet.js';
import type { Limits } from '../config/limits.js';
import { decodeArp } from './arp.js';
import { ChecksumPolicy, type ChecksumMode, type HostChecksums } from './checksum-policy.js';
import { fold16, ipv4HeaderChecksumOk, ipv6ChecksumUnverifiable, pseudoHeaderSum, transportChecksumOk } from './checksum.js';
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
/** Fixed UDP header, bytes (RFC 768). */
const UDP_HEADER_BYTES = 8;

/** Options of a Decoder. */
export interface DecoderOptions {
  /**
   * Checksum verification (decode/checksum-policy.ts). Default 'ignore': a decoder on its own
   * verifies nothing; the analysis pipeline asks for 'auto' unless told otherwise.
   */
  checksums?: ChecksumMode;
}

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
 * Datagrams longer than the frame on the wire (IPv4 total length or IPv6 payload length past
 * `raw.origLen`: bytes that never existed, Zeek's `truncated_IP_len`) are decoded as far as they go and
 * returned 'malformed', so that no flow counts them; a frame only cut by the snap length is not.
 *
 * Checksums (`options.checksums`, decode/checksum.ts, decode/checksum-policy.ts), in Zeek's order:
 * the IPv4 header checksum of every IPv4 packet and fragment, then the TCP, UDP, ICMP or ICMPv6
 * checksum of every complete, unfragmented (or reassembled) segment. A transport checksum is not
 * verified when fewer bytes were captured than the IP header states (as Zeek), for UDP over IPv4 with
 * checksum 0 (RFC 768 "no checksum"), nor behind an IPv6 routing or fragment header. UDP is summed
 * over the bytes its length field covers when that lies within the IP payload (RFC 768; Zeek sums the
 * whole IP payload, which differs only for datagrams with trailing bytes). When the policy
 * drops a packet: a failed IPv4 header checksum makes `decode` return 'malformed' with anomaly
 * `ip.bad_checksum` (Zeek's `bad_IP_checksum`; addl `checksum=0x…`, or `total_length=0` for a
 * zeroed total length); a failed transport checksum leaves the status 'ok' and sets
 * `badTransportChecksum`, for the session layer to account (Zeek skips the packet after finding its
 * connection).
 *
 * Never throws on packet bytes. Anomalies are reported through `onAnomaly` as they are found, with
 * the packet as decoded so far (names: `eth.*`, `vlan.*`, `sll.*`, `sll2.*`, `loopback.*`, `ip.*`,
 * `ipv6.*`, `tcp.*`, `udp.*`, `icmp.*`, `icmpv6.*`, `arp.*`, `checksum.*`; see each layer file).
 * Dropped fragment sets are reported with a packet describing the set instead.
 */
export class Decoder {
  private readonly defrag: Ipv4Defragmenter;
  private readonly policy: ChecksumPolicy | null;
  private badL4 = false;

  /**
   * @param limits bounds for IPv4 reassembly (maxFragmentSets, fragmentTimeoutSec, maxDatagramBytes)
   *   and for the hosts the checksum policy tracks (maxAssets)
   * @param onAnomaly receives every anomaly; the packet passed is only valid during the call
   * @param options checksum mode (default 'ignore')
   */
  constructor(
    limits: Readonly<Limits>,
    private readonly onAnomaly: AnomalyCallback,
    options: DecoderOptions = {},
  ) {
    this.defrag = new Ipv4Defragmenter(limits, onAnomaly);
    const mode = options.checksums ?? 'ignore';
    this.policy = mode === 'ignore' ? null : new ChecksumPolicy(mode, limits.maxAssets, onAnomaly);
  }

  /** The checksum policy in force, or null under 'ignore'. */
  get checksums(): ChecksumPolicy | null {
    return this.policy;
  }

  /**
   * True when the last `decode` returned 'ok' for a TCP, UDP, ICMP or ICMPv6 packet whose transport
   * checksum failed and the checksum policy drops it: the packet must reach its flow only as a
   * checksum failure (session/flow-table.ts), never as traffic.
   */
  get badTransportChecksum(): boolean {
    return this.badL4;
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
    this.badL4 = false;
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
        const pastWire = stated > (raw.origLen > end ? raw.origLen : end);
        const host = this.policy !== null && !pastWire ? this.policy.begin(out) : null;
        const st = this.transport(b, off, l4, stated < end ? stated : end, out, host);
        return pastWire ? 'malformed' : st;
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

  /** IPv4 header (and its checksum), fragment handling, then the transport. */
  private ipv4(b: Uint8Array, off: number, end: number, out: DecodedPacket): DecodeStatus {
    const l4 = decodeIpv4(b, off, end, out, this.onAnomaly);
    if (l4 < 0) return 'malformed';
    const stated = off + out.ipLen;
    const l4End = stated < end ? stated : end;
    const rawLen = out.raw.origLen;
    const pastWire = stated > (rawLen > end ? rawLen : end);
    let host: HostChecksums | null = null;
    if (this.policy !== null && !pastWire) {
      host = this.policy.begin(out);
      if (host !== null) {
        const zeroTotal = b[off + 2] === 0 && b[off + 3] === 0;
        if (zeroTotal || !ipv4HeaderChecksumOk(b, off, l4 - off)) {
          const field = (b[off + 10] << 8) | b[off + 11];
          if (this.policy.failed(host, zeroTotal || field === 0, out)) {
            this.onAnomaly('ip.bad_checksum', out, zeroTotal ? 'total_length=0' : `checksum=0x${field.toString(16).padStart(4, '0')}`);
            return 'malformed';
          }
          host = null; // kept: counted once, the transport is not verified
        }
      }
    }
    if (!isIpv4Fragment(b, off)) {
      const st = this.transport(b, off, l4, l4End, out, host);
      return pastWire ? 'malformed' : st;
    }
    const r = this.defrag.add(b, off, l4 - off, l4End, out);
    if (r === DEFRAG_HELD) {
      if (host !== null) this.policy!.good(host);
      out.payload = l4 < l4End ? b.subarray(l4, l4End) : EMPTY_BYTES;
      return 'held';
    }
    if (r !== DEFRAG_COMPLETE) return 'malformed';
    const dg = this.defrag.datagram;
    const hlen = (dg[0] & 0x0f) << 2;
    out.ttl = dg[8];
    out.ipLen = dg.length;
    out.payloadLen = dg.length - hlen;
    return this.transport(dg, 0, hlen, dg.length, out, host);
  }

  /**
   * Layer 4 over `b[off, end)`, where `end` is already trimmed to the IP length and `b[ipOff]` is the
   * IP header; then the transport checksum when `host` (the checksum bookkeeping) is given.
   */
  private transport(b: Uint8Array, ipOff: number, off: number, end: number, out: DecodedPacket, host: HostChecksums | null): DecodeStatus {
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
        if (host !== null && out.ipVersion === 4) this.policy!.good(host);
        return 'ok';
    }
    if (r < 0) return 'malformed';
    if (host !== null) this.verifyTransport(b, ipOff, off, end, out, host);
    return 'ok';
  }

  /**
   * Transport checksum of the decoded segment `b[off, end)` (IP header at `b[ipOff]`): counts the
   * packet good or failed with the policy and sets `badL4` when it is to be dropped. Segments not
   * wholly captured, UDP/IPv4 without checksum and IPv6 segments behind a routing or fragment header
   * are not verified (an IPv4 packet then counts as good on its header checksum alone).
   */
  private verifyTransport(b: Uint8Array, ipOff: number, off: number, end: number, out: DecodedPacket, host: HostChecksums): void {
    const policy = this.policy!;
    const proto = out.ipProto;
    const v4 = out.ipVersion === 4;
    let len = ipOff + out.ipLen - off;
    let field = -1;
    if (proto === PROTO_UDP) {
      field = (b[off + 6] << 8) | b[off + 7];
      const ulen = (b[off + 4] << 8) | b[off + 5];
      if (ulen >= UDP_HEADER_BYTES && ulen <= len) len = ulen;
    } else if (proto === PROTO_TCP) {
      field = (b[off + 16] << 8) | b[off + 17];
    }
    if (
      end - off < len ||
      (v4 && proto === PROTO_UDP && field === 0) ||
      (!v4 && b[ipOff + 6] !== proto && ipv6ChecksumUnverifiable(b, ipOff, off))
    ) {
      if (v4) policy.good(host);
      return;
    }
    if (transportChecksumOk(b, ipOff, out.ipVersion, proto, off, len)) {
      policy.good(host);
      return;
    }
    const signature = field >= 0 && field === fold16(pseudoHeaderSum(b, ipOff, out.ipVersion, proto, len));
    this.badL4 = policy.failed(host, signature, out);
  }
}

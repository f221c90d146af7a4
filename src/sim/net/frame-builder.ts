import { ARP_LEN, writeArp } from './arp.js';
import { ETH_MIN_FRAME_LEN, EtherType, writeEthernet } from './ethernet.js';
import type { FrameSink } from './frame-sink.js';
import type { SimHost } from './host.js';
import { IPV4_HEADER_LEN, IpProto, writeIpv4 } from './ipv4.js';
import { TCP_HEADER_LEN, TCP_MSS_OPTION_LEN, writeTcp } from './tcp-header.js';
import { UDP_HEADER_LEN, writeUdp } from './udp.js';

/** Largest IPv4 datagram, bytes (RFC 791 Total Length is 16 bits). */
const MAX_IP_LEN = 65535;
/** Room for the largest frame: tagged Ethernet header + largest datagram. */
const BUF_LEN = 18 + MAX_IP_LEN;
/** Frames up to this length get a cached view (standard tagged Ethernet frame without FCS). */
const VIEW_CACHE_LEN = 1518;

/** The Ethernet broadcast address ff:ff:ff:ff:ff:ff (IEEE 802 §8.2). */
export const BROADCAST_MAC: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** Six zero octets: the unknown target hardware address of an ARP request (RFC 826). */
export const ZERO_MAC: Uint8Array = new Uint8Array(6);

/** Options of a `FrameBuilder`. */
export interface FrameBuilderOptions {
  /**
   * Zero-pad frames shorter than 60 bytes to 60 (IEEE 802.3 §3.2.8 minimum without FCS), as a
   * mirror (SPAN) port delivers them. Default true.
   */
  padToMinimum?: boolean;
}

/**
 * Builds complete Ethernet II / IPv4 / TCP, UDP or ARP frames into one preallocated buffer and hands
 * each to a `FrameSink` — no allocation per frame (views of common lengths are cached).
 * IPv4 headers get DF set, the sender's TTL and its next identification (`SimHost.ipId`, +1 per
 * packet); IPv4, TCP and UDP checksums are computed (RFC 791, RFC 9293, RFC 768). The frame view
 * given to the sink is valid only during the call.
 */
export class FrameBuilder {
  /** The frame buffer; frames are built from offset 0. */
  private readonly buf = new Uint8Array(BUF_LEN);
  private readonly views: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(VIEW_CACHE_LEN + 1);
  private readonly pad: boolean;
  /** Frames emitted so far (the last emitted frame's 1-based number, as tshark's `frame.number`). */
  frames = 0;
  /** Frame bytes emitted so far (captured lengths, without capture-file record headers). */
  bytes = 0;

  constructor(
    private readonly sink: FrameSink,
    opts: FrameBuilderOptions = {},
  ) {
    this.pad = opts.padToMinimum ?? true;
  }

  /**
   * Emit one TCP segment from `src:srcPort` to `dst:dstPort` carrying `payload[payOff, payOff+payLen)`.
   * @param seq, ack unsigned 32-bit; @param flags `TcpFlag` bits; @param window bytes (unscaled);
   * @param mss > 0 adds the MSS option (SYN segments only, RFC 9293 §3.7.1).
   * @returns false (nothing emitted) when the datagram would exceed 65 535 bytes.
   */
  tcp(
    ts: number,
    src: SimHost,
    dst: SimHost,
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
    mss: number,
    payload: Uint8Array,
    payOff: number,
    payLen: number,
  ): boolean {
    const tcpLen = (mss > 0 ? TCP_HEADER_LEN + TCP_MSS_OPTION_LEN : TCP_HEADER_LEN) + payLen;
    const ipLen = IPV4_HEADER_LEN + tcpLen;
    if (ipLen > MAX_IP_LEN) return false;
    const buf = this.buf;
    const ipOff = writeEthernet(buf, 0, dst.mac, src.mac, src.vlan, 0, EtherType.IPV4);
    const tcpOff = ipOff + IPV4_HEADER_LEN;
    const dataOff = tcpOff + tcpLen - payLen;
    copyBytes(buf, dataOff, payload, payOff, payLen);
    writeIpv4(buf, ipOff, 0, ipLen, src.ipId, true, src.ttl, IpProto.TCP, src.ip, dst.ip);
    src.ipId = (src.ipId + 1) & 0xffff;
    writeTcp(buf, tcpOff, src.ip, dst.ip, srcPort, dstPort, seq, ack, flags, window, mss, payLen);
    this.emit(ts, ipOff + ipLen);
    return true;
  }

  /**
   * Emit one UDP datagram (RFC 768) from `src:srcPort` to `dst:dstPort` carrying `payload[off, off+len)`.
   * @returns false (nothing emitted) when the datagram would exceed 65 535 bytes.
   */
  udp(
    ts: number,
    src: SimHost,
    dst: SimHost,
    srcPort: number,
    dstPort: number,
    payload: Uint8Array,
    off: number,
    len: number,
  ): boolean {
    const ipLen = IPV4_HEADER_LEN + UDP_HEADER_LEN + len;
    if (ipLen > MAX_IP_LEN) return false;
    const buf = this.buf;
    const ipOff = writeEthernet(buf, 0, dst.mac, src.mac, src.vlan, 0, EtherType.IPV4);
    const udpOff = ipOff + IPV4_HEADER_LEN;
    copyBytes(buf, udpOff + UDP_HEADER_LEN, payload, off, len);
    writeIpv4(buf, ipOff, 0, ipLen, src.ipId, true, src.ttl, IpProto.UDP, src.ip, dst.ip);
    src.ipId = (src.ipId + 1) & 0xffff;
    writeUdp(buf, udpOff, src.ip, dst.ip, srcPort, dstPort, len);
    this.emit(ts, ipOff + ipLen);
    return true;
  }

  /**
   * Emit one ARP packet (RFC 826) sent by `sender` to link-layer destination `dstMac`
   * (`BROADCAST_MAC` for a request), with the given target hardware (`ZERO_MAC` for a request)
   * and protocol addresses.
   */
  arp(ts: number, op: number, sender: SimHost, dstMac: Uint8Array, targetMac: Uint8Array, targetIp: number): void {
    const off = writeEthernet(this.buf, 0, dstMac, sender.mac, sender.vlan, 0, EtherType.ARP);
    writeArp(this.buf, off, op, sender.mac, sender.ip, targetMac, targetIp);
    this.emit(ts, off + ARP_LEN);
  }

  private emit(ts: number, len: number): void {
    if (len < ETH_MIN_FRAME_LEN && this.pad) {
      this.buf.fill(0, len, ETH_MIN_FRAME_LEN);
      len = ETH_MIN_FRAME_LEN;
    }
    let view: Uint8Array | undefined;
    if (len <= VIEW_CACHE_LEN) {
      view = this.views[len];
      if (view === undefined) {
        view = this.buf.subarray(0, len);
        this.views[len] = view;
      }
    } else {
      view = this.buf.subarray(0, len);
    }
    this.frames++;
    this.bytes += len;
    this.sink.writePacket(ts, view);
  }
}

/** Copy `len` bytes; a plain loop for the short payloads of control protocols, `set` above that. */
function copyBytes(dst: Uint8Array, dOff: number, src: Uint8Array, sOff: number, len: number): void {
  if (len <= 64) {
    for (let i = 0; i < len; i++) dst[dOff + i] = src[sOff + i];
  } else {
    dst.set(src.subarray(sOff, sOff + len), dOff);
  }
}

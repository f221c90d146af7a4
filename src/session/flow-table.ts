import type { Limits } from '../config/limits.js';
import type { DecodedPacket } from '../decode/packet.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec, ConnId, PayloadTap } from './analyzer.js';
import { summarize } from './conn-state.js';
import { FlowWeirds } from './flow-context.js';
import { gapDetail, LocalFlowAnalysis, type FlowAnalysis } from './flow-analysis.js';
import { FlowIndex } from './flow-index.js';
import { ExpiryList, LruList } from './flow-list.js';
import { EXPIRY_CLASSES, ExpiryClass, Flow, Side, TcpState } from './flow.js';
import { icmpCounterpart, icmpRespPort } from './icmp-id.js';
import { parseIpv4 } from '../decode/ip-parse.js';
import { ServerPorts } from './server-ports.js';
import { ZEEK_TCP_ATTEMPT_DELAY_SEC, TcpFlag, isReuse, processTcp, tcpExpiryClass } from './tcp-conn.js';
import { ReassemblyPool, TcpReassembler, type ReassemblySink } from './tcp-reassembly.js';
import { flowUid } from './uid.js';

/** Construction options of a SessionTable: its own analysis (LocalSessionOptions) or a given one (ForwardedSessionOptions). */
export type SessionTableOptions = LocalSessionOptions | ForwardedSessionOptions;

/** What every SessionTable needs. */
interface SessionTableBase {
  /** Bounds: maxFlows, the inactivity timeouts, reassembly buffers, weird quota, history length (maxStringLength). */
  limits: Readonly<Limits>;
  /** Receives the flow table's `weird` records (and, with LocalSessionOptions, every other record). */
  sink: LogSink;
}

/** A SessionTable whose flows are analyzed in its own thread (a LocalFlowAnalysis it makes). */
export interface LocalSessionOptions extends SessionTableBase {
  /** Protocol analyzers to probe new flows with, in probe order (session/analyzer.ts). */
  analyzers: readonly AnalyzerSpec[];
  /** Content inspection of chosen flows' payload (session/analyzer.ts), or none. */
  tap?: PayloadTap;
  /**
   * Called when a flow is created, at its first packet (before its conn record, written when it
   * ends): live detectors need not wait for a long session to end. MACs are 48-bit integers, -1 unknown.
   */
  onFlowOpen?: (uid: string, id: ConnId, ts: number, origMac: number, respMac: number) => void;
  analysis?: undefined;
}

/** A SessionTable whose flows' analysis is given (session/flow-analysis.ts), in this thread or another. */
export interface ForwardedSessionOptions extends SessionTableBase {
  /** Transports and ports of the analyzers `analysis` runs: they add to the likely server ports (server-ports.ts). */
  analyzers: readonly Pick<AnalyzerSpec, 'transport' | 'ports'>[];
  analysis: FlowAnalysis;
}

/** Counters of a session table (a snapshot). */
export interface SessionStats {
  /** Flows created (including those a connection reuse or an expiry started anew). */
  flowsCreated: number;
  /** Flows ended by an inactivity or close timeout. */
  flowsExpired: number;
  /** Flows ended because the table was full (limits.maxFlows). */
  flowsEvicted: number;
  /** Flows ended because a SYN started a new connection on their tuple (Zeek connection reuse). */
  flowsReused: number;
  /** Flows alive now. */
  liveFlows: number;
  /** Bytes buffered out of order for TCP reassembly across all flows now. */
  reassemblyBytes: number;
}

const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMP6 = 58;
const IPV4_BROADCAST = 0xffffffff;

/** Zeek TCP_Reassembler is_clean: established, or closed straight from established. */
function isClean(s: Side): boolean {
  return s.state === TcpState.ESTABLISHED || (s.state === TcpState.CLOSED && s.prevState === TcpState.ESTABLISHED);
}

/**
 * The flow table: turns decoded TCP / UDP / ICMP / ICMPv6 packets into flows with Zeek conn.log
 * semantics (tcp-conn.ts, conn-state.ts), reassembles TCP (tcp-reassembly.ts), runs the protocol
 * analyzers (dispatch.ts) and writes one `conn` record per flow when it ends.
 *
 * Originator: the sender of the first packet, except as Zeek's WantConnection flips it — a TCP
 * first packet that is not a plain SYN (or a UDP one) sent from a likely server port
 * (server-ports.ts) to a port that is not one (TCP, both likely server ports: flip when the first
 * packet has no SYN and the source port is the lower) — never towards 255.255.255.255; later flips
 * as tcp-conn.ts describes.
 *
 * Bounds: at most limits.maxFlows live flows (the least recently active is evicted, its conn record
 * written, anomaly `session.flow_evicted`); inactivity expiry per limits (checked for the packet's
 * own flow on every packet, swept for all flows at most once per capture-second); reassembly
 * buffers per limits. Conn records of flows still open at `finish` are written sorted by (ts, uid).
 *
 * Flow lookup (flow-index.ts: IPv4 in a typed-array hash table, IPv6 in nested maps of the
 * decoder's address strings; the previous packet's flow checked first) allocates nothing per
 * packet of an existing flow.
 */
export class SessionTable implements ReassemblySink<Side> {
  private readonly limits: Readonly<Limits>;
  private readonly index = new FlowIndex();
  /** All live flows, least recently active first. */
  private readonly lru = new LruList();
  /** One list per expiry class, earliest deadline first. */
  private readonly expiry: ExpiryList[] = [];
  private readonly pool: ReassemblyPool<Side>;
  private readonly weirds: FlowWeirds;
  private readonly analysis: FlowAnalysis;
  private readonly serverPorts: ServerPorts;
  private nextSweep = Number.NEGATIVE_INFINITY;
  /** The flow of the previous packet (request and response often follow each other): checked before the index. */
  private recent: Flow | null = null;
  private created = 0;
  private expired = 0;
  private evicted = 0;
  private reused = 0;

  constructor(opts: SessionTableOptions) {
    this.limits = opts.limits;
    for (let i = 0; i < EXPIRY_CLASSES; i++) this.expiry.push(new ExpiryList());
    this.pool = new ReassemblyPool<Side>(this, opts.limits);
    if (opts.analysis !== undefined) {
      this.analysis = opts.analysis;
      this.weirds = new FlowWeirds(opts.sink, opts.limits);
    } else {
      const local = new LocalFlowAnalysis({ limits: opts.limits, analyzers: opts.analyzers, sink: opts.sink, tap: opts.tap, onFlowOpen: opts.onFlowOpen });
      this.analysis = local;
      this.weirds = local.weirds;
    }
    this.serverPorts = new ServerPorts(opts.analyzers);
  }

  /** A snapshot of the counters. */
  get stats(): SessionStats {
    return {
      flowsCreated: this.created,
      flowsExpired: this.expired,
      flowsEvicted: this.evicted,
      flowsReused: this.reused,
      liveFlows: this.lru.size,
      reassemblyBytes: this.pool.total,
    };
  }

  /**
   * Account one decoded packet of IP protocol 6, 17, 1 or 58 (others, and packets without ports /
   * ICMP type, are ignored). `p` is reused by the caller: nothing of it is kept but its strings
   * and numbers; payload views are copied where buffered.
   *
   * `badChecksum`: the packet's transport checksum failed and the checksum policy drops it
   * (decode/decoder.ts `badTransportChecksum`). As Zeek does (TCPAnalyzer / UDPAnalyzer /
   * ICMPAnalyzer DeliverPacket), its flow is still found or created by it — connection reuse and
   * the originator rules apply, and a flow it creates starts at its time — but nothing else of it
   * counts: no packets or bytes, no state, no payload, no duration. TCP and UDP flows get history
   * `C` (originator) / `c` (responder) on the 1st, 10th, 100th … failure of that side (Zeek
   * ScaledHistoryEntry); every flow gets weird `tcp.bad_checksum`, `udp.bad_checksum` or
   * `icmp.bad_checksum` (Zeek's bad_TCP_checksum, bad_UDP_checksum, bad_ICMP_checksum; ICMPv6 too).
   */
  onPacket(p: DecodedPacket, badChecksum = false): void {
    const ts = p.ts;
    if (ts >= this.nextSweep) {
      this.expire(ts);
      this.nextSweep = Math.floor(ts) + 1;
    }
    const ipProto = p.ipProto;
    let srcPort: number;
    let dstPort: number;
    let oneWay = false;
    if (ipProto === PROTO_TCP || ipProto === PROTO_UDP) {
      srcPort = p.srcPort;
      dstPort = p.dstPort;
    } else if (ipProto === PROTO_ICMP || ipProto === PROTO_ICMP6) {
      srcPort = p.icmpType;
      if (srcPort < 0) return;
      const cp = icmpCounterpart(srcPort, p.icmpCode, ipProto === PROTO_ICMP6);
      oneWay = cp < 0;
      dstPort = icmpRespPort(cp);
    } else return;
    if (srcPort < 0 || dstPort < 0) return;

    const src = p.src;
    const dst = p.dst;
    const src4 = p.src4;
    const dst4 = p.dst4;
    const v4 = src4 >= 0 && dst4 >= 0;
    // Key order: IPv4 numerically, other addresses by their text; FlowIndex derives the same
    // numbers from the key strings when it stores a flow.
    const srcIsLo = v4
      ? oneWay || src4 < dst4 || (src4 === dst4 && srcPort <= dstPort)
      : oneWay || src < dst || (src === dst && srcPort <= dstPort);
    const lo = srcIsLo ? src : dst;
    const hi = srcIsLo ? dst : src;
    const ports = srcIsLo ? FlowIndex.portsKey(srcPort, dstPort) : FlowIndex.portsKey(dstPort, srcPort);
    const recent = this.recent;
    let flow =
      recent !== null && recent.keyPorts === ports && recent.ipProto === ipProto && recent.keyLo === lo && recent.keyHi === hi
        ? recent
        : v4
          ? this.index.getV4(ipProto, srcIsLo ? src4 : dst4, srcIsLo ? dst4 : src4, ports)
          : this.index.get(ipProto, lo, hi, ports);
    if (flow !== undefined) {
      if (flow.deadline <= ts) {
        this.endFlow(flow, ts);
        this.expired++;
        flow = undefined;
      } else if (ipProto === PROTO_TCP && (p.tcpFlags & TcpFlag.SYN) !== 0 && isReuse(flow, p)) {
        this.endFlow(flow, ts);
        this.reused++;
        flow = undefined;
      }
    }
    if (flow === undefined) flow = this.createFlow(p, srcIsLo, srcPort, dstPort, ports);
    const side = srcIsLo ? flow.lo : flow.lo.peer;
    if (badChecksum) {
      this.checksumFailed(flow, side, ts);
      this.updateExpiry(flow);
      this.lru.moveToTail(flow);
      this.recent = flow;
      return;
    }

    side.pkts++;
    if (p.ipLen > 0) side.ipBytes += p.ipLen;
    flow.lastSeen = ts;
    if (ipProto === PROTO_TCP) processTcp(flow, side, p);
    else if (ipProto === PROTO_UDP) this.udpPacket(flow, side, p, ts);
    else {
      side.size = (side.size < 0 ? 0 : side.size) + (p.payloadLen > 0 ? p.payloadLen : 0);
      flow.lastTime = ts;
    }
    this.updateExpiry(flow);
    this.lru.moveToTail(flow);
    this.recent = flow;
  }

  /** End every flow whose timeout passed at time `now` (seconds), writing its conn record. */
  expire(now: number): void {
    for (let c = 0; c < EXPIRY_CLASSES; c++) {
      const list = this.expiry[c];
      while (list.head !== null && list.head.deadline <= now) {
        this.endFlow(list.head, now);
        this.expired++;
      }
    }
  }

  /**
   * End of input at time `now`: expire what timed out, then end every remaining flow — analyzers
   * get what waits behind reassembly gaps, then `end` — and write their conn records sorted
   * by (ts, uid).
   */
  finish(now: number): void {
    this.expire(now);
    const rest: Flow[] = [];
    for (let f = this.lru.head; f !== null; f = f.lruNext) rest.push(f);
    rest.sort((a, b) => (a.ts !== b.ts ? a.ts - b.ts : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    for (const f of rest) this.endFlow(f, now);
  }

  /** ReassemblySink: in-order bytes of one side go to the flow's analysis (probing, analyzer, tap). */
  reassembled(r: TcpReassembler<Side>, data: Uint8Array, ts: number): void {
    const side = r.tag;
    this.analysis.payload(side.flow, side, data, ts);
  }

  /**
   * ReassemblySink: a content gap — missed_bytes and history g/G only while both sides are cleanly
   * established (Zeek's content_gap event and TCP_Endpoint::Gap, report_gaps_for_partial F), weird
   * `tcp.content_gap` and the analyzer's gap always.
   */
  gapSkipped(r: TcpReassembler<Side>, len: number, ts: number, atEnd = false): void {
    const side = r.tag;
    const flow = side.flow;
    if (atEnd) {
      // Zeek drops what waits behind a gap when the connection ends, so such gaps leave conn.log alone.
      this.analysis.endGap(flow, side, len, ts, this.weirds.admit(flow, 'tcp.content_gap'));
      return;
    }
    if (isClean(side) && isClean(side.peer)) {
      flow.missedBytes += len;
      flow.scaledHistory(side, 'gap', side.isOrig ? 'G' : 'g');
    }
    this.weirds.write(flow, 'tcp.content_gap', 'weird', ts, gapDetail(side, len, false));
    this.analysis.gap(flow, side, len, ts);
  }

  /** ReassemblySink: overlapping bytes differed (first received kept) — weird `tcp.overlap_mismatch`. */
  overlapMismatch(r: TcpReassembler<Side>, ts: number): void {
    const side = r.tag;
    this.weirds.write(side.flow, 'tcp.overlap_mismatch', 'weird', ts, side.isOrig ? 'orig' : 'resp');
  }

  /** A packet of `side` whose transport checksum failed (see `onPacket`): history C/c and the weird only. */
  private checksumFailed(flow: Flow, side: Side, ts: number): void {
    const proto = flow.proto;
    if (proto !== 'icmp') flow.scaledHistory(side, 'chk', side.isOrig ? 'C' : 'c');
    this.weirds.write(flow, proto === 'tcp' ? 'tcp.bad_checksum' : proto === 'udp' ? 'udp.bad_checksum' : 'icmp.bad_checksum', 'weird', ts, side.isOrig ? 'orig' : 'resp');
  }

  private udpPacket(flow: Flow, side: Side, p: DecodedPacket, ts: number): void {
    const len = p.payloadLen > 0 ? p.payloadLen : 0;
    side.size = (side.size < 0 ? 0 : side.size) + len;
    // Zeek UDPAnalyzer: HIST_ORIG_DATA_PKT 0x1 'D', HIST_RESP_DATA_PKT 0x2 'd'.
    if (side.isOrig) flow.checkHistory(1, 'D');
    else flow.checkHistory(2, 'd');
    flow.lastTime = ts;
    if (len > 0 && p.payload.length === len) this.analysis.payload(flow, side, p.payload, ts);
  }

  private createFlow(p: DecodedPacket, srcIsLo: boolean, srcPort: number, dstPort: number, ports: number): Flow {
    const ts = p.ts;
    if (this.lru.size >= this.limits.maxFlows && this.lru.head !== null) {
      const victim = this.lru.head;
      this.weirds.write(victim, 'session.flow_evicted', 'weird', ts, `maxFlows=${this.limits.maxFlows}`);
      this.endFlow(victim, ts);
      this.evicted++;
    }
    const ipProto = p.ipProto;
    const proto = ipProto === PROTO_TCP ? 'tcp' : ipProto === PROTO_UDP ? 'udp' : 'icmp';
    let flip = false;
    if (proto === 'tcp') {
      const f = p.tcpFlags;
      if ((f & TcpFlag.SYN) === 0 || (f & TcpFlag.ACK) !== 0) {
        if (this.serverPorts.isLikely('tcp', srcPort)) {
          flip = this.serverPorts.isLikely('tcp', dstPort) ? (f & TcpFlag.SYN) === 0 && srcPort < dstPort : true;
        }
      }
    } else if (proto === 'udp') {
      flip = this.serverPorts.isLikely('udp', srcPort) && !this.serverPorts.isLikely('udp', dstPort);
    }
    if (flip && parseIpv4(p.dst) === IPV4_BROADCAST) flip = false;

    const flow = new Flow(proto, ipProto, ts, p.vlan, p.innerVlan, this.limits.maxStringLength);
    const srcSide = new Side(flow, p.src, srcPort, p.srcMac, !flip);
    const dstSide = new Side(flow, p.dst, dstPort, p.dstMac, flip);
    srcSide.peer = dstSide;
    dstSide.peer = srcSide;
    flow.orig = flip ? dstSide : srcSide;
    flow.resp = flip ? srcSide : dstSide;
    if (flip) flow.addHistory('^');
    flow.lo = srcIsLo ? srcSide : dstSide;
    flow.keyLo = srcIsLo ? p.src : p.dst;
    flow.keyHi = srcIsLo ? p.dst : p.src;
    flow.keyPorts = ports;
    flow.uid = flowUid(proto, flow.orig.addr, flow.orig.port, flow.resp.addr, flow.resp.port, ts);
    if (proto === 'tcp') {
      srcSide.reasm = new TcpReassembler<Side>(srcSide, this.pool);
      dstSide.reasm = new TcpReassembler<Side>(dstSide, this.pool);
    }
    flow.id = ++this.created;
    this.analysis.open(flow);
    this.index.set(flow);
    this.lru.append(flow);
    return flow;
  }

  /** Move `flow` to the expiry list of its current class and set its deadline. */
  private updateExpiry(flow: Flow): void {
    const l = this.limits;
    let cls: number;
    let deadline: number;
    if (flow.proto === 'tcp') {
      cls = tcpExpiryClass(flow);
      if (cls === ExpiryClass.TCP_CLOSED) deadline = (flow.closeAt >= 0 ? flow.closeAt : flow.lastTime) + l.tcpCloseDelaySec;
      else if (cls === ExpiryClass.TCP_ATTEMPT) deadline = flow.attemptAt + ZEEK_TCP_ATTEMPT_DELAY_SEC;
      else if (cls === ExpiryClass.TCP_OPEN) deadline = flow.lastTime + l.tcpInactivitySec;
      else deadline = flow.lastTime + l.udpInactivitySec;
    } else if (flow.proto === 'udp') {
      cls = ExpiryClass.UDP;
      deadline = flow.lastTime + l.udpInactivitySec;
    } else {
      cls = ExpiryClass.ICMP;
      deadline = flow.lastTime + l.icmpInactivitySec;
    }
    if (cls !== flow.expClass) {
      this.expiry[cls].append(flow);
      flow.expClass = cls;
    } else if (deadline !== flow.deadline) {
      this.expiry[cls].moveToTail(flow);
    }
    flow.deadline = deadline;
  }

  /**
   * End `flow` at `ts`: deliver what still waits behind reassembly gaps (weird `tcp.content_gap` …
   * "at flow end"; unlike Zeek, which drops it unseen, so that a one-way capture's commands are
   * analyzed — conn.log's `missed_bytes` and `history` stay as Zeek writes them), end its analyzer,
   * write its conn record, forget it.
   */
  private endFlow(flow: Flow, ts: number): void {
    const o = flow.orig.reasm;
    const r = flow.resp.reasm;
    if ((o !== null || r !== null) && this.analysis.flushing(flow)) {
      if (o !== null) o.flushGaps(ts);
      if (r !== null) r.flushGaps(ts);
    }
    this.analysis.end(flow, ts, summarize(flow));
    if (o !== null) o.release();
    if (r !== null) r.release();
    this.index.delete(flow);
    if (this.recent === flow) this.recent = null;
    this.lru.remove(flow);
    if (flow.expList !== null) flow.expList.remove(flow);
  }
}

import type { AnalyzerSpec, ConnId, DatagramAnalyzer, PayloadObserver, StreamAnalyzer } from './analyzer.js';
import type { FlowCtx } from './flow-context.js';
import type { ExpiryList } from './flow-list.js';
import type { TcpReassembler } from './tcp-reassembly.js';

/**
 * Zeek's TCP endpoint states (zeek/src/analyzer/protocol/tcp/TCP_Endpoint.h EndpointState; the
 * script-level TCP_INACTIVE … TCP_RESET of conn/main.zeek `conn_state`).
 */
export const TcpState = {
  INACTIVE: 0,
  SYN_SENT: 1,
  SYN_ACK_SENT: 2,
  PARTIAL: 3,
  ESTABLISHED: 4,
  CLOSED: 5,
  RESET: 6,
} as const;

/** True for the handshake states INACTIVE, SYN_SENT and SYN_ACK_SENT. */
function inHandshake(s: number): boolean {
  return s <= TcpState.SYN_ACK_SENT;
}

/** Expiry class of a flow: which timeout applies and which expiry list holds it. */
export const ExpiryClass = {
  /** TCP after the handshake: `limits.tcpInactivitySec` after the last packet. */
  TCP_OPEN: 0,
  /** TCP still in the handshake: Zeek keeps its initial (UDP) inactivity timeout, `limits.udpInactivitySec`. */
  TCP_HANDSHAKE: 1,
  /** TCP attempt (SYN, no answer): Zeek's tcp_attempt_delay after the SYN. */
  TCP_ATTEMPT: 2,
  /** TCP closed (FIN/RST exchange complete): `limits.tcpCloseDelaySec` after the close. */
  TCP_CLOSED: 3,
  UDP: 4,
  ICMP: 5,
} as const;

/** Number of expiry classes (list count). */
export const EXPIRY_CLASSES = 6;

/**
 * One side (endpoint) of a flow: its address, counters and, for TCP, Zeek's TCP_Endpoint
 * bookkeeping (32-bit sequence numbers held as signed int32, `x >>> 0` is the unsigned value;
 * `*Wraps` count 2^32 wrap-arounds; relative sequence numbers are plain numbers, exact to 2^53).
 * A direction flip swaps which side is orig; everything recorded on the side stays with it.
 */
export class Side {
  /** True while this side is the flow's originator. */
  isOrig: boolean;
  peer!: Side;
  /** Packets and IP bytes (IP total length) sent by this side. */
  pkts = 0;
  ipBytes = 0;
  /** UDP / ICMP payload bytes sent (Zeek request_len / reply_len); -1 before the first packet. */
  size = -1;

  // TCP endpoint (Zeek TCP_Endpoint)
  state: number = TcpState.INACTIVE;
  prevState: number = TcpState.INACTIVE;
  startSeq = 0;
  lastSeq = 0;
  ackSeq = 0;
  seqWraps = 0;
  ackWraps = 0;
  finCnt = 0;
  /** Relative sequence number just past the FIN. */
  finSeq = 0;
  didClose = false;
  histLastSyn = 0;
  histLastFin = 0;
  histLastRst = 0;
  /** Retransmissions, zero windows, content gaps and checksum failures seen (history letters on the 1st, 10th, 100th …). */
  rxmtCnt = 0;
  win0Cnt = 0;
  gapCnt = 0;
  chkCnt = 0;
  reasm: TcpReassembler<Side> | null = null;

  /** Content probing of this direction stopped (every analyzer said 'no'). */
  probeStopped = false;
  /**
   * Per analyzer (probe order index): 1 once it answered 'no' for this direction's bytes from the
   * start (TCP: the buffered stream; UDP: a datagram); null until first probe.
   */
  probeRejected: Uint8Array | null = null;
  /** TCP while probing: the first bytes of this direction (session/dispatch.ts PROBE_BUFFER_BYTES), replayed at attach. */
  probeBuf: Uint8Array | null = null;
  probeLen = 0;
  /** TCP while probing: bytes this direction sent in all (those beyond the buffer are not kept). */
  probeSeen = 0;

  constructor(
    readonly flow: Flow,
    readonly addr: string,
    readonly port: number,
    /** MAC address as first seen (48-bit integer, -1 unknown). */
    readonly mac: number,
    isOrig: boolean,
  ) {
    this.isOrig = isOrig;
  }

  /** Zeek TCP_Endpoint::SetState: remembers the previous state. */
  setState(s: number): void {
    if (s === this.state) return;
    // Leaving the handshake switches the flow to the TCP inactivity timeout (TCP_Endpoint::SetState).
    if (!inHandshake(s) && inHandshake(this.state) && inHandshake(this.peer.state)) this.flow.tcpTimeout = true;
    this.prevState = this.state;
    this.state = s;
  }
}

/**
 * One flow (Zeek connection): the 5-tuple as oriented now, the two sides, the history, the analyzer
 * attached to it and its places in the session table's lists. Holds no packet views.
 */
export class Flow {
  /** Creation number of the flow in its table (1-based): what another thread knows it by (pipeline/flow-ring.ts). */
  id = 0;
  orig!: Side;
  resp!: Side;
  /** The side whose address/port come first in the flow-index key. */
  lo!: Side;
  uid = '';
  /** Time of the last productive packet (Zeek last_time; the duration ends there), seconds. */
  lastTime: number;
  /** Time of the last packet of any kind (eviction order). */
  lastSeen: number;
  history = '';
  /** Zeek's hist_seen bits (originator in the low 16 bits, responder in the high 16). */
  histSeen = 0;
  missedBytes = 0;
  services: string[] | null = null;
  vlan: number;
  innerVlan: number;

  // TCP
  /** The TCP inactivity timeout applies (the handshake is over). */
  tcpTimeout = false;
  /** Time of the attempt timer's SYN, -1 none. */
  attemptAt = -1;
  /** Time the close completed (Zeek's delete timer base), -1 while open. */
  closeAt = -1;

  // Analysis
  analyzer: StreamAnalyzer | DatagramAnalyzer | null = null;
  analyzerName = '';
  ctx: FlowCtx | null = null;
  /** Probing: ordered candidate specs (null when probing is over), payload packets probed so far. */
  probeSpecs: readonly AnalyzerSpec[] | null = null;
  /** Content inspection of this flow's payload (session/analyzer.ts PayloadTap), or null. */
  tap: PayloadObserver | null = null;
  probePackets = 0;
  /** Weird records logged per anomaly name (limit per flow and name). */
  weirdCounts: Map<string, number> | null = null;

  // Table bookkeeping (flow-list.ts links)
  lruPrev: Flow | null = null;
  lruNext: Flow | null = null;
  inLru = false;
  expPrev: Flow | null = null;
  expNext: Flow | null = null;
  expList: ExpiryList | null = null;
  expClass = -1;
  /** Time at or after which the flow expires (seconds). */
  deadline = Number.POSITIVE_INFINITY;
  /** Flow-index key parts. */
  keyLo = '';
  keyHi = '';
  keyPorts = 0;
  private idCache: ConnId | null = null;

  constructor(
    readonly proto: 'tcp' | 'udp' | 'icmp',
    readonly ipProto: number,
    /** Time of the first packet (Zeek start_time, conn.log `ts`), seconds since the epoch. */
    readonly ts: number,
    vlan: number,
    innerVlan: number,
    private readonly maxHistory: number,
  ) {
    this.lastTime = ts;
    this.lastSeen = ts;
    this.vlan = vlan;
    this.innerVlan = innerVlan;
  }

  /** Zeek's conn_id as oriented now (cached until the next flip). */
  connId(): ConnId {
    if (this.idCache === null) {
      this.idCache = { orig_h: this.orig.addr, orig_p: this.orig.port, resp_h: this.resp.addr, resp_p: this.resp.port, proto: this.proto };
    }
    return this.idCache;
  }

  /** Append one history letter (bounded by the history limit). */
  addHistory(code: string): void {
    if (this.history.length < this.maxHistory) this.history += code;
  }

  /** Zeek Session::CheckHistory: add `code` the first time `mask` is seen; true when it was already seen. */
  checkHistory(mask: number, code: string): boolean {
    if ((this.histSeen & mask) === 0) {
      this.histSeen |= mask;
      this.addHistory(code);
      return false;
    }
    return true;
  }

  /**
   * Zeek Session::ScaledHistoryEntry (base 10): count one event of `side` — retransmission, zero
   * window, content gap or checksum failure — and add `code` on its 1st, 10th, 100th … occurrence.
   */
  scaledHistory(side: Side, which: 'rxmt' | 'win0' | 'gap' | 'chk', code: string): void {
    let n = which === 'rxmt' ? ++side.rxmtCnt : which === 'win0' ? ++side.win0Cnt : which === 'gap' ? ++side.gapCnt : ++side.chkCnt;
    while (n >= 10 && n % 10 === 0) n /= 10;
    if (n === 1) this.addHistory(code);
  }

  /** Swap originator and responder (Zeek Connection::FlipRoles): history gets '^'. */
  flip(): void {
    const o = this.orig;
    this.orig = this.resp;
    this.resp = o;
    this.orig.isOrig = true;
    this.resp.isOrig = false;
    this.idCache = null;
    this.addHistory('^');
  }

  /** Replace the history text (Zeek Session::ReplaceHistory). */
  replaceHistory(h: string): void {
    this.history = h.length <= this.maxHistory ? h : h.slice(0, this.maxHistory);
  }

  /** Record a confirmed service (Zeek analyzer confirmation), once per name. */
  addService(name: string): void {
    if (this.services === null) this.services = [name];
    else if (!this.services.includes(name)) this.services.push(name);
  }
}

import type { DecodedPacket } from '../decode/packet.js';
import { ExpiryClass, TcpState, type Flow, type Side } from './flow.js';
import { seqDiff } from './tcp-reassembly.js';

/**
 * Zeek's per-packet TCP connection semantics (zeek/src/packet_analysis/protocol/tcp/
 * TCPSessionAdapter.cc `Process` and the Update*State functions, TCP_Endpoint.cc), re-expressed
 * for conn.log: endpoint states, the history letters, the sequence bookkeeping that orig_bytes /
 * resp_bytes come from, flips (SYN-ACK first, SYN/SYN-ACK reversal), close detection, connection
 * reuse. Weird events Zeek raises on the way are not reproduced. Reassembly is driven from here
 * (SYN, data, FIN, acks).
 *
 * 32-bit sequence numbers (RFC 9293 §3.4) are held as signed int32 (`x | 0`: small integers for
 * V8, never boxed); `>>> 0` gives the unsigned value where order or arithmetic needs it.
 */

/** TCP flag bits as DecodedPacket.tcpFlags carries them (RFC 9293 §3.1). */
export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/** Zeek's tcp_attempt_delay (init-bare.zeek): a SYN left unanswered this long ends the attempt (seconds). */
export const ZEEK_TCP_ATTEMPT_DELAY_SEC = 5;

const FIN = TcpFlag.FIN;
const SYN = TcpFlag.SYN;
const RST = TcpFlag.RST;
const ACK = TcpFlag.ACK;
/** Zeek TOO_LARGE_SEQ_DELTA: sequence jumps of SYN/RST beyond it are not trusted. */
const TOO_LARGE_SEQ_DELTA = 1048576;
const TWO32 = 4294967296;

// History masks (TCP_Endpoint::HistoryMasks); the responder's are shifted left by 16.
const HIST_SYN = 0x1;
const HIST_FIN = 0x2;
const HIST_RST = 0x4;
const HIST_FIN_RST = 0x8;
const HIST_DATA = 0x10;
const HIST_ACK = 0x20;
const HIST_MULTI_FLAG = 0x40;

/** Out-parameter of relativeSeq: the sequence number lies before the endpoint's start. */
let underflow = false;

/** Zeek get_relative_seq: `cur` relative to the endpoint's start, accounting for 2^32 wraps. */
function relativeSeq(ep: Side, cur: number, last: number, wraps: number): number {
  underflow = false;
  const d = seqDiff(cur, last);
  if (d < 0) {
    if (wraps > 0 && cur >>> 0 > last >>> 0) wraps--;
  } else if (d > 0) {
    if (cur >>> 0 < last >>> 0) wraps++;
  }
  if (wraps === 0) {
    const r = seqDiff(cur, ep.startSeq);
    if (r < 0) underflow = true;
    return r;
  }
  return wraps * TWO32 + (cur >>> 0) - (ep.startSeq >>> 0);
}

function setLastSeq(ep: Side, seq: number): void {
  if (seq >>> 0 < ep.lastSeq >>> 0) ep.seqWraps++;
  ep.lastSeq = seq;
}

function setAckSeq(ep: Side, seq: number): void {
  if (seq >>> 0 < ep.ackSeq >>> 0) ep.ackWraps++;
  ep.ackSeq = seq;
}

/** Zeek init_endpoint: (re)initialise sequence tracking from this packet. */
function initEndpoint(ep: Side, flags: number, firstSeq: number, lastSeq: number): void {
  const syn = (flags & SYN) !== 0;
  switch (ep.state) {
    case TcpState.INACTIVE:
      if (syn) {
        ep.ackSeq = firstSeq;
        ep.startSeq = firstSeq;
      } else {
        // Partial connection: number as though a SYN had been seen; the first packet is not a duplicate.
        ep.ackSeq = (firstSeq - 1) | 0;
        ep.startSeq = ep.ackSeq;
        lastSeq = firstSeq;
      }
      ep.lastSeq = lastSeq;
      break;
    case TcpState.SYN_SENT:
    case TcpState.SYN_ACK_SENT:
      if (syn && firstSeq !== ep.startSeq) {
        ep.startSeq = firstSeq;
        ep.ackSeq = firstSeq;
        ep.lastSeq = lastSeq;
      }
      break;
    case TcpState.ESTABLISHED:
    case TcpState.PARTIAL:
      if (syn) {
        ep.startSeq = firstSeq;
        ep.ackSeq = firstSeq;
        ep.lastSeq = lastSeq;
      }
      break;
    case TcpState.RESET:
      if (syn && ep.prevState === TcpState.INACTIVE) {
        ep.startSeq = firstSeq;
        ep.ackSeq = firstSeq;
        ep.lastSeq = lastSeq;
      }
      break;
    default:
      break;
  }
}

/**
 * Zeek TCP_Endpoint::CheckHistory. A flow whose history is exactly "H" (it began with a SYN-ACK
 * that was not flipped) is flipped when productive traffic (pure ACK or data) follows, and its
 * history becomes "^h".
 */
function epCheck(flow: Flow, ep: Side, mask: number, upper: string, lower: string): boolean {
  if ((upper === 'A' || upper === 'D') && flow.history === 'H') {
    flow.flip();
    flow.replaceHistory('^h');
  }
  return ep.isOrig ? flow.checkHistory(mask, upper) : flow.checkHistory(mask << 16, lower);
}

/** Zeek update_history: one letter per packet kind, S/H/F/R again when their sequence number changes. */
function updateHistory(flow: Flow, flags: number, ep: Side, relSeq: number, len: number): void {
  const syn = (flags & SYN) !== 0;
  const fin = (flags & FIN) !== 0;
  const rst = (flags & RST) !== 0;
  const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (bits > 1) {
    if (fin && rst) epCheck(flow, ep, HIST_FIN_RST, 'I', 'i');
    else epCheck(flow, ep, HIST_MULTI_FLAG, 'Q', 'q');
  } else if (bits === 1) {
    if (syn) {
      const upper = (flags & ACK) !== 0 ? 'H' : 'S';
      const lower = upper === 'H' ? 'h' : 's';
      if (epCheck(flow, ep, HIST_SYN, upper, lower) && relSeq !== ep.histLastSyn) flow.addHistory(ep.isOrig ? upper : lower);
      ep.histLastSyn = relSeq;
    }
    if (fin) {
      // A FIN's sequence number is taken at the end of its data.
      if (epCheck(flow, ep, HIST_FIN, 'F', 'f') && relSeq + len !== ep.histLastFin) flow.addHistory(ep.isOrig ? 'F' : 'f');
      ep.histLastFin = relSeq + len;
    }
    if (rst) {
      if (epCheck(flow, ep, HIST_RST, 'R', 'r') && relSeq !== ep.histLastRst) flow.addHistory(ep.isOrig ? 'R' : 'r');
      ep.histLastRst = relSeq;
    }
  } else if (len > 0) {
    epCheck(flow, ep, HIST_DATA, 'D', 'd');
  } else if ((flags & ACK) !== 0) {
    epCheck(flow, ep, HIST_ACK, 'A', 'a');
  }
}

/** Zeek update_last_seq: advance the endpoint's highest sequence number; count retransmissions (T/t). */
function updateLastSeq(flow: Flow, ep: Side, lastSeq: number, flags: number, len: number): void {
  const d = seqDiff(lastSeq, ep.lastSeq);
  if ((flags & (SYN | RST)) !== 0 && (d > TOO_LARGE_SEQ_DELTA || d < -TOO_LARGE_SEQ_DELTA)) {
    // Untrusted jump of a SYN or RST.
  } else if ((flags & FIN) !== 0 && ep.lastSeq === ((ep.startSeq + 1) | 0)) {
    setLastSeq(ep, lastSeq); // only the SYN and the FIN seen (very large connections)
  } else if (ep.state === TcpState.RESET) {
    // Sequence numbers after a RST are not trusted.
  } else if (d > 0) {
    setLastSeq(ep, lastSeq);
  } else if (len > 0) {
    flow.scaledHistory(ep, 'rxmt', ep.isOrig ? 'T' : 't');
  }
}

/** Result flag of the state machine: this packet closed its endpoint (Zeek do_close). */
let doClose = false;

/** Zeek UpdateInactiveState. `isOrig` is the direction as it was when the packet arrived. */
function inactiveState(flow: Flow, ep: Side, peer: Side, seq: number, len: number, isOrig: boolean, flags: number): void {
  if ((flags & SYN) !== 0) {
    if (isOrig) {
      ep.setState((flags & ACK) !== 0 ? TcpState.SYN_ACK_SENT : TcpState.SYN_SENT);
      if (flow.attemptAt < 0) flow.attemptAt = flow.lastSeen;
    } else {
      if ((flags & ACK) === 0 && peer.state === TcpState.SYN_ACK_SENT && seq === ep.startSeq) {
        // SYN and SYN-ACK seen in reverse order: flip and establish.
        flow.flip();
        peer.setState(TcpState.ESTABLISHED);
      }
      if (peer.state === TcpState.SYN_SENT) peer.setState(TcpState.ESTABLISHED);
      ep.setState(TcpState.ESTABLISHED);
    }
  }
  if ((flags & FIN) !== 0) {
    ep.setState(TcpState.CLOSED);
    doClose = true;
  }
  if ((flags & RST) !== 0) {
    ep.setState(TcpState.RESET);
    doClose = true;
  }
  if (ep.state === TcpState.INACTIVE) {
    if (!isOrig && len === 0 && flow.orig.state === TcpState.SYN_SENT) {
      // An ACK of the initial SYN before the SYN-ACK: not a partial connection.
    } else if ((flags & ACK) !== 0 && peer.state === TcpState.ESTABLISHED) {
      ep.setState(TcpState.ESTABLISHED); // the SYN was missed but the SYN-ACK seen
    } else {
      ep.setState(TcpState.PARTIAL);
    }
  }
}

/** Zeek UpdateStateMachine and its per-state functions (weirds left out). */
function stateMachine(flow: Flow, ep: Side, peer: Side, seq: number, len: number, isOrig: boolean, flags: number): void {
  doClose = false;
  switch (ep.state) {
    case TcpState.INACTIVE:
      inactiveState(flow, ep, peer, seq, len, isOrig, flags);
      break;
    case TcpState.SYN_SENT:
    case TcpState.SYN_ACK_SENT:
      if ((flags & FIN) !== 0) {
        ep.setState(TcpState.CLOSED);
        doClose = true;
      }
      if ((flags & RST) !== 0) {
        ep.setState(TcpState.RESET);
        doClose = true;
      }
      break;
    case TcpState.ESTABLISHED:
    case TcpState.PARTIAL:
      if ((flags & SYN) !== 0 && ep.state === TcpState.PARTIAL && peer.state === TcpState.INACTIVE && (flags & ACK) === 0) {
        ep.setState(TcpState.SYN_SENT);
      }
      if ((flags & FIN) !== 0 && (flags & RST) === 0) {
        ep.setState(TcpState.CLOSED);
        // FIN after the peer's FIN then RST: normal termination after all.
        if (peer.state === TcpState.RESET && peer.prevState === TcpState.CLOSED) peer.setState(TcpState.CLOSED);
        doClose = true;
      }
      if ((flags & RST) !== 0) {
        ep.setState(TcpState.RESET);
        doClose = true;
      }
      break;
    case TcpState.CLOSED:
      if ((flags & RST) !== 0 && peer.state !== TcpState.CLOSED) {
        ep.setState(TcpState.RESET);
        if (!ep.didClose) doClose = true;
      }
      break;
    default:
      break;
  }
}

/** Zeek ConnectionClosed: mark the side closed; a complete close starts the close delay from the last productive packet. */
function connectionClosed(flow: Flow, ep: Side, peer: Side): void {
  if (ep.didClose) return;
  ep.didClose = true;
  if (ep.state === TcpState.RESET || peer.didClose || peer.state === TcpState.INACTIVE) flow.closeAt = flow.lastTime;
}

/**
 * Account one TCP packet `p` sent by side `ep` of `flow` (Zeek TCPSessionAdapter::Process):
 * sequence bookkeeping, history, state machine, close; then reassembly: each direction's stream
 * starts at Zeek's relative sequence 1 (one past the endpoint's start, or the peer's first
 * acknowledgement), the peer's acks — RST ones included, as Zeek — skip gaps, then SYN, in-order
 * payload (delivered only when fully captured), FIN. The caller has set `flow.lastSeen` to the
 * packet time.
 */
export function processTcp(flow: Flow, ep: Side, p: DecodedPacket): void {
  const ts = p.ts;
  const isOrig = ep.isOrig;
  const peer = ep.peer;
  const flags = p.tcpFlags;
  const seq = p.seq | 0;
  const ackNum = p.ack | 0;
  const len = p.payloadLen > 0 ? p.payloadLen : 0;
  const syn = (flags & SYN) !== 0;
  const fin = (flags & FIN) !== 0;
  const rst = (flags & RST) !== 0;
  const ack = (flags & ACK) !== 0;

  let segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
  if (rst) segLen -= len; // RST payload is not part of the stream
  const seqOnePast = (seq + segLen) | 0;

  initEndpoint(ep, flags, seq, seqOnePast);
  // Zeek numbers the stream from the endpoint's start: relative sequence 1 is its first byte.
  if (ep.reasm !== null) ep.reasm.start((ep.startSeq + 1) | 0);
  const relSeq = relativeSeq(ep, seq, ep.lastSeq, ep.seqWraps);
  const seqUnderflow = underflow;

  updateHistory(flow, flags, ep, relSeq, len);
  // Zero window (W/w), unless it comes with or after a RST or after the peer's FIN.
  if (p.window === 0 && !rst && peer.state !== TcpState.CLOSED && ep.state !== TcpState.RESET) {
    flow.scaledHistory(ep, 'win0', ep.isOrig ? 'W' : 'w');
  }
  // Duration stops at the last packet before both sides have closed.
  if (!flow.orig.didClose || !flow.resp.didClose) flow.lastTime = ts;
  if (fin) {
    ep.finCnt++;
    ep.finSeq = relSeq + segLen;
  }

  let ackUsable = false;
  if (ack) {
    if (peer.state === TcpState.INACTIVE) {
      // First sight of the peer: start its numbering as if a SYN had been seen.
      const s = (ackNum - 1) | 0;
      peer.startSeq = s;
      peer.ackSeq = s;
      peer.lastSeq = s;
      if (peer.reasm !== null) peer.reasm.start(ackNum);
    } else {
      relativeSeq(peer, ackNum, peer.ackSeq, peer.ackWraps);
      // Zeek hands every acknowledgement to the peer's reassembler (RST ones too); only the
      // acknowledged-sequence bookkeeping ignores RST packets.
      if (!underflow) {
        ackUsable = true;
        const d = seqDiff(ackNum, peer.ackSeq);
        if (!rst && !(ackNum === 0 && d > TOO_LARGE_SEQ_DELTA) && d > 0) setAckSeq(peer, ackNum);
      }
    }
  }

  updateLastSeq(flow, ep, seqOnePast, flags, len);
  stateMachine(flow, ep, peer, seq, len, isOrig, flags);
  const closing = doClose;

  if (ackUsable && peer.reasm !== null) peer.reasm.ack(ackNum, ts);
  const r = ep.reasm;
  if (r !== null && !rst) {
    if (syn) r.syn(seq);
    const dataSeq = syn ? (seq + 1) | 0 : seq;
    if (len > 0 && !seqUnderflow && p.payload.length >= len) r.data(dataSeq, p.payload.length === len ? p.payload : p.payload.subarray(0, len), ts);
    if (fin) r.fin((dataSeq + len) | 0, ts);
  }

  if (closing) connectionClosed(flow, ep, peer);
}

/**
 * Zeek TCPSessionAdapter::IsReuse: does SYN packet `p` start a new connection on the tuple of
 * `flow`? True after either side closed, or when the SYN's sequence number is not the one the
 * connection started with (except for a SYN arriving after its own SYN-ACK).
 */
export function isReuse(flow: Flow, p: DecodedPacket): boolean {
  const flags = p.tcpFlags;
  if ((flags & SYN) === 0) return false;
  let connOrig = flow.orig;
  if ((flags & ACK) !== 0) {
    if (flow.orig.state !== TcpState.INACTIVE) return false; // not a half connection
    connOrig = flow.resp;
  }
  if (!flow.orig.didClose && !flow.resp.didClose) {
    const seq = p.seq | 0;
    if (seq === connOrig.startSeq) return false;
    if ((flags & ACK) === 0 && connOrig.state === TcpState.SYN_ACK_SENT && flow.resp.state === TcpState.INACTIVE && seq === flow.resp.startSeq) {
      return false;
    }
  }
  return true;
}

/**
 * Expiry class of a TCP flow after a packet (Zeek's timers): closed (close complete, or one side
 * closed with the other reset or never seen: Zeek's delete timer / tcp_connection_linger), attempt
 * (SYN unanswered: tcp_attempt_delay), open (tcp_inactivity_timeout) or still in the handshake
 * (Zeek keeps its initial udp_inactivity_timeout there).
 */
export function tcpExpiryClass(flow: Flow): number {
  const o = flow.orig;
  const r = flow.resp;
  if (flow.closeAt >= 0) return ExpiryClass.TCP_CLOSED;
  if (
    (o.didClose || r.didClose) &&
    (o.state === TcpState.RESET || r.state === TcpState.RESET || o.state === TcpState.INACTIVE || r.state === TcpState.INACTIVE)
  ) {
    return ExpiryClass.TCP_CLOSED;
  }
  if (flow.attemptAt >= 0 && (o.state === TcpState.SYN_SENT || o.state === TcpState.SYN_ACK_SENT) && r.state === TcpState.INACTIVE) {
    return ExpiryClass.TCP_ATTEMPT;
  }
  return flow.tcpTimeout ? ExpiryClass.TCP_OPEN : ExpiryClass.TCP_HANDSHAKE;
}

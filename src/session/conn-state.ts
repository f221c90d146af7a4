import type { ConnSummary } from './conn-log.js';
import { TcpState, type Flow, type Side } from './flow.js';

/**
 * conn.log values Zeek derives when a connection is removed: payload sizes from TCP sequence
 * numbers (TCP_Endpoint::Size) and the conn_state string (conn/main.zeek `conn_state`).
 */

const TWO32 = 4294967296;

/** Zeek TCP_Endpoint::NoDataAcked: nothing beyond the SYN octet was acknowledged. */
function noDataAcked(ep: Side): boolean {
  const ack = ep.ackWraps * TWO32 + (ep.ackSeq >>> 0);
  const start = ep.startSeq >>> 0;
  return ack === start || ack === start + 1;
}

/**
 * Zeek conn_state values in which the responder completed the TCP handshake (S1, S2, S3, SF, RSTO,
 * RSTR; Zeek base/protocols/conn/main.zeek): the service answered. For the consumers of conn records
 * (asset inventory, detectors, baseline learning).
 */
export const TCP_ANSWERED_STATES: ReadonlySet<string> = new Set(['S1', 'S2', 'S3', 'SF', 'RSTO', 'RSTR']);

/**
 * Payload bytes one TCP side sent, from its sequence space (Zeek TCP_Endpoint::Size): the
 * highest of last sequence number and peer acknowledgement, minus the start, less the SYN and
 * FIN octets. Retransmissions do not count twice; bytes in gaps do count. 0 for a half-open
 * connection discovered and aborted.
 */
export function tcpSize(ep: Side): number {
  if (ep.prevState === TcpState.SYN_SENT && ep.state === TcpState.RESET && ep.peer.state === TcpState.INACTIVE && !noDataAcked(ep)) {
    return 0;
  }
  const last = ep.seqWraps * TWO32 + (ep.lastSeq >>> 0);
  const ack = ep.ackWraps * TWO32 + (ep.ackSeq >>> 0);
  let size = (last > ack ? last : ack) - (ep.startSeq >>> 0);
  if (size < 0) return 0;
  if (size !== 0) size--; // SYN octet (or its stand-in for partial connections)
  if (ep.finCnt > 0 && size !== 0) size--; // FIN octet
  return size;
}

const RSTOS0_HISTORY = /^\^?S[^HAFGIQ]*R.*$/;

/** Zeek conn_state for TCP from the two endpoint states, sizes and history. */
export function tcpConnState(flow: Flow): string {
  const os = flow.orig.state;
  const rs = flow.resp.state;
  const oInactive = os === TcpState.INACTIVE || os === TcpState.PARTIAL;
  const rInactive = rs === TcpState.INACTIVE || rs === TcpState.PARTIAL;
  if (rs === TcpState.RESET) {
    if (
      os === TcpState.SYN_SENT ||
      os === TcpState.SYN_ACK_SENT ||
      (os === TcpState.RESET && tcpSize(flow.orig) === 0 && tcpSize(flow.resp) === 0)
    ) {
      return 'REJ';
    }
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === TcpState.RESET) {
    if (rInactive) return RSTOS0_HISTORY.test(flow.history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === TcpState.CLOSED && os === TcpState.CLOSED) return 'SF';
  if (os === TcpState.CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === TcpState.CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === TcpState.SYN_SENT && rs === TcpState.INACTIVE) return 'S0';
  if (os === TcpState.ESTABLISHED && rs === TcpState.ESTABLISHED) return 'S1';
  return 'OTH';
}

/** Zeek conn_state for UDP: which sides sent anything. */
export function udpConnState(flow: Flow): string {
  const o = flow.orig.size >= 0;
  const r = flow.resp.size >= 0;
  if (o) return r ? 'SF' : 'S0';
  return r ? 'SHR' : 'OTH';
}

/** Everything the conn record of `flow` needs, as Zeek computes it at connection removal. */
export function summarize(flow: Flow): ConnSummary {
  const o = flow.orig;
  const r = flow.resp;
  const tcp = flow.proto === 'tcp';
  return {
    ts: flow.ts,
    uid: flow.uid,
    origH: o.addr,
    origP: o.port,
    respH: r.addr,
    respP: r.port,
    proto: flow.proto,
    services: flow.services ?? [],
    duration: flow.lastTime - flow.ts,
    origBytes: tcp ? tcpSize(o) : Math.max(o.size, 0),
    respBytes: tcp ? tcpSize(r) : Math.max(r.size, 0),
    connState: tcp ? tcpConnState(flow) : flow.proto === 'udp' ? udpConnState(flow) : 'OTH',
    missedBytes: flow.missedBytes,
    history: flow.history,
    origPkts: o.pkts,
    origIpBytes: o.ipBytes,
    respPkts: r.pkts,
    respIpBytes: r.ipBytes,
    ipProto: flow.ipProto,
    origMac: o.mac,
    respMac: r.mac,
    vlan: flow.vlan,
    innerVlan: flow.innerVlan,
  };
}

import { macToText } from '../decode/mac.js';
import { defineStream, type StreamSchema } from '../events/schema.js';
import type { LogRecord } from '../events/record.js';
import { isLocalAddr } from './local-nets.js';

/**
 * The `conn` stream: one record per flow, Zeek's conn.log fields in Zeek's order
 * (zeek/scripts/base/protocols/conn/main.zeek `Conn::Info`), then the fields of Zeek's
 * policy/protocols/conn/mac-logging.zeek (`orig_l2_addr`, `resp_l2_addr`) and
 * vlan-logging.zeek (`vlan`, `inner_vlan`). Natural key: `uid`.
 */
export const CONN_SCHEMA: StreamSchema = defineStream({
  name: 'conn',
  doc: 'One record per TCP/UDP/ICMP flow (Zeek conn.log semantics), written when the flow ends, expires or is evicted.',
  key: ['uid'],
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the first packet of the flow (seconds since the epoch).' },
    { name: 'uid', type: 'string', doc: 'Deterministic flow uid (session/uid.ts).' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address (Zeek conn_id; sender of the first packet unless flipped).' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port; ICMP: message type.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port; ICMP: counterpart type (or code of a one-way message).' },
    { name: 'proto', type: 'enum', doc: "Transport: 'tcp', 'udp' or 'icmp' (ICMPv6 too)." },
    { name: 'service', type: 'string', doc: 'Comma-joined services confirmed by protocol analyzers; unset when none.' },
    { name: 'duration', type: 'interval', doc: 'Seconds from the first to the last productive packet; unset when 0.' },
    { name: 'orig_bytes', type: 'count', doc: 'Originator payload bytes (TCP: from sequence numbers); unset when duration is.' },
    { name: 'resp_bytes', type: 'count', doc: 'Responder payload bytes (TCP: from sequence numbers); unset when duration is.' },
    { name: 'conn_state', type: 'string', doc: 'Zeek connection state: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH.' },
    { name: 'local_orig', type: 'bool', doc: "Originator in Zeek's default local networks (Site::private_address_space)." },
    { name: 'local_resp', type: 'bool', doc: "Responder in Zeek's default local networks." },
    { name: 'missed_bytes', type: 'count', doc: 'TCP bytes skipped in content gaps (capture loss).' },
    { name: 'history', type: 'string', doc: 'Zeek history letters (upper case: originator, lower case: responder); unset when empty.' },
    { name: 'orig_pkts', type: 'count', doc: 'Packets sent by the originator.' },
    { name: 'orig_ip_bytes', type: 'count', doc: 'IP bytes (IP total length) sent by the originator.' },
    { name: 'resp_pkts', type: 'count', doc: 'Packets sent by the responder.' },
    { name: 'resp_ip_bytes', type: 'count', doc: 'IP bytes (IP total length) sent by the responder.' },
    { name: 'tunnel_parents', type: 'set[string]', doc: 'Uids of encapsulating flows; unset (no tunnel decoding).' },
    { name: 'ip_proto', type: 'count', doc: 'IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6).' },
    { name: 'orig_l2_addr', type: 'string', doc: 'Originator MAC address as first seen (aa:bb:cc:dd:ee:ff); unset without a link layer.' },
    { name: 'resp_l2_addr', type: 'string', doc: 'Responder MAC address as first seen; unset without a link layer.' },
    { name: 'vlan', type: 'int', doc: 'Outer 802.1Q VLAN id of the first packet; unset when untagged.' },
    { name: 'inner_vlan', type: 'int', doc: 'Inner (802.1ad QinQ) VLAN id of the first packet; unset when absent.' },
  ],
});

/** What the session layer knows about a flow when it writes the conn record (counts in bytes / packets, times in seconds). */
export interface ConnSummary {
  ts: number;
  uid: string;
  origH: string;
  origP: number;
  respH: string;
  respP: number;
  proto: 'tcp' | 'udp' | 'icmp';
  /** Confirmed services in confirmation order (empty: unset). */
  services: readonly string[];
  /** Last productive packet time minus `ts` (seconds). */
  duration: number;
  origBytes: number;
  respBytes: number;
  connState: string;
  missedBytes: number;
  /** History letters; '' is logged unset. */
  history: string;
  origPkts: number;
  origIpBytes: number;
  respPkts: number;
  respIpBytes: number;
  ipProto: number;
  /** 48-bit MACs, -1 when unknown. */
  origMac: number;
  respMac: number;
  /** VLAN ids, -1 when absent. */
  vlan: number;
  innerVlan: number;
}

/** A 48-bit MAC address (integer, exact in a double) as `aa:bb:cc:dd:ee:ff`; null for -1 (unknown). */
export function formatMac(mac: number): string | null {
  return mac < 0 ? null : macToText(mac);
}

/**
 * The conn record of a flow. As Zeek (conn/main.zeek `set_conn`): `duration`, `orig_bytes` and
 * `resp_bytes` are set only when the duration is positive; `service` and `history` are unset when
 * empty; `local_orig`/`local_resp` follow `isLocalAddr`. The duration is rounded to the
 * microsecond (Zeek's log precision; it also drops the float noise of epoch-sized differences).
 */
export function connRecord(s: ConnSummary): LogRecord {
  const productive = s.duration > 0;
  return {
    ts: s.ts,
    uid: s.uid,
    'id.orig_h': s.origH,
    'id.orig_p': s.origP,
    'id.resp_h': s.respH,
    'id.resp_p': s.respP,
    proto: s.proto,
    service: s.services.length > 0 ? s.services.join(',') : null,
    duration: productive ? Math.round(s.duration * 1e6) / 1e6 : null,
    orig_bytes: productive ? s.origBytes : null,
    resp_bytes: productive ? s.respBytes : null,
    conn_state: s.connState,
    local_orig: isLocalAddr(s.origH),
    local_resp: isLocalAddr(s.respH),
    missed_bytes: s.missedBytes,
    history: s.history === '' ? null : s.history,
    orig_pkts: s.origPkts,
    orig_ip_bytes: s.origIpBytes,
    resp_pkts: s.respPkts,
    resp_ip_bytes: s.respIpBytes,
    tunnel_parents: null,
    ip_proto: s.ipProto,
    orig_l2_addr: formatMac(s.origMac),
    resp_l2_addr: formatMac(s.respMac),
    vlan: s.vlan >= 0 ? s.vlan : null,
    inner_vlan: s.innerVlan >= 0 ? s.innerVlan : null,
  };
}

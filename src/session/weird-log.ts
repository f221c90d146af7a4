import type { DecodedPacket } from '../decode/packet.js';
import type { AnomalyGrade, WeirdRecord } from '../events/anomaly.js';
import type { LogRecord } from '../events/record.js';
import { defineStream, type StreamSchema } from '../events/schema.js';
import type { ConnId } from './analyzer.js';

/**
 * The `weird` stream: anomalies as data, Zeek weird.log field order
 * (zeek/scripts/base/frameworks/notice/weird.zeek `Weird::Info`) plus `grade` (events/anomaly.ts).
 */
export const WEIRD_SCHEMA: StreamSchema = defineStream({
  name: 'weird',
  doc: 'Anomalies of the decoder, the session layer and protocol analyzers (Zeek weird.log plus grade).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the packet that showed the anomaly (seconds since the epoch).' },
    { name: 'uid', type: 'string', doc: 'Uid of the flow; unset for anomalies below the session layer.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator (flow) or source (packet) address; unset when unknown.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator or source port; unset when unknown.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder or destination address; unset when unknown.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder or destination port; unset when unknown.' },
    { name: 'name', type: 'string', doc: 'Stable dotted anomaly name, e.g. tcp.content_gap, modbus.invalid_length.' },
    { name: 'addl', type: 'string', doc: 'Additional detail; unset when none.' },
    { name: 'notice', type: 'bool', doc: 'Whether a notice was raised for it (always F here, as Zeek by default).' },
    { name: 'peer', type: 'string', doc: "Name of the sensor that saw it (Zeek's peer_description)." },
    { name: 'source', type: 'string', doc: 'Layer or analyzer that reported it (the first part of the dotted name unless given).' },
    { name: 'grade', type: 'enum', doc: 'weird (odd but parsed), violation (against protocol confirmation) or fatal (analysis of the flow stopped).' },
  ],
});

/** Sensor name written in `peer` (Zeek writes its peer_description, "zeek" by default). */
export const WEIRD_PEER = 'cranewatch';

/** The part of a dotted anomaly name before its first dot (`tcp.content_gap` → `tcp`). */
export function weirdSource(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/**
 * A weird record for an anomaly of one packet below the session layer (decoder): `uid` unset,
 * `id.*` from the packet's addresses and ports where decoded (ports -1 → unset).
 * `source` defaults to the first part of `name`.
 */
export function makeWeird(name: string, grade: AnomalyGrade, pkt: DecodedPacket, addl?: string, source?: string): WeirdRecord & LogRecord {
  return {
    ts: pkt.ts,
    uid: null,
    'id.orig_h': pkt.src === '' ? null : pkt.src,
    'id.orig_p': pkt.srcPort >= 0 ? pkt.srcPort : null,
    'id.resp_h': pkt.dst === '' ? null : pkt.dst,
    'id.resp_p': pkt.dstPort >= 0 ? pkt.dstPort : null,
    name,
    addl: addl === undefined || addl === '' ? null : addl,
    notice: false,
    peer: WEIRD_PEER,
    source: source ?? weirdSource(name),
    grade,
  };
}

/** A weird record (also a LogRecord for `LogSink.write`) for an anomaly of one flow (`id` as the flow's conn_id at that moment). */
export function makeFlowWeird(
  name: string,
  grade: AnomalyGrade,
  ts: number,
  uid: string,
  id: ConnId,
  addl?: string,
  source?: string,
): WeirdRecord & LogRecord {
  return {
    ts,
    uid,
    'id.orig_h': id.orig_h,
    'id.orig_p': id.orig_p,
    'id.resp_h': id.resp_h,
    'id.resp_p': id.resp_p,
    name,
    addl: addl === undefined || addl === '' ? null : addl,
    notice: false,
    peer: WEIRD_PEER,
    source: source ?? weirdSource(name),
    grade,
  };
}

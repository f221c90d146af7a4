import type { LogRecord } from '../../events/record.js';
import { defineStream, type FieldSpec, type StreamSchema } from '../../events/schema.js';
import { ICSNPP_SIDE_FIELDS, icsnppRecordFactory, type FlowIds } from '../icsnpp-fields.js';

/**
 * DNP3 log streams and their record builders. `dnp3` is Zeek's (scripts/base/protocols/dnp3/main.zeek,
 * `DNP3::Info`); `dnp3_control` and `dnp3_objects` are ICSNPP-DNP3's (scripts/main.zeek,
 * `DNP3_Extended::Control`, `DNP3_Extended::Objects`), fields in the peers' order. Unset fields are `null`.
 */

const CONN_FIELDS: readonly FieldSpec[] = [
  { name: 'ts', type: 'time', doc: 'Time of the message that wrote the record (seconds since the epoch).' },
  { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
  { name: 'id.orig_h', type: 'addr', doc: 'Originator address (usually the master).' },
  { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
  { name: 'id.resp_h', type: 'addr', doc: 'Responder address (usually the outstation, port 20000).' },
  { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
];


/** `dnp3`: a request and the response that answered it (Zeek dnp3.log). */
export const DNP3_STREAM: StreamSchema = defineStream({
  name: 'dnp3',
  doc: 'DNP3 application requests and their responses, one row per response (or unanswered request at the end of the flow) (Zeek dnp3.log).',
  fields: [
    ...CONN_FIELDS,
    { name: 'fc_request', type: 'string', doc: 'Function name of the latest request before the response (IEEE 1815-2012 Table 4-6; Zeek DNP3::function_codes, unknown-N).' },
    { name: 'fc_reply', type: 'string', doc: 'Function name of the response (RESPONSE, UNSOLICITED_RESPONSE, AUTHENTICATE_RESP).' },
    { name: 'iin', type: 'count', doc: 'Internal indications of the response, IIN1 × 256 + IIN2 (§4.2.2.6; dnp3.al.iin).' },
  ],
});

/** `dnp3_control`: every CROB and PCB in requests and responses (ICSNPP dnp3_control.log). */
export const DNP3_CONTROL_STREAM: StreamSchema = defineStream({
  name: 'dnp3_control',
  doc: 'DNP3 Control Relay Output Blocks (g12v1) and Pattern Control Blocks (g12v2), one row per block in any message (ICSNPP dnp3_control.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'block_type', type: 'string', doc: 'Control Relay Output Block or Pattern Control Block.' },
    { name: 'function_code', type: 'string', doc: 'Function name of the message (SELECT, OPERATE, DIRECT_OPERATE, RESPONSE …; ICSNPP names, unknown-N in hex).' },
    { name: 'index_number', type: 'count', doc: 'Point index of the block: its index prefix, or start + position for a range qualifier.' },
    { name: 'trip_control_code', type: 'string', doc: 'Control code bits 7..6: Nul, Close, Trip (A.8.1.3).' },
    { name: 'operation_type', type: 'string', doc: 'Control code bits 3..0: Nul, Pulse On, Pulse Off, Latch On, Latch Off.' },
    { name: 'clear_bit', type: 'bool', doc: 'Control code bit 5 (CR, clear).' },
    { name: 'execute_count', type: 'count', doc: 'Count: times to execute.' },
    { name: 'on_time', type: 'count', doc: 'On-time, milliseconds.' },
    { name: 'off_time', type: 'count', doc: 'Off-time, milliseconds.' },
    { name: 'status_code', type: 'string', doc: 'Status of the block in a RESPONSE (Table A-19 names, unknown-N in hex); unset in other messages.' },
  ],
});

/** `dnp3_objects`: object headers of READ requests and RESPONSE messages (ICSNPP dnp3_objects.log). */
export const DNP3_OBJECTS_STREAM: StreamSchema = defineStream({
  name: 'dnp3_objects',
  doc: 'DNP3 object headers (group / variation, count, range) of READ requests and RESPONSE messages whose object ICSNPP names (ICSNPP dnp3_objects.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'function_code', type: 'string', doc: 'READ or RESPONSE.' },
    { name: 'object_type', type: 'string', doc: 'Object group / variation name (ICSNPP dnp3_objects table, e.g. Binary Input With Status).' },
    { name: 'object_count', type: 'count', doc: 'Objects in a RESPONSE header (range size or count); unset in a READ.' },
    { name: 'range_low', type: 'count', doc: 'Start index of a RESPONSE header with a range qualifier; unset otherwise.' },
    { name: 'range_high', type: 'count', doc: 'Stop index of a RESPONSE header with a range qualifier; unset otherwise.' },
    { name: 'group', type: 'count', doc: 'Object group (dnp3.al.obj >> 8).' },
    { name: 'variation', type: 'count', doc: 'Object variation.' },
    { name: 'qualifier', type: 'count', doc: 'Qualifier octet (Table 4-7 prefix code × 16 + range specifier).' },
  ],
});

/** Records of the ICSNPP streams, every column allocated up front (icsnpp-fields.ts). */
const newControlRecord = icsnppRecordFactory(DNP3_CONTROL_STREAM);
const newObjectsRecord = icsnppRecordFactory(DNP3_OBJECTS_STREAM);

/** A `dnp3` row. @param fcRequest request name or null; @param iin IIN1 × 256 + IIN2 or null for an unanswered request */
export function dnp3Record(f: FlowIds, ts: number, fcRequest: string | null, fcReply: string | null, iin: number | null): LogRecord {
  return {
    ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    fc_request: fcRequest,
    fc_reply: fcReply,
    iin,
  };
}

/** A `dnp3_control` row (names already looked up; `status` null outside RESPONSE messages). */
export function controlRecord(
  f: FlowIds,
  ts: number,
  isOrig: boolean,
  blockType: string,
  functionCode: string,
  index: number,
  trip: string,
  operation: string,
  clear: boolean,
  count: number,
  onTime: number,
  offTime: number,
  status: string | null,
): LogRecord {
  const r = newControlRecord(f, ts, isOrig);
  r.block_type = blockType;
  r.function_code = functionCode;
  r.index_number = index;
  r.trip_control_code = trip;
  r.operation_type = operation;
  r.clear_bit = clear;
  r.execute_count = count;
  r.on_time = onTime;
  r.off_time = offTime;
  r.status_code = status;
  return r;
}

/** A `dnp3_objects` row (`count` / `low` / `high` null where unset). */
export function objectsRecord(
  f: FlowIds,
  ts: number,
  isOrig: boolean,
  functionCode: string,
  objectType: string,
  count: number | null,
  low: number | null,
  high: number | null,
  group: number,
  variation: number,
  qualifier: number,
): LogRecord {
  const r = newObjectsRecord(f, ts, isOrig);
  r.function_code = functionCode;
  r.object_type = objectType;
  r.object_count = count;
  r.range_low = low;
  r.range_high = high;
  r.group = group;
  r.variation = variation;
  r.qualifier = qualifier;
  return r;
}

import type { LogRecord } from '../../events/record.js';
import { defineStream, type FieldSpec, type StreamSchema } from '../../events/schema.js';

/**
 * Modbus log streams and their record builders. Field names and meanings are Zeek's
 * (scripts/base/protocols/modbus/main.zeek, `modbus`) and ICSNPP-Modbus's (scripts/main.zeek,
 * `modbus_detailed`, `modbus_mask_write_register`, `modbus_read_write_multiple_registers`,
 * `modbus_read_device_identification`); fields after the peer's last one are this project's
 * additions. Unset fields are `null`. String fields copied from the wire are already in Zeek's
 * escaped notation (escape.ts) and bounded by limits.maxStringLength.
 */

const CONN_FIELDS: readonly FieldSpec[] = [
  { name: 'ts', type: 'time', doc: 'Time of the message that created the record (seconds since the epoch).' },
  { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
  { name: 'id.orig_h', type: 'addr', doc: 'Originator address (the side that opened the TCP connection; usually the Modbus client).' },
  { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
  { name: 'id.resp_h', type: 'addr', doc: 'Responder address (usually the Modbus server).' },
  { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
];

/** ICSNPP's true sender and receiver; in modbus_detailed, of the message that opened the row. */
const SOURCE_FIELDS: readonly FieldSpec[] = [
  { name: 'source_h', type: 'addr', doc: 'Address that sent the message (ICSNPP source_h): the server for a response, whichever side opened the connection.' },
  { name: 'source_p', type: 'port', doc: 'Port that sent the message (ICSNPP source_p).' },
  { name: 'destination_h', type: 'addr', doc: 'Address the message went to (ICSNPP destination_h).' },
  { name: 'destination_p', type: 'port', doc: 'Port the message went to (ICSNPP destination_p).' },
];

const SIDE_FIELDS: readonly FieldSpec[] = [
  ...CONN_FIELDS,
  { name: 'is_orig', type: 'bool', doc: 'T when the TCP originator sent the message (a request, unless the server opened the connection).' },
  ...SOURCE_FIELDS,
  { name: 'modbus_detailed_link_id', type: 'string', doc: 'Joins the record to its modbus_detailed row (deterministic: uid:tid:n).' },
  { name: 'tid', type: 'count', doc: 'MBAP transaction identifier (mbtcp.trans_id).' },
  { name: 'unit', type: 'count', doc: 'MBAP unit identifier (mbtcp.unit_id).' },
  { name: 'func', type: 'string', doc: 'Function name (Zeek Modbus::function_codes).' },
  { name: 'request_response', type: 'string', doc: 'REQUEST or RESPONSE.' },
];

/** `modbus`: one row per request and per response (Zeek modbus.log, current format). */
export const MODBUS_STREAM: StreamSchema = defineStream({
  name: 'modbus',
  doc: 'Modbus/TCP messages, one row per request and per response (Zeek modbus.log).',
  fields: [
    ...CONN_FIELDS,
    { name: 'tid', type: 'count', doc: 'MBAP transaction identifier (mbtcp.trans_id).' },
    { name: 'unit', type: 'count', doc: 'MBAP unit identifier (mbtcp.unit_id).' },
    { name: 'func', type: 'string', doc: 'Function name as Zeek build_func writes it (READ_COILS, READ_COILS_EXCEPTION, unknown-N).' },
    { name: 'pdu_type', type: 'string', doc: 'REQ from the client, RESP from the server (roles.ts: the side on port 502 is the server).' },
    { name: 'exception', type: 'string', doc: 'Exception name of an exception response (ILLEGAL_FUNCTION …, unknown-N).' },
    ...SOURCE_FIELDS,
    { name: 'function_code', type: 'count', doc: 'Raw function code byte, exception bit included (modbus.func_code).' },
    { name: 'exception_code', type: 'count', doc: 'Raw exception code byte of an exception response (modbus.exception_code); unset otherwise.' },
  ],
});

/** `modbus_detailed`: ICSNPP's request/response pairs by transaction id (one row per matched pair). */
export const MODBUS_DETAILED_STREAM: StreamSchema = defineStream({
  name: 'modbus_detailed',
  doc: 'Modbus request and response paired by transaction id with addresses, quantities and values (ICSNPP modbus_detailed.log).',
  fields: [
    ...CONN_FIELDS,
    { name: 'tid', type: 'count', doc: 'MBAP transaction identifier.' },
    { name: 'unit', type: 'count', doc: 'MBAP unit identifier.' },
    { name: 'func', type: 'string', doc: 'Function name (Zeek Modbus::function_codes; *_EXCEPTION for unpaired exceptions).' },
    { name: 'address', type: 'count', doc: 'Starting address of the values (0-based protocol address).' },
    { name: 'quantity', type: 'count', doc: 'Number of coils, inputs, registers or sub-requests.' },
    { name: 'request_values', type: 'vector[count]', doc: 'Coil (0/1) or register values in the request.' },
    { name: 'response_values', type: 'vector[count]', doc: 'Coil (0/1) or register values in the response.' },
    { name: 'modbus_detailed_link_id', type: 'string', doc: 'Joins mask-write, read/write-multiple and device-id rows.' },
    { name: 'matched', type: 'bool', doc: 'T for a request/response pair, F for one left unanswered; unset for unpaired functions.' },
    { name: 'request_subfunction_code', type: 'string', doc: 'Diagnostics sub-function name in the request.' },
    { name: 'response_subfunction_code', type: 'string', doc: 'Diagnostics sub-function name in the response.' },
    { name: 'request_data', type: 'string', doc: 'Other request data (diagnostics data, escaped bytes).' },
    { name: 'response_data', type: 'string', doc: 'Other response data: coil padding bits, diagnostics data, file records.' },
    { name: 'exception_code', type: 'string', doc: 'Exception name of the response.' },
    { name: 'mei_type', type: 'string', doc: 'MEI type of function 43 (CANopen, Read Device Identification, …).' },
    ...SOURCE_FIELDS,
    { name: 'function_code', type: 'count', doc: 'Raw function code of the message that created the row.' },
  ],
});

/** `modbus_mask_write_register`: function 22 requests and responses (ICSNPP). */
export const MASK_WRITE_STREAM: StreamSchema = defineStream({
  name: 'modbus_mask_write_register',
  doc: 'Mask Write Register (function 22) requests and responses (ICSNPP modbus_mask_write_register.log).',
  fields: [
    ...SIDE_FIELDS,
    { name: 'address', type: 'count', doc: 'Reference address of the register.' },
    { name: 'and_mask', type: 'count', doc: 'AND mask.' },
    { name: 'or_mask', type: 'count', doc: 'OR mask.' },
  ],
});

/** `modbus_read_write_multiple_registers`: function 23 requests and responses (ICSNPP). */
export const READ_WRITE_MULTIPLE_STREAM: StreamSchema = defineStream({
  name: 'modbus_read_write_multiple_registers',
  doc: 'Read/Write Multiple Registers (function 23) requests and responses (ICSNPP modbus_read_write_multiple_registers.log).',
  fields: [
    ...SIDE_FIELDS,
    { name: 'write_start_address', type: 'count', doc: 'First register written.' },
    { name: 'write_registers', type: 'vector[count]', doc: 'Register values written.' },
    { name: 'read_start_address', type: 'count', doc: 'First register read.' },
    { name: 'read_quantity', type: 'count', doc: 'Registers to read.' },
    { name: 'read_registers', type: 'vector[count]', doc: 'Register values read (response).' },
  ],
});

/** `modbus_read_device_identification`: function 43 / MEI 14, one row per request and per returned object (ICSNPP). */
export const DEVICE_ID_STREAM: StreamSchema = defineStream({
  name: 'modbus_read_device_identification',
  doc: 'Read Device Identification (function 43, MEI 14): the request and each object of the response (ICSNPP modbus_read_device_identification.log).',
  fields: [
    ...SIDE_FIELDS,
    { name: 'mei_type', type: 'string', doc: 'Always READ-DEVICE-IDENTIFICATION.' },
    { name: 'conformity_level_code', type: 'string', doc: 'Conformity level byte, 0xNN (response).' },
    { name: 'conformity_level', type: 'string', doc: 'Conformity level name (response).' },
    { name: 'device_id_code', type: 'count', doc: 'Read Device ID code: 1 basic, 2 regular, 3 extended, 4 specific.' },
    { name: 'object_id_code', type: 'string', doc: 'Object id, 0xNN (requested object, or the object of this response row).' },
    { name: 'object_id', type: 'string', doc: 'Object name (VendorName, ProductCode, …).' },
    { name: 'object_value', type: 'string', doc: 'Object value (escaped text).' },
    { name: 'more_follows', type: 'bool', doc: 'Response "more follows" is 0xFF.' },
    { name: 'next_object_id_code', type: 'string', doc: 'Response "next object id", 0xNN.' },
  ],
});

/**
 * Per-flow constants every record repeats, computed once when the analyzer attaches.
 * `orig*` / `resp*` are the TCP connection's (Zeek conn_id); `origIsClient` says which of them is the
 * Modbus client (roles.ts), so a request was sent by the originator exactly when `origIsClient`.
 */
export interface FlowIds {
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
  readonly origIsClient: boolean;
}

/**
 * A `modbus` row: REQ when the client sent it, RESP when the server did; `source_*` / `destination_*`
 * are the true sender and receiver, `id.*` the TCP connection's originator and responder.
 * @param isRequest true for a message from the client (roles.ts)
 * @param exception exception name for exception responses, else null
 * @param exceptionCode the raw exception code byte (V1.1b3 §7) beside its name, else null
 */
export function modbusRecord(
  f: FlowIds,
  ts: number,
  isRequest: boolean,
  tid: number,
  unit: number,
  func: string,
  fc: number,
  exception: string | null,
  exceptionCode: number | null,
): LogRecord {
  const o = isRequest === f.origIsClient;
  return {
    ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    tid,
    unit,
    func,
    pdu_type: isRequest ? 'REQ' : 'RESP',
    exception,
    source_h: o ? f.origH : f.respH,
    source_p: o ? f.origP : f.respP,
    destination_h: o ? f.respH : f.origH,
    destination_p: o ? f.respP : f.origP,
    function_code: fc,
    exception_code: exceptionCode,
  };
}

/** The mutable content of one modbus_detailed row while it waits for its partner. */
export interface DetailedRow {
  ts: number;
  /** True when the message that created the row was a request (sets the source/destination fields). */
  isRequest: boolean;
  tid: number;
  unit: number;
  func: string;
  functionCode: number;
  address: number | null;
  quantity: number | null;
  requestValues: number[] | null;
  responseValues: number[] | null;
  linkId: string | null;
  matched: boolean | null;
  requestSubfunction: string | null;
  responseSubfunction: string | null;
  requestData: string | null;
  responseData: string | null;
  exceptionCode: string | null;
  meiType: string | null;
  /** Next row waiting with the same transaction id (pairing queue, transactions.ts); not logged. */
  next: DetailedRow | null;
}

/** A fresh row with only the header fields set. @param isRequest true when a request creates it */
export function newDetailedRow(ts: number, isRequest: boolean, tid: number, unit: number, func: string, fc: number): DetailedRow {
  return {
    ts,
    isRequest,
    tid,
    unit,
    func,
    functionCode: fc,
    address: null,
    quantity: null,
    requestValues: null,
    responseValues: null,
    linkId: null,
    matched: null,
    requestSubfunction: null,
    responseSubfunction: null,
    requestData: null,
    responseData: null,
    exceptionCode: null,
    meiType: null,
    next: null,
  };
}

/** The `modbus_detailed` record of a row (vectors are written as they are; empty vectors stay empty). */
export function detailedRecord(f: FlowIds, r: DetailedRow): LogRecord {
  const o = r.isRequest === f.origIsClient;
  return {
    ts: r.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    tid: r.tid,
    unit: r.unit,
    func: r.func,
    address: r.address,
    quantity: r.quantity,
    request_values: r.requestValues,
    response_values: r.responseValues,
    modbus_detailed_link_id: r.linkId,
    matched: r.matched,
    request_subfunction_code: r.requestSubfunction,
    response_subfunction_code: r.responseSubfunction,
    request_data: r.requestData,
    response_data: r.responseData,
    exception_code: r.exceptionCode,
    mei_type: r.meiType,
    source_h: o ? f.origH : f.respH,
    source_p: o ? f.origP : f.respP,
    destination_h: o ? f.respH : f.origH,
    destination_p: o ? f.respP : f.origP,
    function_code: r.functionCode,
  };
}

/** Header fields shared by the ICSNPP side logs (mask write, read/write multiple, device id). */
export interface SideHeader {
  readonly ts: number;
  /** True for the client's request, false for the server's response. */
  readonly isRequest: boolean;
  readonly linkId: string;
  readonly tid: number;
  readonly unit: number;
  readonly func: string;
}

function sideBase(f: FlowIds, h: SideHeader): Record<string, string | number | boolean | null> {
  const o = h.isRequest === f.origIsClient;
  return {
    ts: h.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    is_orig: o,
    source_h: o ? f.origH : f.respH,
    source_p: o ? f.origP : f.respP,
    destination_h: o ? f.respH : f.origH,
    destination_p: o ? f.respP : f.origP,
    modbus_detailed_link_id: h.linkId,
    tid: h.tid,
    unit: h.unit,
    func: h.func,
    request_response: h.isRequest ? 'REQUEST' : 'RESPONSE',
  };
}

/** A `modbus_mask_write_register` record (V1.1b3 §6.16 fields). */
export function maskWriteRecord(f: FlowIds, h: SideHeader, address: number, andMask: number, orMask: number): LogRecord {
  const r = sideBase(f, h);
  r.address = address;
  r.and_mask = andMask;
  r.or_mask = orMask;
  return r;
}

/** The function-23 fields of one message; requests fill the write/read request fields, responses `readRegisters`. */
export interface ReadWriteFields {
  readonly writeStartAddress: number | null;
  readonly writeRegisters: number[] | null;
  readonly readStartAddress: number | null;
  readonly readQuantity: number | null;
  readonly readRegisters: number[] | null;
}

/** A `modbus_read_write_multiple_registers` record (V1.1b3 §6.17 fields). */
export function readWriteRecord(f: FlowIds, h: SideHeader, v: ReadWriteFields): LogRecord {
  return {
    ...sideBase(f, h),
    write_start_address: v.writeStartAddress,
    write_registers: v.writeRegisters,
    read_start_address: v.readStartAddress,
    read_quantity: v.readQuantity,
    read_registers: v.readRegisters,
  };
}

/** The function-43/MEI-14 fields of one row (V1.1b3 §6.21); unset ones are null. */
export interface DeviceIdFields {
  readonly conformityLevelCode: string | null;
  readonly conformityLevel: string | null;
  readonly deviceIdCode: number;
  readonly objectIdCode: string | null;
  readonly objectId: string | null;
  readonly objectValue: string | null;
  readonly moreFollows: boolean | null;
  readonly nextObjectIdCode: string | null;
}

/** A `modbus_read_device_identification` record. */
export function deviceIdRecord(f: FlowIds, h: SideHeader, v: DeviceIdFields): LogRecord {
  return {
    ...sideBase(f, h),
    mei_type: 'READ-DEVICE-IDENTIFICATION',
    conformity_level_code: v.conformityLevelCode,
    conformity_level: v.conformityLevel,
    device_id_code: v.deviceIdCode,
    object_id_code: v.objectIdCode,
    object_id: v.objectId,
    object_value: v.objectValue,
    more_follows: v.moreFollows,
    next_object_id_code: v.nextObjectIdCode,
  };
}

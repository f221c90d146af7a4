/**
 * Pure Modbus/TCP grammar: the MBAP header and every public PDU, requests and responses.
 * No I/O, no state, nothing emitted: each function reads bytes and returns `ok`, `incomplete`
 * (need N more bytes) or `malformed` (with a stable anomaly name).
 *
 * Sources: Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3 (MBAP header);
 * Modbus Application Protocol Specification V1.1b3 §4.1 (PDU), §6.1–6.21 (function codes),
 * §7 (exception responses). All multi-byte fields are big-endian (V1.1b3 §4.2).
 * Byte views in results (`data`, `events`, object values) point into the input and are valid
 * only while the caller's input is; copy to keep.
 */

/** MBAP header (7 bytes) plus the function code byte that always follows it. */
export const HEADER_BYTES = 8;
/** Smallest sane MBAP length field: unit id + function code (V1.0b §3.1.3). */
export const MIN_LENGTH = 2;
/** Largest sane MBAP length field: unit id + a 253-byte PDU (V1.1b3 §4.1: PDU ≤ 253 bytes). */
export const MAX_LENGTH = 254;
/** Largest ADU: 6 bytes before the length-counted part + 254 (V1.0b §3.1.3: 260 bytes). */
export const MAX_ADU_BYTES = 6 + MAX_LENGTH;
/**
 * Hard cap on an oversized MBAP length field, for devices that send more than V1.1b3 allows (Schneider
 * UMAS over function 90 sends length 255): 1454, so that the whole ADU (1460 bytes) fits the payload
 * of one full-size TCP segment on Ethernet (MSS 1460 = MTU 1500 − 40 bytes of IPv4 and TCP headers).
 * The stream analyzer parses with it (weird `modbus.oversized_adu` for lengths 255..1454); the content
 * probe keeps the specification's 254.
 */
export const OVERSIZED_LENGTH_CAP = 1454;

/** Anomaly names the grammar reports (dotted, stable). */
export type GrammarAnomaly =
  /** MBAP protocol identifier is not 0 (V1.0b §3.1.3). */
  | 'modbus.invalid_protocol_id'
  /** MBAP length field below 2 or above the accepted maximum (254 by V1.0b §3.1.3 and V1.1b3 §4.1). */
  | 'modbus.invalid_length'
  /** The PDU ends before a field its function code requires. */
  | 'modbus.truncated_pdu'
  /** A byte count that cannot describe the PDU (odd register bytes, not a multiple of a sub-record, …). */
  | 'modbus.invalid_byte_count'
  /** Write Single Coil value other than 0x0000 / 0xFF00 (V1.1b3 §6.5). */
  | 'modbus.invalid_coil_value'
  /** Weird: bytes after the last field of a complete PDU. */
  | 'modbus.trailing_bytes'
  /** Weird: a byte count that disagrees with a quantity but still parses. */
  | 'modbus.byte_count_mismatch'
  /** Weird: a quantity, count or code outside the range V1.1b3 allows. */
  | 'modbus.out_of_range'
  /** Weird: file record reference type other than 6 (V1.1b3 §6.14, §6.15). */
  | 'modbus.invalid_reference_type'
  /** Weird: diagnostics request data that does not fit its sub-function (V1.1b3 §6.8.1; Zeek modbus_diag_invalid_request_data). */
  | 'modbus.diag_invalid_request_data'
  /** Weird: diagnostics request sub-function not defined (Zeek modbus_diag_unknown_request_subfunction). */
  | 'modbus.diag_unknown_subfunction'
  /** Weird: Read Device Identification "more follows" other than 0x00 / 0xFF (V1.1b3 §6.21). */
  | 'modbus.invalid_more_follows';

/** The fixed part of every ADU (V1.0b §3.1.3) plus its function code (V1.1b3 §4.1). */
export interface AduHeader {
  /** Transaction identifier (mbtcp.trans_id). */
  readonly tid: number;
  /** Protocol identifier, 0 for Modbus (mbtcp.prot_id). */
  readonly pid: number;
  /** Bytes after the length field: unit id + PDU (mbtcp.len). */
  readonly length: number;
  /** Unit identifier (mbtcp.unit_id). */
  readonly unit: number;
  /** Function code byte, exception bit included (modbus.func_code). */
  readonly fc: number;
}

/** Result of `parseHeader`. `aduLength` = 6 + length, the bytes of the whole ADU. */
export type HeaderResult =
  | { readonly kind: 'ok'; readonly header: AduHeader; readonly aduLength: number }
  | { readonly kind: 'incomplete'; readonly need: number }
  | { readonly kind: 'malformed'; readonly anomaly: GrammarAnomaly; readonly detail: string };

/** Sub-request of Read File Record (V1.1b3 §6.14). */
export interface FileSubRequest {
  readonly refType: number;
  readonly fileNumber: number;
  readonly recordNumber: number;
  /** Registers to read. */
  readonly recordLength: number;
}

/** Sub-response of Read File Record (V1.1b3 §6.14): `fileRespLength` counts the reference byte and the data. */
export interface FileSubResponse {
  readonly fileRespLength: number;
  readonly refType: number;
  /** Record data, `fileRespLength - 1` bytes (a view). */
  readonly data: Uint8Array;
}

/** Sub-request of Write File Record, echoed by its response (V1.1b3 §6.15). */
export interface FileWriteReference {
  readonly refType: number;
  readonly fileNumber: number;
  readonly recordNumber: number;
  /** Registers written. */
  readonly recordLength: number;
  /** 2 × recordLength bytes (a view). */
  readonly data: Uint8Array;
}

/** One object of a Read Device Identification response (V1.1b3 §6.21). */
export interface DeviceObject {
  readonly id: number;
  /** Object value bytes (a view; text for objects 0x00–0x06). */
  readonly value: Uint8Array;
}

/** A parsed PDU; `kind` says which function-code shape it is (V1.1b3 §6). */
export type ModbusPdu =
  /** Requests of FC 1–4 (§6.1–6.4). */
  | { readonly kind: 'read_request'; readonly address: number; readonly quantity: number }
  /** Responses of FC 1–2 (§6.1–6.2): every bit of every byte, LSB first (byteCount × 8 values of 0/1). */
  | { readonly kind: 'bits'; readonly byteCount: number; readonly bits: number[] }
  /** Responses of FC 3, 4, 23 (§6.3, §6.4, §6.17). */
  | { readonly kind: 'registers'; readonly byteCount: number; readonly registers: number[] }
  /** FC 5 and 6 requests and responses (§6.5, §6.6): the raw 16-bit value (FC 5: 0x0000 or 0xFF00). */
  | { readonly kind: 'write_single'; readonly address: number; readonly value: number }
  /** Requests of FC 7, 11, 12, 17, which carry no data (§6.7, §6.9, §6.10, §6.13). */
  | { readonly kind: 'empty' }
  /** FC 7 response (§6.7). */
  | { readonly kind: 'exception_status'; readonly status: number }
  /** FC 8 request and response (§6.8). */
  | { readonly kind: 'diagnostics'; readonly subfunction: number; readonly data: Uint8Array }
  /** FC 11 response (§6.9). */
  | { readonly kind: 'comm_event_counter'; readonly status: number; readonly eventCount: number }
  /** FC 12 response (§6.10). */
  | {
      readonly kind: 'comm_event_log';
      readonly byteCount: number;
      readonly status: number;
      readonly eventCount: number;
      readonly messageCount: number;
      readonly events: Uint8Array;
    }
  /** FC 15 request (§6.11): `coils` holds min(quantity, byteCount × 8) values of 0/1. */
  | {
      readonly kind: 'write_multiple_coils';
      readonly address: number;
      readonly quantity: number;
      readonly byteCount: number;
      readonly coils: number[];
    }
  /** FC 16 request (§6.12). */
  | {
      readonly kind: 'write_multiple_registers';
      readonly address: number;
      readonly quantity: number;
      readonly byteCount: number;
      readonly registers: number[];
    }
  /** FC 15 and 16 responses (§6.11, §6.12). */
  | { readonly kind: 'write_multiple_response'; readonly address: number; readonly quantity: number }
  /** FC 17 response (§6.13): server id, run indicator and device-specific data. */
  | { readonly kind: 'report_server_id'; readonly byteCount: number; readonly data: Uint8Array }
  /** FC 20 request (§6.14). */
  | { readonly kind: 'read_file_record_request'; readonly byteCount: number; readonly refs: FileSubRequest[] }
  /** FC 20 response (§6.14). */
  | { readonly kind: 'read_file_record_response'; readonly byteCount: number; readonly records: FileSubResponse[] }
  /** FC 21 request and response (§6.15). */
  | { readonly kind: 'write_file_record'; readonly byteCount: number; readonly refs: FileWriteReference[] }
  /** FC 22 request and response (§6.16). */
  | { readonly kind: 'mask_write'; readonly address: number; readonly andMask: number; readonly orMask: number }
  /** FC 23 request (§6.17). */
  | {
      readonly kind: 'read_write_multiple_request';
      readonly readAddress: number;
      readonly readQuantity: number;
      readonly writeAddress: number;
      readonly writeQuantity: number;
      readonly byteCount: number;
      readonly registers: number[];
    }
  /** FC 24 request (§6.18). */
  | { readonly kind: 'fifo_request'; readonly address: number }
  /** FC 24 response (§6.18). */
  | { readonly kind: 'fifo_response'; readonly byteCount: number; readonly fifoCount: number; readonly registers: number[] }
  /** FC 43 / MEI 14 request (§6.21). */
  | { readonly kind: 'device_id_request'; readonly readDeviceIdCode: number; readonly objectId: number }
  /** FC 43 / MEI 14 response (§6.21). */
  | {
      readonly kind: 'device_id_response';
      readonly readDeviceIdCode: number;
      readonly conformityLevel: number;
      readonly moreFollows: number;
      readonly nextObjectId: number;
      readonly objects: DeviceObject[];
    }
  /** FC 43 with MEI 13 (CANopen General Reference, §6.20) or an undefined MEI type: the data after the MEI byte. */
  | { readonly kind: 'mei'; readonly meiType: number; readonly data: Uint8Array }
  /** Exception response, function code | 0x80 (§7). */
  | { readonly kind: 'exception'; readonly code: number }
  /** Function codes without a public layout (vendor, user defined, unassigned): the data after the code. */
  | { readonly kind: 'raw'; readonly data: Uint8Array };

/** Result of `parsePdu`. `weird`, when set, names an oddity of a PDU that still parsed. */
export type PduResult =
  | { readonly kind: 'ok'; readonly pdu: ModbusPdu; readonly weird: GrammarAnomaly | null; readonly weirdDetail: string }
  | { readonly kind: 'malformed'; readonly anomaly: GrammarAnomaly; readonly detail: string };

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/**
 * Parse the MBAP header and function code at `bytes[offset]` (V1.0b §3.1.3).
 * Checks protocol id = 0 and 2 ≤ length ≤ `maxLength` as soon as those bytes are present.
 * @param bytes input (a view; not kept)
 * @param offset where the header starts
 * @param end offset past the last usable byte
 * @param maxLength largest length field accepted: MAX_LENGTH (254, the specification's, the
 *   default) or up to OVERSIZED_LENGTH_CAP for a caller that tolerates oversized ADUs
 * @returns ok with the header and ADU length; incomplete with the bytes still missing for the
 *   8-byte header; malformed `modbus.invalid_protocol_id` / `modbus.invalid_length`
 */
export function parseHeader(bytes: Uint8Array, offset: number, end: number, maxLength: number = MAX_LENGTH): HeaderResult {
  const avail = end - offset;
  if (avail >= 4) {
    const pid = u16(bytes, offset + 2);
    if (pid !== 0) return { kind: 'malformed', anomaly: 'modbus.invalid_protocol_id', detail: `protocol id ${pid}` };
  }
  if (avail >= 6) {
    const len = u16(bytes, offset + 4);
    if (len < MIN_LENGTH || len > maxLength) {
      return { kind: 'malformed', anomaly: 'modbus.invalid_length', detail: `length ${len}` };
    }
  }
  if (avail < HEADER_BYTES) return { kind: 'incomplete', need: HEADER_BYTES - avail };
  const length = u16(bytes, offset + 4);
  return {
    kind: 'ok',
    header: { tid: u16(bytes, offset), pid: 0, length, unit: bytes[offset + 6], fc: bytes[offset + 7] },
    aduLength: 6 + length,
  };
}

function malformed(anomaly: GrammarAnomaly, detail: string): PduResult {
  return { kind: 'malformed', anomaly, detail };
}

function truncated(fc: number, need: number, have: number): PduResult {
  return malformed('modbus.truncated_pdu', `function ${fc} needs ${need} data bytes, has ${have}`);
}

/** Builds `ok` results, remembering the first weird seen while parsing. */
class Outcome {
  weird: GrammarAnomaly | null = null;
  weirdDetail = '';

  note(anomaly: GrammarAnomaly, detail: string): void {
    if (this.weird === null) {
      this.weird = anomaly;
      this.weirdDetail = detail;
    }
  }

  range(what: string, value: number, lo: number, hi: number): void {
    if (value < lo || value > hi) this.note('modbus.out_of_range', `${what} ${value} outside ${lo}..${hi}`);
  }

  /** Note bytes left after `used` of `have` data bytes. */
  rest(used: number, have: number): void {
    if (have > used) this.note('modbus.trailing_bytes', `${have - used} bytes after the last field`);
  }

  ok(pdu: ModbusPdu): PduResult {
    return { kind: 'ok', pdu, weird: this.weird, weirdDetail: this.weirdDetail };
  }
}

function readRegisters(b: Uint8Array, o: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = u16(b, o + 2 * i);
  return out;
}

function readBits(b: Uint8Array, o: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = (b[o + (i >> 3)] >> (i & 7)) & 1;
  return out;
}

/** FC 1–4 requests (§6.1–6.4): start address, quantity. */
function readRequest(fc: number, b: Uint8Array, s: number, have: number, max: number, o: Outcome): PduResult {
  if (have < 4) return truncated(fc, 4, have);
  const quantity = u16(b, s + 2);
  o.range('quantity', quantity, 1, max);
  o.rest(4, have);
  return o.ok({ kind: 'read_request', address: u16(b, s), quantity });
}

/** FC 1, 2 responses (§6.1, §6.2) and FC 3, 4, 23 responses (§6.3, §6.4, §6.17): byte count, then the data. */
function countedResponse(fc: number, b: Uint8Array, s: number, have: number, registers: boolean, o: Outcome): PduResult {
  if (have < 1) return truncated(fc, 1, have);
  const byteCount = b[s];
  if (have - 1 < byteCount) return truncated(fc, 1 + byteCount, have);
  o.rest(1 + byteCount, have);
  if (!registers) return o.ok({ kind: 'bits', byteCount, bits: readBits(b, s + 1, byteCount * 8) });
  if (byteCount % 2 !== 0) return malformed('modbus.invalid_byte_count', `register byte count ${byteCount} is odd`);
  return o.ok({ kind: 'registers', byteCount, registers: readRegisters(b, s + 1, byteCount >> 1) });
}

/** FC 5 / 6 request and response (§6.5, §6.6). */
function writeSingle(fc: number, b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 4) return truncated(fc, 4, have);
  const value = u16(b, s + 2);
  if (fc === 5 && value !== 0x0000 && value !== 0xff00) {
    return malformed('modbus.invalid_coil_value', `coil value 0x${value.toString(16).padStart(4, '0')}`);
  }
  o.rest(4, have);
  return o.ok({ kind: 'write_single', address: u16(b, s), value });
}

/** FC 8 (§6.8): sub-function and data; requests are checked as Zeek's analyzer checks them. */
function diagnostics(isRequest: boolean, b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 2) return truncated(8, 2, have);
  const subfunction = u16(b, s);
  const data = b.subarray(s + 2, s + have);
  if (isRequest) checkDiagnosticRequest(subfunction, data, o);
  return o.ok({ kind: 'diagnostics', subfunction, data });
}

/** Request data rules of V1.1b3 §6.8.1 (the checks Zeek's modbus-analyzer.pac applies). */
function checkDiagnosticRequest(sub: number, data: Uint8Array, o: Outcome): void {
  const n = data.length;
  if (n < 2 || n % 2 !== 0 || (sub !== 0x00 && n !== 2)) {
    o.note('modbus.diag_invalid_request_data', `sub-function ${sub} with ${n} data bytes`);
    return;
  }
  let ok: boolean;
  switch (sub) {
    case 0x00:
      ok = true;
      break;
    case 0x01:
      ok = (data[0] === 0x00 || data[0] === 0xff) && data[1] === 0x00;
      break;
    case 0x03:
      ok = data[0] <= 0x7f && data[1] === 0x00;
      break;
    case 0x02:
    case 0x04:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x0e:
    case 0x0f:
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x14:
      ok = data[0] === 0x00 && data[1] === 0x00;
      break;
    default:
      o.note('modbus.diag_unknown_subfunction', `sub-function ${sub}`);
      return;
  }
  if (!ok) o.note('modbus.diag_invalid_request_data', `sub-function ${sub} data ${data[0]},${data[1]}`);
}

/** FC 15 request (§6.11). */
function writeMultipleCoils(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 5) return truncated(15, 5, have);
  const quantity = u16(b, s + 2);
  const byteCount = b[s + 4];
  if (have - 5 < byteCount) return truncated(15, 5 + byteCount, have);
  o.range('quantity', quantity, 1, 0x7b0);
  if (byteCount !== (quantity + 7) >> 3) o.note('modbus.byte_count_mismatch', `byte count ${byteCount} for ${quantity} coils`);
  o.rest(5 + byteCount, have);
  const coils = readBits(b, s + 5, Math.min(quantity, byteCount * 8));
  return o.ok({ kind: 'write_multiple_coils', address: u16(b, s), quantity, byteCount, coils });
}

/** FC 16 request (§6.12); FC 23 request (§6.17) shares the register block rule. */
function registerBlock(fc: number, b: Uint8Array, at: number, have: number, quantity: number, o: Outcome): PduResult | null {
  const byteCount = b[at];
  if (byteCount % 2 !== 0) return malformed('modbus.invalid_byte_count', `register byte count ${byteCount} is odd`);
  if (byteCount < 2 * quantity) {
    return malformed('modbus.invalid_byte_count', `byte count ${byteCount} for ${quantity} registers`);
  }
  if (have < byteCount) return truncated(fc, byteCount, have);
  if (byteCount !== 2 * quantity) o.note('modbus.byte_count_mismatch', `byte count ${byteCount} for ${quantity} registers`);
  return null;
}

function writeMultipleRegisters(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 5) return truncated(16, 5, have);
  const quantity = u16(b, s + 2);
  o.range('quantity', quantity, 1, 0x7b);
  const bad = registerBlock(16, b, s + 4, have - 5, quantity, o);
  if (bad) return bad;
  const byteCount = b[s + 4];
  o.rest(5 + byteCount, have);
  const registers = readRegisters(b, s + 5, quantity);
  return o.ok({ kind: 'write_multiple_registers', address: u16(b, s), quantity, byteCount, registers });
}

function writeMultipleResponse(fc: number, b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 4) return truncated(fc, 4, have);
  o.rest(4, have);
  return o.ok({ kind: 'write_multiple_response', address: u16(b, s), quantity: u16(b, s + 2) });
}

/** FC 20 request (§6.14): byte count 0x07–0xF5, 7-byte sub-requests. */
function readFileRecordRequest(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 1) return truncated(20, 1, have);
  const byteCount = b[s];
  if (have - 1 < byteCount) return truncated(20, 1 + byteCount, have);
  if (byteCount % 7 !== 0) return malformed('modbus.invalid_byte_count', `byte count ${byteCount} is not a multiple of 7`);
  o.range('byte count', byteCount, 0x07, 0xf5);
  const refs: FileSubRequest[] = [];
  for (let p = s + 1; p < s + 1 + byteCount; p += 7) {
    const refType = b[p];
    if (refType !== 6) o.note('modbus.invalid_reference_type', `reference type ${refType}`);
    refs.push({ refType, fileNumber: u16(b, p + 1), recordNumber: u16(b, p + 3), recordLength: u16(b, p + 5) });
  }
  o.rest(1 + byteCount, have);
  return o.ok({ kind: 'read_file_record_request', byteCount, refs });
}

/** FC 20 response (§6.14): byte count, then (file response length, reference type, data) records. */
function readFileRecordResponse(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 1) return truncated(20, 1, have);
  const byteCount = b[s];
  if (have - 1 < byteCount) return truncated(20, 1 + byteCount, have);
  o.range('byte count', byteCount, 0x07, 0xf5);
  const records: FileSubResponse[] = [];
  const end = s + 1 + byteCount;
  for (let p = s + 1; p < end; ) {
    const fileRespLength = b[p];
    if (fileRespLength < 1 || p + 1 + fileRespLength > end) {
      return malformed('modbus.invalid_byte_count', `file response length ${fileRespLength} overruns byte count ${byteCount}`);
    }
    const refType = b[p + 1];
    if (refType !== 6) o.note('modbus.invalid_reference_type', `reference type ${refType}`);
    records.push({ fileRespLength, refType, data: b.subarray(p + 2, p + 1 + fileRespLength) });
    p += 1 + fileRespLength;
  }
  o.rest(1 + byteCount, have);
  return o.ok({ kind: 'read_file_record_response', byteCount, records });
}

/** FC 21 request and response (§6.15): byte count, then 7-byte reference headers each followed by 2N data bytes. */
function writeFileRecord(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 1) return truncated(21, 1, have);
  const byteCount = b[s];
  if (have - 1 < byteCount) return truncated(21, 1 + byteCount, have);
  o.range('byte count', byteCount, 0x09, 0xfb);
  const refs: FileWriteReference[] = [];
  const end = s + 1 + byteCount;
  for (let p = s + 1; p < end; ) {
    if (p + 7 > end) return malformed('modbus.invalid_byte_count', `byte count ${byteCount} cuts a reference header`);
    const refType = b[p];
    const recordLength = u16(b, p + 5);
    const dataEnd = p + 7 + 2 * recordLength;
    if (dataEnd > end) return malformed('modbus.invalid_byte_count', `record length ${recordLength} overruns byte count ${byteCount}`);
    if (refType !== 6) o.note('modbus.invalid_reference_type', `reference type ${refType}`);
    refs.push({
      refType,
      fileNumber: u16(b, p + 1),
      recordNumber: u16(b, p + 3),
      recordLength,
      data: b.subarray(p + 7, dataEnd),
    });
    p = dataEnd;
  }
  o.rest(1 + byteCount, have);
  return o.ok({ kind: 'write_file_record', byteCount, refs });
}

/** FC 22 request and response (§6.16). */
function maskWrite(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 6) return truncated(22, 6, have);
  o.rest(6, have);
  return o.ok({ kind: 'mask_write', address: u16(b, s), andMask: u16(b, s + 2), orMask: u16(b, s + 4) });
}

/** FC 23 request (§6.17). */
function readWriteMultipleRequest(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 9) return truncated(23, 9, have);
  const readQuantity = u16(b, s + 2);
  const writeQuantity = u16(b, s + 6);
  o.range('read quantity', readQuantity, 1, 0x7d);
  o.range('write quantity', writeQuantity, 1, 0x79);
  const bad = registerBlock(23, b, s + 8, have - 9, writeQuantity, o);
  if (bad) return bad;
  const byteCount = b[s + 8];
  o.rest(9 + byteCount, have);
  return o.ok({
    kind: 'read_write_multiple_request',
    readAddress: u16(b, s),
    readQuantity,
    writeAddress: u16(b, s + 4),
    writeQuantity,
    byteCount,
    registers: readRegisters(b, s + 9, writeQuantity),
  });
}

/** FC 24 response (§6.18): 2-byte byte count, 2-byte FIFO count (≤ 31), the registers. */
function fifoResponse(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 4) return truncated(24, 4, have);
  const byteCount = u16(b, s);
  const fifoCount = u16(b, s + 2);
  if (byteCount % 2 !== 0) return malformed('modbus.invalid_byte_count', `FIFO byte count ${byteCount} is odd`);
  if (have - 4 < 2 * fifoCount) return truncated(24, 4 + 2 * fifoCount, have);
  o.range('FIFO count', fifoCount, 0, 31);
  if (byteCount !== 2 + 2 * fifoCount) o.note('modbus.byte_count_mismatch', `byte count ${byteCount} for ${fifoCount} registers`);
  o.rest(4 + 2 * fifoCount, have);
  return o.ok({ kind: 'fifo_response', byteCount, fifoCount, registers: readRegisters(b, s + 4, fifoCount) });
}

/** FC 43 request (§6.19–6.21). */
function meiRequest(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 1) return truncated(43, 1, have);
  const meiType = b[s];
  if (meiType !== 0x0e) return o.ok({ kind: 'mei', meiType, data: b.subarray(s + 1, s + have) });
  if (have < 3) return truncated(43, 3, have);
  const readDeviceIdCode = b[s + 1];
  o.range('read device id code', readDeviceIdCode, 1, 4);
  o.rest(3, have);
  return o.ok({ kind: 'device_id_request', readDeviceIdCode, objectId: b[s + 2] });
}

/** FC 43 response (§6.21 for MEI 14: code, conformity, more follows, next object, count, objects). */
function meiResponse(b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (have < 1) return truncated(43, 1, have);
  const meiType = b[s];
  if (meiType !== 0x0e) return o.ok({ kind: 'mei', meiType, data: b.subarray(s + 1, s + have) });
  if (have < 6) return truncated(43, 6, have);
  const moreFollows = b[s + 3];
  if (moreFollows !== 0x00 && moreFollows !== 0xff) o.note('modbus.invalid_more_follows', `more follows ${moreFollows}`);
  const count = b[s + 5];
  const end = s + have;
  const objects: DeviceObject[] = [];
  let p = s + 6;
  for (let i = 0; i < count; i++) {
    if (p + 2 > end) return malformed('modbus.truncated_pdu', `object ${i + 1} of ${count} missing`);
    const len = b[p + 1];
    if (p + 2 + len > end) return malformed('modbus.truncated_pdu', `object 0x${b[p].toString(16)} value overruns the PDU`);
    objects.push({ id: b[p], value: b.subarray(p + 2, p + 2 + len) });
    p += 2 + len;
  }
  o.rest(p - s, have);
  return o.ok({
    kind: 'device_id_response',
    readDeviceIdCode: b[s + 1],
    conformityLevel: b[s + 2],
    moreFollows,
    nextObjectId: b[s + 4],
    objects,
  });
}

/** Requests of FC 7, 11, 12, 17: no data field (§6.7, §6.9, §6.10, §6.13). */
function emptyRequest(have: number, o: Outcome): PduResult {
  o.rest(0, have);
  return o.ok({ kind: 'empty' });
}

function parseRequest(fc: number, b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  switch (fc) {
    case 1:
    case 2:
      return readRequest(fc, b, s, have, 2000, o);
    case 3:
    case 4:
      return readRequest(fc, b, s, have, 125, o);
    case 5:
    case 6:
      return writeSingle(fc, b, s, have, o);
    case 7:
    case 11:
    case 12:
    case 17:
      return emptyRequest(have, o);
    case 8:
      return diagnostics(true, b, s, have, o);
    case 15:
      return writeMultipleCoils(b, s, have, o);
    case 16:
      return writeMultipleRegisters(b, s, have, o);
    case 20:
      return readFileRecordRequest(b, s, have, o);
    case 21:
      return writeFileRecord(b, s, have, o);
    case 22:
      return maskWrite(b, s, have, o);
    case 23:
      return readWriteMultipleRequest(b, s, have, o);
    case 24:
      if (have < 2) return truncated(24, 2, have);
      o.rest(2, have);
      return o.ok({ kind: 'fifo_request', address: u16(b, s) });
    case 43:
      return meiRequest(b, s, have, o);
    default:
      return o.ok({ kind: 'raw', data: b.subarray(s, s + have) });
  }
}

function parseResponse(fc: number, b: Uint8Array, s: number, have: number, o: Outcome): PduResult {
  if (fc >= 0x80) {
    if (have < 1) return truncated(fc, 1, have);
    o.rest(1, have);
    return o.ok({ kind: 'exception', code: b[s] });
  }
  switch (fc) {
    case 1:
    case 2:
      return countedResponse(fc, b, s, have, false, o);
    case 3:
    case 4:
    case 23:
      return countedResponse(fc, b, s, have, true, o);
    case 5:
    case 6:
      return writeSingle(fc, b, s, have, o);
    case 7:
      if (have < 1) return truncated(7, 1, have);
      o.rest(1, have);
      return o.ok({ kind: 'exception_status', status: b[s] });
    case 8:
      return diagnostics(false, b, s, have, o);
    case 11:
      if (have < 4) return truncated(11, 4, have);
      o.rest(4, have);
      return o.ok({ kind: 'comm_event_counter', status: u16(b, s), eventCount: u16(b, s + 2) });
    case 12: {
      if (have < 7) return truncated(12, 7, have);
      const byteCount = b[s];
      if (byteCount < 6) return malformed('modbus.invalid_byte_count', `event log byte count ${byteCount} < 6`);
      if (have - 1 < byteCount) return truncated(12, 1 + byteCount, have);
      o.rest(1 + byteCount, have);
      return o.ok({
        kind: 'comm_event_log',
        byteCount,
        status: u16(b, s + 1),
        eventCount: u16(b, s + 3),
        messageCount: u16(b, s + 5),
        events: b.subarray(s + 7, s + 1 + byteCount),
      });
    }
    case 15:
    case 16:
      return writeMultipleResponse(fc, b, s, have, o);
    case 17: {
      if (have < 1) return truncated(17, 1, have);
      const byteCount = b[s];
      if (have - 1 < byteCount) return truncated(17, 1 + byteCount, have);
      o.rest(1 + byteCount, have);
      return o.ok({ kind: 'report_server_id', byteCount, data: b.subarray(s + 1, s + 1 + byteCount) });
    }
    case 20:
      return readFileRecordResponse(b, s, have, o);
    case 21:
      return writeFileRecord(b, s, have, o);
    case 22:
      return maskWrite(b, s, have, o);
    case 24:
      return fifoResponse(b, s, have, o);
    case 43:
      return meiResponse(b, s, have, o);
    default:
      return o.ok({ kind: 'raw', data: b.subarray(s, s + have) });
  }
}

/**
 * Parse the PDU data that follows the function code (V1.1b3 §6, §7).
 * Requests are what the TCP originator sends, responses what the responder sends (Zeek's rule);
 * a response function code ≥ 0x80 is an exception response whatever its low 7 bits.
 * @param isRequest true for the originator's direction
 * @param fc function code byte (from the header)
 * @param bytes input (a view; not kept, but views into it appear in the result)
 * @param start offset of the first byte after the function code
 * @param end offset past the ADU's last byte (6 + MBAP length from the ADU start)
 * @returns ok (with at most one weird noted) or malformed with the anomaly name
 */
export function parsePdu(isRequest: boolean, fc: number, bytes: Uint8Array, start: number, end: number): PduResult {
  const o = new Outcome();
  return isRequest ? parseRequest(fc, bytes, start, end - start, o) : parseResponse(fc, bytes, start, end - start, o);
}

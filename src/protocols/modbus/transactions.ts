import type { Limits } from '../../config/limits.js';
import type { LogRecord, StreamName } from '../../events/record.js';
import { zeekEscape } from './escape.js';
import type { AduHeader, ModbusPdu } from './grammar.js';
import {
  DEVICE_ID_STREAM,
  MASK_WRITE_STREAM,
  MODBUS_DETAILED_STREAM,
  READ_WRITE_MULTIPLE_STREAM,
  detailedRecord,
  deviceIdRecord,
  maskWriteRecord,
  newDetailedRow,
  readWriteRecord,
  type DetailedRow,
  type FlowIds,
  type SideHeader,
} from './log.js';
import {
  MEI_CANOPEN,
  MEI_READ_DEVICE_ID,
  conformityName,
  diagnosticName,
  exceptionName,
  hexByte,
  loggedFunctionName,
  objectName,
  plainFunctionName,
} from './names.js';

/** Anomaly names of request/response pairing (all graded `weird`). */
export type PairingAnomaly =
  /** A request reuses the transaction id of an unanswered request (the older one is logged unmatched). */
  | 'modbus.duplicate_tid'
  /** A response's function code differs from the pending request with its transaction id. */
  | 'modbus.function_mismatch'
  /** The pending map reached limits.maxPendingRequests; the oldest entry is logged unmatched. */
  | 'modbus.pending_overflow'
  /** A vector was cut at limits.maxVectorLength values. */
  | 'modbus.vector_truncated'
  /** A string was cut at limits.maxStringLength characters. */
  | 'modbus.string_truncated';

/** Where pairing writes: log records and weird anomalies of the flow. */
export interface PairingOutput {
  emit(stream: StreamName, record: LogRecord): void;
  weird(name: PairingAnomaly, ts: number, detail: string): void;
}

/** Function codes ICSNPP pairs and details (its `handled_modbus_funct_list`, Zeek ≥ 6.1). */
const PAIRED = new Set([1, 2, 3, 4, 5, 6, 8, 15, 16, 20, 21, 22, 23, 24, 43]);

const FC_MASK_WRITE = 22;
const FC_READ_WRITE = 23;
const FC_MEI = 43;

function meiName(meiType: number, isRequest: boolean): string {
  if (meiType === MEI_CANOPEN) return 'CANopen';
  if (meiType === MEI_READ_DEVICE_ID) return 'Read Device Identification';
  // ICSNPP's wording, including its `ox` in the response form.
  return isRequest
    ? `invalid encapsulated interface transport mei-(${hexByte(meiType)})`
    : `unknown encapsulated interface transport mei-(ox${hexByte(meiType).slice(2)})`;
}

function meiTypeOf(pdu: ModbusPdu): number {
  if (pdu.kind === 'mei') return pdu.meiType;
  return MEI_READ_DEVICE_ID;
}

/**
 * Request/response pairing of one Modbus flow with ICSNPP-Modbus's semantics (scripts/main.zeek):
 * - functions 1–6, 8, 15, 16, 20–24, 43 are paired by transaction id: a request waits for its
 *   response (or a response seen first waits for its request); the pair becomes one
 *   `modbus_detailed` row with `matched` T when the second message arrives;
 * - every other function (7, 11, 12, 17, vendor and unknown codes) gets one bare row per message,
 *   `matched` unset;
 * - an exception response closes its pending request (`exception_code` set) or, unpaired, is logged
 *   alone with `func` = NAME_EXCEPTION;
 * - functions 22, 23 and 43/14 also write their own logs, joined by `modbus_detailed_link_id`;
 * - rows still waiting when the flow ends are logged with `matched` F (requests first, then
 *   responses, each in arrival order).
 * Differences from ICSNPP, on purpose: pairing also requires equal function codes; a duplicate
 * transaction id or a full pending map logs the displaced row unmatched instead of dropping it; a
 * request that completes a response seen first still writes its mask-write / read-write row; link
 * ids are deterministic (`uid:tid:n`).
 * Memory: each of the two pending maps holds at most limits.maxPendingRequests rows.
 */
export class Transactions {
  private readonly requests = new Map<number, DetailedRow>();
  private readonly responses = new Map<number, DetailedRow>();
  private links = 0;

  constructor(
    private readonly flow: FlowIds,
    private readonly limits: Readonly<Limits>,
    private readonly out: PairingOutput,
  ) {}

  /** Number of rows waiting for their partner (both directions). */
  get pending(): number {
    return this.requests.size + this.responses.size;
  }

  /** A request (originator → responder) whose PDU parsed. @param ts seconds */
  request(ts: number, h: AduHeader, pdu: ModbusPdu): void {
    const fc = h.fc;
    if (!PAIRED.has(fc)) {
      this.emitRow(newDetailedRow(ts, true, h.tid, h.unit, plainFunctionName(fc), fc));
      return;
    }
    const early = this.responses.get(h.tid);
    if (early !== undefined && early.functionCode === fc) {
      this.responses.delete(h.tid);
      this.applyRequest(early, pdu, true, ts);
      early.unit = h.unit;
      early.matched = true;
      this.emitRow(early);
      this.sideRequest(ts, h, pdu, early.linkId ?? this.newLink(h.tid));
      return;
    }
    if (early !== undefined) this.out.weird('modbus.function_mismatch', ts, `tid ${h.tid}: response ${early.functionCode}, request ${fc}`);
    const row = newDetailedRow(ts, true, h.tid, h.unit, plainFunctionName(fc), fc);
    this.applyRequest(row, pdu, false, ts);
    if (fc === FC_MASK_WRITE || fc === FC_READ_WRITE || fc === FC_MEI) row.linkId = this.newLink(h.tid);
    this.store(this.requests, row, ts);
    if (row.linkId !== null) this.sideRequest(ts, h, pdu, row.linkId);
  }

  /** A response (responder → originator) whose PDU parsed, exception responses included. @param ts seconds */
  response(ts: number, h: AduHeader, pdu: ModbusPdu): void {
    const fc = h.fc;
    if (pdu.kind === 'exception') {
      this.exception(ts, h, pdu.code);
      return;
    }
    if (!PAIRED.has(fc)) {
      this.emitRow(newDetailedRow(ts, false, h.tid, h.unit, plainFunctionName(fc), fc));
      return;
    }
    const req = this.requests.get(h.tid);
    if (req !== undefined && req.functionCode === fc) {
      this.requests.delete(h.tid);
      this.applyResponse(req, pdu, true, ts);
      req.matched = true;
      this.emitRow(req);
      if (req.linkId !== null) this.sideResponse(ts, h, pdu, req.linkId);
      return;
    }
    if (req !== undefined) this.out.weird('modbus.function_mismatch', ts, `tid ${h.tid}: request ${req.functionCode}, response ${fc}`);
    const row = newDetailedRow(ts, false, h.tid, h.unit, plainFunctionName(fc), fc);
    this.applyResponse(row, pdu, false, ts);
    if (fc === FC_MASK_WRITE || fc === FC_READ_WRITE || fc === FC_MEI) row.linkId = this.newLink(h.tid);
    this.store(this.responses, row, ts);
    if (row.linkId !== null) this.sideResponse(ts, h, pdu, row.linkId);
  }

  /** The flow ended: every row still waiting is logged with `matched` F (requests, then responses). */
  finish(): void {
    for (const row of this.requests.values()) this.emitUnmatched(row);
    for (const row of this.responses.values()) this.emitUnmatched(row);
    this.requests.clear();
    this.responses.clear();
  }

  private exception(ts: number, h: AduHeader, code: number): void {
    const req = this.requests.get(h.tid);
    if (req !== undefined && req.functionCode === (h.fc & 0x7f)) {
      this.requests.delete(h.tid);
      req.matched = true;
      req.exceptionCode = exceptionName(code);
      this.emitRow(req);
      return;
    }
    if (req !== undefined) this.out.weird('modbus.function_mismatch', ts, `tid ${h.tid}: request ${req.functionCode}, exception ${h.fc}`);
    const row = newDetailedRow(ts, false, h.tid, h.unit, loggedFunctionName(h.fc), h.fc);
    row.exceptionCode = exceptionName(code);
    this.emitRow(row);
  }

  private newLink(tid: number): string {
    this.links++;
    return `${this.flow.uid}:${tid}:${this.links}`;
  }

  private store(map: Map<number, DetailedRow>, row: DetailedRow, ts: number): void {
    const dup = map.get(row.tid);
    if (dup !== undefined) {
      map.delete(row.tid);
      this.out.weird('modbus.duplicate_tid', ts, `tid ${row.tid} reused before its answer`);
      this.emitUnmatched(dup);
    } else if (map.size >= this.limits.maxPendingRequests) {
      const oldest = map.keys().next().value as number;
      const evicted = map.get(oldest) as DetailedRow;
      map.delete(oldest);
      this.out.weird('modbus.pending_overflow', ts, `${map.size + 1} rows pending; tid ${oldest} logged unmatched`);
      this.emitUnmatched(evicted);
    }
    map.set(row.tid, row);
  }

  private emitUnmatched(row: DetailedRow): void {
    row.matched = false;
    this.emitRow(row);
  }

  private emitRow(row: DetailedRow): void {
    this.out.emit(MODBUS_DETAILED_STREAM.name, detailedRecord(this.flow, row));
  }

  /** Values bounded by limits.maxVectorLength (a weird when cut). */
  private vector(values: number[], ts: number): number[] {
    const max = this.limits.maxVectorLength;
    if (values.length <= max) return values;
    this.out.weird('modbus.vector_truncated', ts, `${values.length} values, ${max} kept`);
    return values.slice(0, max);
  }

  /** Escaped text of wire bytes bounded by limits.maxStringLength (a weird when cut). */
  private text(bytes: Uint8Array, ts: number): string {
    const r = zeekEscape(bytes, 0, bytes.length, this.limits.maxStringLength);
    if (r.truncated) this.out.weird('modbus.string_truncated', ts, `${bytes.length} bytes`);
    return r.text;
  }

  /** A built string bounded by limits.maxStringLength (a weird when cut). */
  private bounded(s: string, ts: number): string {
    const max = this.limits.maxStringLength;
    if (s.length <= max) return s;
    this.out.weird('modbus.string_truncated', ts, `${s.length} characters`);
    return s.slice(0, max);
  }

  /** Request fields (ICSNPP request handlers); `merging` when the row was made by an earlier response. */
  private applyRequest(row: DetailedRow, pdu: ModbusPdu, merging: boolean, ts: number): void {
    switch (pdu.kind) {
      case 'read_request':
        row.address = pdu.address;
        row.quantity = pdu.quantity;
        return;
      case 'write_single':
        row.address = pdu.address;
        row.quantity = 1;
        row.requestValues = [row.functionCode === 5 ? (pdu.value === 0xff00 ? 1 : 0) : pdu.value];
        return;
      case 'diagnostics':
        row.requestSubfunction = diagnosticName(pdu.subfunction);
        row.requestData = this.text(pdu.data, ts);
        return;
      case 'write_multiple_coils':
      case 'write_multiple_registers': {
        const values = pdu.kind === 'write_multiple_coils' ? pdu.coils : pdu.registers;
        row.address = pdu.address;
        row.quantity = values.length;
        row.requestValues = this.vector(values, ts);
        return;
      }
      case 'read_file_record_request':
      case 'write_file_record':
        row.quantity = pdu.refs.length;
        return;
      case 'mask_write':
      case 'fifo_request':
        row.address = pdu.address;
        return;
      case 'mei':
      case 'device_id_request': {
        const name = meiName(meiTypeOf(pdu), true);
        row.meiType = merging && row.meiType !== null && row.meiType !== name ? `${row.meiType} and ${name}` : name;
        return;
      }
      default:
        return;
    }
  }

  /** Response fields (ICSNPP response handlers); `matched` when the row is the pending request's. */
  private applyResponse(row: DetailedRow, pdu: ModbusPdu, matched: boolean, ts: number): void {
    switch (pdu.kind) {
      case 'bits':
        this.applyBits(row, pdu.bits, matched, ts);
        return;
      case 'registers':
        if (row.functionCode === FC_READ_WRITE) return;
        if (!matched) row.quantity = pdu.registers.length;
        row.responseValues = this.vector(pdu.registers, ts);
        return;
      case 'write_single':
        row.address = pdu.address;
        row.quantity = 1;
        row.responseValues = [row.functionCode === 5 ? (pdu.value === 0xff00 ? 1 : 0) : pdu.value];
        return;
      case 'diagnostics':
        row.responseSubfunction = diagnosticName(pdu.subfunction);
        row.responseData = this.text(pdu.data, ts);
        return;
      case 'write_multiple_response':
        if (matched && row.functionCode === 15) return;
        row.address = pdu.address;
        row.quantity = pdu.quantity;
        return;
      case 'read_file_record_response':
      case 'write_file_record': {
        const data = this.fileRecords(pdu, ts);
        if (data !== '') row.responseData = data;
        return;
      }
      case 'mask_write':
        if (!matched) row.address = pdu.address;
        return;
      case 'fifo_response':
        row.quantity = pdu.registers.length;
        if (pdu.registers.length > 0) row.responseValues = this.vector(pdu.registers, ts);
        return;
      case 'mei':
      case 'device_id_response': {
        const name = meiName(meiTypeOf(pdu), false);
        row.meiType = matched && row.meiType !== null && row.meiType !== name ? `${row.meiType} and ${name}` : name;
        return;
      }
      default:
        return;
    }
  }

  /**
   * Coils of a function 1/2 response: paired, the first `quantity` bits are the values and the rest
   * (padding of the last byte) goes to response_data as `0,1,…`; unpaired, every bit is a value.
   */
  private applyBits(row: DetailedRow, bits: number[], matched: boolean, ts: number): void {
    if (!matched || row.quantity === null) {
      row.quantity = bits.length;
      row.responseValues = this.vector(bits, ts);
      return;
    }
    const n = Math.min(row.quantity, bits.length);
    row.responseValues = this.vector(n === bits.length ? bits : bits.slice(0, n), ts);
    if (bits.length > n) row.responseData = this.bounded(bits.slice(n).join(','), ts);
  }

  /** Function 20/21 references as ICSNPP writes them: Zeek records `[field=value, …]` joined by ` | `. */
  private fileRecords(pdu: ModbusPdu, ts: number): string {
    const parts: string[] = [];
    if (pdu.kind === 'read_file_record_response') {
      for (const r of pdu.records) {
        parts.push(`[file_len=${r.fileRespLength}, ref_type=${r.refType}, record_data=${this.text(r.data, ts)}]`);
      }
    } else if (pdu.kind === 'write_file_record') {
      for (const r of pdu.refs) {
        parts.push(
          `[ref_type=${r.refType}, file_num=${r.fileNumber}, record_num=${r.recordNumber}, ` +
            `record_len=${r.recordLength}, record_data=${this.text(r.data, ts)}]`,
        );
      }
    }
    return this.bounded(parts.join(' | '), ts);
  }

  private sideHeader(ts: number, isOrig: boolean, h: AduHeader, linkId: string): SideHeader {
    return { ts, isOrig, linkId, tid: h.tid, unit: h.unit, func: plainFunctionName(h.fc) };
  }

  /** The mask-write / read-write / device-id row of a request. */
  private sideRequest(ts: number, h: AduHeader, pdu: ModbusPdu, linkId: string): void {
    const sh = this.sideHeader(ts, true, h, linkId);
    if (pdu.kind === 'mask_write') {
      this.out.emit(MASK_WRITE_STREAM.name, maskWriteRecord(this.flow, sh, pdu.address, pdu.andMask, pdu.orMask));
    } else if (pdu.kind === 'read_write_multiple_request') {
      this.out.emit(
        READ_WRITE_MULTIPLE_STREAM.name,
        readWriteRecord(this.flow, sh, {
          writeStartAddress: pdu.writeAddress,
          writeRegisters: this.vector(pdu.registers, ts),
          readStartAddress: pdu.readAddress,
          readQuantity: pdu.readQuantity,
          readRegisters: null,
        }),
      );
    } else if (pdu.kind === 'device_id_request') {
      this.out.emit(
        DEVICE_ID_STREAM.name,
        deviceIdRecord(this.flow, sh, {
          conformityLevelCode: null,
          conformityLevel: null,
          deviceIdCode: pdu.readDeviceIdCode,
          objectIdCode: hexByte(pdu.objectId),
          objectId: objectName(pdu.objectId),
          objectValue: null,
          moreFollows: null,
          nextObjectIdCode: null,
        }),
      );
    }
  }

  /** The mask-write / read-write row of a response, or one device-id row per returned object. */
  private sideResponse(ts: number, h: AduHeader, pdu: ModbusPdu, linkId: string): void {
    const sh = this.sideHeader(ts, false, h, linkId);
    if (pdu.kind === 'mask_write') {
      this.out.emit(MASK_WRITE_STREAM.name, maskWriteRecord(this.flow, sh, pdu.address, pdu.andMask, pdu.orMask));
    } else if (pdu.kind === 'registers') {
      this.out.emit(
        READ_WRITE_MULTIPLE_STREAM.name,
        readWriteRecord(this.flow, sh, {
          writeStartAddress: null,
          writeRegisters: null,
          readStartAddress: null,
          readQuantity: null,
          readRegisters: this.vector(pdu.registers, ts),
        }),
      );
    } else if (pdu.kind === 'device_id_response') {
      const common = {
        conformityLevelCode: hexByte(pdu.conformityLevel),
        conformityLevel: conformityName(pdu.conformityLevel),
        deviceIdCode: pdu.readDeviceIdCode,
        moreFollows: pdu.moreFollows === 0xff,
        nextObjectIdCode: hexByte(pdu.nextObjectId),
      };
      if (pdu.objects.length === 0) {
        this.out.emit(DEVICE_ID_STREAM.name, deviceIdRecord(this.flow, sh, { ...common, objectIdCode: null, objectId: null, objectValue: null }));
        return;
      }
      for (const obj of pdu.objects) {
        this.out.emit(
          DEVICE_ID_STREAM.name,
          deviceIdRecord(this.flow, sh, {
            ...common,
            objectIdCode: hexByte(obj.id),
            objectId: objectName(obj.id),
            objectValue: this.text(obj.value, ts),
          }),
        );
      }
    }
  }
}

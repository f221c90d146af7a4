import type { Limits } from '../../config/limits.js';
import type { LogRecord, StreamName } from '../../events/record.js';
import { PENDING_ROW_UNITS, PendingBudget } from './budget.js';
import { zeekEscape } from '../zeek-escape.js';
import { TidMap } from './tid-map.js';
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
  /** A request reuses the transaction id of an unanswered request (it queues behind it, MAX_QUEUED_PER_TID at most). */
  | 'modbus.duplicate_tid'
  /** A response's function code differs from the pending request with its transaction id. */
  | 'modbus.function_mismatch'
  /** limits.maxPendingRequests rows (or MAX_QUEUED_PER_TID requests of one id) wait; the oldest is logged unmatched. */
  | 'modbus.pending_overflow'
  /**
   * The run-wide budget (limits.maxPendingModbusValues, shared by all flows) is spent: this flow's
   * oldest waiting rows, or the new row itself, are logged unmatched. Reported once per flow.
   */
  | 'modbus.pending_budget_exhausted'
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

/** Requests one transaction id may have in flight at once (a client reusing an id while pipelining). */
export const MAX_QUEUED_PER_TID = 8;

/**
 * Seconds of capture time a response seen before its request waits for it. Such a response comes
 * from capture-side reordering (two taps, a SPAN port merging directions), which is a matter of
 * milliseconds; a request sent later than this is a new transaction, not this response's request.
 */
export const RESPONSE_FIRST_SKEW_SEC = 2;

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
 *   responses, each in time order).
 * Differences from ICSNPP, on purpose:
 * - requests that reuse a transaction id while earlier ones are unanswered queue behind them (at most
 *   MAX_QUEUED_PER_TID per id, weird `modbus.duplicate_tid`) and responses take them first in, first
 *   out, since a server answers a connection's requests in order (the id is chosen by the client
 *   and only copied by the server, Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3);
 *   ICSNPP keeps only the latest;
 * - pairing also requires equal function codes (a response takes the oldest queued request of its
 *   transaction id and function);
 * - a response seen first waits at most RESPONSE_FIRST_SKEW_SEC of capture time and only until the
 *   next message of its transaction id: a request arriving later, or any other message of that id,
 *   logs it unmatched instead of pairing it;
 * - a displaced row (full queue, full pending map) is logged unmatched instead of dropped;
 * - a request that completes a response seen first still writes its mask-write / read-write row;
 * - link ids are deterministic (`uid:tid:n`).
 * Memory: at most max(1, limits.maxPendingRequests) queued requests and as many early responses
 * (one per transaction id) per flow, and across all flows sharing `budget` at most
 * limits.maxPendingModbusValues units of waiting rows (budget.ts: PENDING_ROW_UNITS per row plus
 * its values). A row that would pass the budget first displaces this flow's oldest waiting rows;
 * when the flow has none left the row is logged unmatched at once (weird
 * `modbus.pending_budget_exhausted`, once per flow).
 */
export class Transactions {
  /** Oldest unanswered request per transaction id; later ones hang off `next` in arrival order. */
  private readonly requests = new TidMap<DetailedRow>();
  /** A response seen before its request, per transaction id. */
  private readonly responses = new TidMap<DetailedRow>();
  private queued = 0;
  private links = 0;
  private budgetReported = false;

  /**
   * @param flow the flow's ids, copied into every row
   * @param limits bounds (maxPendingRequests, maxPendingModbusValues, maxVectorLength, maxStringLength)
   * @param out where rows and weirds go
   * @param budget run-wide account of waiting rows, shared by the flows of a run (a private one by default)
   */
  constructor(
    private readonly flow: FlowIds,
    private readonly limits: Readonly<Limits>,
    private readonly out: PairingOutput,
    private readonly budget: PendingBudget = new PendingBudget(),
  ) {}

  /** Number of rows waiting for their partner (both directions). */
  get pending(): number {
    return this.queued + this.responses.size;
  }

  /** A request (client → server) whose PDU parsed. @param ts seconds */
  request(ts: number, h: AduHeader, pdu: ModbusPdu): void {
    const fc = h.fc;
    if (!PAIRED.has(fc)) {
      this.emitRow(newDetailedRow(ts, true, h.tid, h.unit, plainFunctionName(fc), fc));
      return;
    }
    const early = this.responses.get(h.tid);
    if (early !== undefined) {
      this.responses.delete(h.tid);
      this.release(early);
      if (early.functionCode === fc && ts - early.ts <= RESPONSE_FIRST_SKEW_SEC) {
        this.applyRequest(early, pdu, true, ts);
        early.unit = h.unit;
        early.matched = true;
        this.emitRow(early);
        this.sideRequest(ts, h, pdu, early.linkId ?? this.newLink(h.tid));
        return;
      }
      if (early.functionCode !== fc) this.out.weird('modbus.function_mismatch', ts, `tid ${h.tid}: response ${early.functionCode}, request ${fc}`);
      this.emitUnmatched(early);
    }
    const row = newDetailedRow(ts, true, h.tid, h.unit, plainFunctionName(fc), fc);
    this.applyRequest(row, pdu, false, ts);
    if (fc === FC_MASK_WRITE || fc === FC_READ_WRITE || fc === FC_MEI) row.linkId = this.newLink(h.tid);
    this.enqueue(row, ts);
    if (row.linkId !== null) this.sideRequest(ts, h, pdu, row.linkId);
  }

  /** A response (server → client) whose PDU parsed, exception responses included. @param ts seconds */
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
    this.expireEarly(h.tid);
    const req = this.take(h.tid, fc);
    if (req !== null) {
      this.applyResponse(req, pdu, true, ts);
      req.matched = true;
      this.emitRow(req);
      if (req.linkId !== null) this.sideResponse(ts, h, pdu, req.linkId);
      return;
    }
    const other = this.requests.get(h.tid);
    if (other !== undefined) this.out.weird('modbus.function_mismatch', ts, `tid ${h.tid}: request ${other.functionCode}, response ${fc}`);
    const row = newDetailedRow(ts, false, h.tid, h.unit, plainFunctionName(fc), fc);
    this.applyResponse(row, pdu, false, ts);
    if (fc === FC_MASK_WRITE || fc === FC_READ_WRITE || fc === FC_MEI) row.linkId = this.newLink(h.tid);
    if (this.responses.size > 0 && this.responses.size >= this.limits.maxPendingRequests) {
      const oldest = this.responses.firstKey();
      const evicted = this.responses.get(oldest) as DetailedRow;
      this.responses.delete(oldest);
      this.release(evicted);
      this.out.weird('modbus.pending_overflow', ts, `${this.responses.size + 1} responses wait for their requests; tid ${oldest} logged unmatched`);
      this.emitUnmatched(evicted);
    }
    if (this.admit(row, ts)) this.responses.set(h.tid, row);
    else this.emitUnmatched(row);
    if (row.linkId !== null) this.sideResponse(ts, h, pdu, row.linkId);
  }

  /** The flow ended: every row still waiting is logged with `matched` F (requests, then responses, each by time). */
  finish(): void {
    const rows: DetailedRow[] = [];
    for (const head of this.requests.values()) {
      for (let r: DetailedRow | null = head; r !== null; r = r.next) rows.push(r);
    }
    rows.sort((a, b) => a.ts - b.ts);
    const early = this.responses.values().sort((a, b) => a.ts - b.ts);
    this.requests.clear();
    this.responses.clear();
    this.queued = 0;
    for (const r of rows) this.release(r);
    for (const r of early) this.release(r);
    for (const r of rows) this.emitUnmatched(r);
    for (const r of early) this.emitUnmatched(r);
  }

  private exception(ts: number, h: AduHeader, code: number): void {
    this.expireEarly(h.tid);
    const req = this.take(h.tid, h.fc & 0x7f);
    if (req !== null) {
      req.matched = true;
      req.exceptionCode = exceptionName(code);
      this.emitRow(req);
      return;
    }
    const other = this.requests.get(h.tid);
    if (other !== undefined) this.out.weird('modbus.function_mismatch', ts, `tid ${h.tid}: request ${other.functionCode}, exception ${h.fc}`);
    const row = newDetailedRow(ts, false, h.tid, h.unit, loggedFunctionName(h.fc), h.fc);
    row.exceptionCode = exceptionName(code);
    this.emitRow(row);
  }

  private newLink(tid: number): string {
    this.links++;
    return `${this.flow.uid}:${tid}:${this.links}`;
  }

  /** A response seen first is outdated once another message of its transaction id passes: log it unmatched. */
  private expireEarly(tid: number): void {
    const early = this.responses.get(tid);
    if (early === undefined) return;
    this.responses.delete(tid);
    this.release(early);
    this.emitUnmatched(early);
  }

  /** Queue a request behind the unanswered ones of its transaction id, within both bounds. */
  private enqueue(row: DetailedRow, ts: number): void {
    const tid = row.tid;
    const first = this.requests.get(tid);
    if (first !== undefined) {
      this.out.weird('modbus.duplicate_tid', ts, `tid ${tid} reused before its answer`);
      let n = 1;
      for (let r = first.next; r !== null; r = r.next) n++;
      if (n >= MAX_QUEUED_PER_TID) {
        this.out.weird('modbus.pending_overflow', ts, `${n} requests with tid ${tid} in flight; the oldest logged unmatched`);
        this.dropHead(tid, first);
      }
    }
    if (this.queued > 0 && this.queued >= this.limits.maxPendingRequests) this.evictOldest(ts);
    if (!this.admit(row, ts)) {
      this.emitUnmatched(row);
      return;
    }
    const head = this.requests.get(tid);
    if (head === undefined) this.requests.set(tid, row);
    else {
      let tail = head;
      while (tail.next !== null) tail = tail.next;
      tail.next = row;
    }
    this.queued++;
  }

  /** The pending map is full: the head of the transaction id waiting longest is logged unmatched. */
  private evictOldest(ts: number): void {
    const tid = this.requests.firstKey();
    this.out.weird('modbus.pending_overflow', ts, `${this.queued} requests pending; tid ${tid} logged unmatched`);
    this.dropHead(tid, this.requests.get(tid) as DetailedRow);
  }

  private dropHead(tid: number, head: DetailedRow): void {
    if (head.next === null) this.requests.delete(tid);
    else this.requests.set(tid, head.next);
    head.next = null;
    this.queued--;
    this.release(head);
    this.emitUnmatched(head);
  }

  /** Budget units of a waiting row: PENDING_ROW_UNITS plus its values (budget.ts). */
  private cost(row: DetailedRow): number {
    return PENDING_ROW_UNITS + (row.requestValues?.length ?? 0) + (row.responseValues?.length ?? 0);
  }

  /** A row stops waiting: give its units back (before its vectors change). */
  private release(row: DetailedRow): void {
    this.budget.held -= this.cost(row);
  }

  /**
   * Take the budget units for a row about to wait, displacing this flow's oldest waiting rows
   * (logged unmatched) while the run-wide budget is short. False when the flow has no row left to
   * give and the row still does not fit: the caller logs it unmatched instead of keeping it.
   */
  private admit(row: DetailedRow, ts: number): boolean {
    const need = this.cost(row);
    const max = this.limits.maxPendingModbusValues;
    if (this.budget.held + need <= max) {
      this.budget.held += need;
      return true;
    }
    if (!this.budgetReported) {
      this.budgetReported = true;
      this.out.weird('modbus.pending_budget_exhausted', ts, `${this.budget.held} of ${max} units held by waiting rows of all flows; oldest rows logged unmatched`);
    }
    while (this.budget.held + need > max && this.pending > 0) this.dropOldestPending();
    if (this.budget.held + need > max) return false;
    this.budget.held += need;
    return true;
  }

  /** Log this flow's oldest waiting row (request or early response) unmatched. */
  private dropOldestPending(): void {
    const req = this.queued > 0 ? (this.requests.firstValue() as DetailedRow) : null;
    const early = this.responses.size > 0 ? (this.responses.firstValue() as DetailedRow) : null;
    if (req !== null && (early === null || req.ts <= early.ts)) {
      this.dropHead(req.tid, req);
      return;
    }
    const resp = early as DetailedRow;
    this.responses.delete(resp.tid);
    this.release(resp);
    this.emitUnmatched(resp);
  }

  /** Remove and return the oldest queued request with this transaction id and function code, or null. */
  private take(tid: number, fc: number): DetailedRow | null {
    let prev: DetailedRow | null = null;
    for (let r = this.requests.get(tid) ?? null; r !== null; prev = r, r = r.next) {
      if (r.functionCode !== fc) continue;
      if (prev !== null) prev.next = r.next;
      else if (r.next === null) this.requests.delete(tid);
      else this.requests.set(tid, r.next);
      r.next = null;
      this.queued--;
      this.release(r);
      return r;
    }
    return null;
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

  private sideHeader(ts: number, isRequest: boolean, h: AduHeader, linkId: string): SideHeader {
    return { ts, isRequest, linkId, tid: h.tid, unit: h.unit, func: plainFunctionName(h.fc) };
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

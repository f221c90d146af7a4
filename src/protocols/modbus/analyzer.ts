import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import {
  HEADER_BYTES,
  MAX_ADU_BYTES,
  MAX_LENGTH,
  OVERSIZED_LENGTH_CAP,
  parseHeader,
  parsePdu,
  type AduHeader,
  type GrammarAnomaly,
} from './grammar.js';
import { MODBUS_STREAM, modbusRecord, type FlowIds } from './log.js';
import type { PendingBudget } from './budget.js';
import { exceptionName, isPublicFunction, loggedFunctionName } from './names.js';
import { MODBUS_SERVER_PORTS, originatorIsClient } from './roles.js';
import { Transactions, type PairingAnomaly } from './transactions.js';
import { UMAS_FUNCTION_CODE } from './umas.js';
import { UmasLog } from './umas-log.js';

/** Violations tolerated before the first confirmed message; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;

/** Anomaly names of the stream layer (besides the grammar's and the pairing's). */
export type StreamAnomaly =
  /** Weird: a partly received ADU was dropped at a gap or at the end of the flow. */
  | 'modbus.partial_adu_discarded'
  /** Weird: the client sent a function code with the exception bit (exceptions are responses, V1.1b3 §7). */
  | 'modbus.exception_in_request'
  /**
   * Weird: an MBAP length field of 255..OVERSIZED_LENGTH_CAP, more than V1.1b3 §4.1 allows (PDU ≤ 253
   * bytes); the ADU is parsed all the same (Schneider UMAS, function 90, sends them).
   */
  | 'modbus.oversized_adu'
  /** Weird: an ADU to be joined across segments is larger than limits.maxAnalyzerBufferBytes. */
  | 'modbus.buffer_limit'
  /** Fatal: too many violations before any valid message; the analyzer detaches. */
  | 'modbus.too_many_violations';

/** Parse state of one direction of the byte stream. */
class Direction {
  /**
   * Bytes of an ADU begun in an earlier chunk (at most one ADU); allocated on first use with 260
   * bytes, grown only for an oversized ADU (≤ 6 + OVERSIZED_LENGTH_CAP and ≤ limits.maxAnalyzerBufferBytes).
   */
  private buffer: Uint8Array | null = null;
  carryLen = 0;
  /** Header of the ADU in `carry` once its 8 header bytes are in (its modbus row is then written). */
  header: AduHeader | null = null;
  aduLength = 0;
  /** Framing lost (violation or gap): look for the next plausible header. */
  lost = false;

  /** @param isRequest true for the client's direction (its messages are requests) */
  constructor(readonly isRequest: boolean) {}

  /** The carry buffer (at least MAX_ADU_BYTES bytes). */
  get carry(): Uint8Array {
    if (this.buffer === null) this.buffer = new Uint8Array(MAX_ADU_BYTES);
    return this.buffer;
  }

  /** Make the carry buffer hold at least `n` bytes, keeping the `carryLen` bytes already in it. */
  reserve(n: number): void {
    const old = this.buffer;
    if (old !== null && old.length >= n) return;
    const grown = new Uint8Array(Math.max(n, MAX_ADU_BYTES));
    if (old !== null && this.carryLen > 0) grown.set(old.subarray(0, this.carryLen));
    this.buffer = grown;
  }

  reset(): void {
    this.carryLen = 0;
    this.header = null;
    this.aduLength = 0;
  }
}

/** Function code that may start a message of this direction (no 0x00 / 0x80; no exception bit from the client). */
function plausibleFunction(fc: number, isRequest: boolean): boolean {
  if (fc === 0x00 || fc === 0x80) return false;
  return isRequest ? fc < 0x80 : true;
}

/**
 * A header inside a chunk where framing was lost is believed only when its length is within the
 * specification (≤ 254), its function code is public (or an exception of one, from the server) and
 * its ADU ends where the chunk ends, runs past it, or is followed by another sane header.
 */
function strictCandidate(data: Uint8Array, p: number, end: number, isRequest: boolean): boolean {
  const hr = parseHeader(data, p, end);
  if (hr.kind !== 'ok') return false;
  const fc = hr.header.fc;
  const pub = fc >= 0x80 ? !isRequest && isPublicFunction(fc & 0x7f) : isPublicFunction(fc);
  if (!pub) return false;
  const next = p + hr.aduLength;
  if (next >= end) return true;
  return parseHeader(data, next, end).kind !== 'malformed';
}

/**
 * Modbus/TCP stream analyzer of one flow (Modbus Messaging on TCP/IP Implementation Guide V1.0b
 * §3.1.3 framing; Modbus Application Protocol V1.1b3 PDUs).
 *
 * - Roles: the side on a server port (502) is the server, whichever side opened the connection;
 *   with both or neither on one, the originator is the client (roles.ts). Requests are what the
 *   client sends, responses what the server sends.
 * - Framing: ADUs are cut by the MBAP length; several ADUs in one chunk and one ADU over many
 *   chunks (even byte by byte) both work; at most one partial ADU (≤ 260 bytes, or an oversized
 *   one, and never more than limits.maxAnalyzerBufferBytes) is held per direction.
 * - Oversized ADUs: a length field of 255..OVERSIZED_LENGTH_CAP is parsed with the weird
 *   `modbus.oversized_adu`; above the cap it is `modbus.invalid_length`.
 * - `modbus` rows follow Zeek: a row per message, written as soon as the 8 header bytes are in
 *   (REQ from the client, RESP from the server); an exception response's row waits for its
 *   exception code. `modbus_detailed` and the other ICSNPP logs come from `Transactions`.
 * - UMAS: every whole function-90 ADU also writes a `modbus_umas` record (umas-log.ts).
 * - Confirmation: the first ADU whose header and PDU parse calls `confirm('modbus')`.
 * - A bad protocol id or length is a violation (`modbus.invalid_protocol_id`,
 *   `modbus.invalid_length`), as is a malformed PDU; before confirmation the fourth violation is
 *   fatal (`modbus.too_many_violations`) and the analyzer stops.
 * - Resynchronisation after a violation or a gap: the rest of the chunk is searched for a strict
 *   candidate header (see `strictCandidate`); the first bytes of each later chunk need only a
 *   sane header with a plausible function code (TCP senders start ADUs at segment starts).
 */
export class ModbusAnalyzer implements StreamAnalyzer {
  private readonly orig: Direction;
  private readonly resp: Direction;
  private readonly flow: FlowIds;
  private readonly tx: Transactions;
  private readonly umas: UmasLog;
  private confirmed = false;
  private violations = 0;
  private stopped = false;

  /**
   * @param ctx the flow this analyzer is attached to (session layer)
   * @param serverPorts ports a Modbus server listens on, which decide the roles (roles.ts)
   * @param budget run-wide account of waiting pairing rows shared with the run's other Modbus flows
   *   (limits.maxPendingModbusValues); without one the flow gets a budget of its own
   */
  constructor(
    private readonly ctx: FlowContext,
    serverPorts: readonly number[] = MODBUS_SERVER_PORTS,
    budget?: PendingBudget,
  ) {
    const id = ctx.id;
    const origIsClient = originatorIsClient(id, serverPorts);
    this.orig = new Direction(origIsClient);
    this.resp = new Direction(!origIsClient);
    this.flow = { uid: ctx.uid, origH: id.orig_h, origP: id.orig_p, respH: id.resp_h, respP: id.resp_p, origIsClient };
    this.tx = new Transactions(this.flow, ctx.limits, {
      emit: (stream, record) => ctx.emit(stream, record),
      weird: (name: PairingAnomaly, ts, detail) => ctx.anomaly(name, 'weird', ts, detail),
    }, budget);
    this.umas = new UmasLog(this.flow, ctx.limits.maxPendingRequests, (stream, record) => ctx.emit(stream, record), (name, ts, detail) => ctx.anomaly(name, 'weird', ts, detail));
  }

  /** True once a fatal anomaly stopped the analyzer. */
  get done(): boolean {
    return this.stopped;
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.stopped || data.length === 0) return;
    const d = isOrig ? this.orig : this.resp;
    const end = data.length;
    let off = 0;
    if (d.lost) off = this.resync(d, data, 0, true, ts);
    else if (d.carryLen > 0) off = this.continueCarry(d, data, ts);
    while (off < end && !this.stopped) off = this.step(d, data, off, end, ts);
  }

  /** `len` bytes of one direction were lost: a partial ADU is dropped and framing is searched anew. */
  gap(isOrig: boolean, len: number, ts: number): void {
    if (this.stopped) return;
    const d = isOrig ? this.orig : this.resp;
    if (d.carryLen > 0) this.weird('modbus.partial_adu_discarded', ts, `${d.carryLen} bytes before a ${len}-byte gap`);
    d.reset();
    d.lost = true;
  }

  /** End of the flow: a partial ADU is reported and unanswered requests are logged unmatched. */
  end(ts: number): void {
    for (const d of [this.orig, this.resp]) {
      if (d.carryLen > 0) this.weird('modbus.partial_adu_discarded', ts, `${d.carryLen} bytes at the end of the flow`);
      d.reset();
    }
    this.tx.finish();
  }

  /** Parse one ADU at `off`; returns the offset after what was consumed or kept. */
  private step(d: Direction, data: Uint8Array, off: number, end: number, ts: number): number {
    const hr = parseHeader(data, off, end, OVERSIZED_LENGTH_CAP);
    if (hr.kind === 'incomplete') return this.keep(d, data, off, end, ts);
    if (hr.kind === 'malformed') {
      this.violation(hr.anomaly, hr.detail, ts);
      d.lost = true;
      return this.resync(d, data, off + 1, false, ts);
    }
    const h = hr.header;
    this.headerSeen(d, h, ts);
    if (end - off < hr.aduLength) {
      d.header = h;
      d.aduLength = hr.aduLength;
      return this.keep(d, data, off, end, ts);
    }
    this.complete(d, h, data, off, off + hr.aduLength, ts);
    return off + hr.aduLength;
  }

  /** Add the chunk's first bytes to the ADU held in `carry`; returns the chunk offset after them. */
  private continueCarry(d: Direction, data: Uint8Array, ts: number): number {
    let used = 0;
    let header = d.header;
    if (header === null) {
      used = Math.min(HEADER_BYTES - d.carryLen, data.length);
      d.carry.set(data.subarray(0, used), d.carryLen);
      d.carryLen += used;
      const hr = parseHeader(d.carry, 0, d.carryLen, OVERSIZED_LENGTH_CAP);
      if (hr.kind === 'incomplete') return data.length;
      if (hr.kind === 'malformed') {
        this.violation(hr.anomaly, hr.detail, ts);
        d.reset();
        d.lost = true;
        return this.resync(d, data, 0, false, ts);
      }
      header = hr.header;
      d.header = header;
      d.aduLength = hr.aduLength;
      this.headerSeen(d, header, ts);
      if (d.aduLength > this.ctx.limits.maxAnalyzerBufferBytes) return this.overLimit(d, data, used, ts);
      d.reserve(d.aduLength);
    }
    const take = Math.min(d.aduLength - d.carryLen, data.length - used);
    d.carry.set(data.subarray(used, used + take), d.carryLen);
    d.carryLen += take;
    used += take;
    if (d.carryLen < d.aduLength) return data.length;
    const len = d.aduLength;
    d.reset();
    this.complete(d, header, d.carry, 0, len, ts);
    return used;
  }

  /** Hold `data[off, end)` (a partial header or ADU) for the next chunk. */
  private keep(d: Direction, data: Uint8Array, off: number, end: number, ts: number): number {
    if (d.header !== null) {
      if (d.aduLength > this.ctx.limits.maxAnalyzerBufferBytes) return this.overLimit(d, data, end, ts);
      d.reserve(d.aduLength);
    }
    d.carry.set(data.subarray(off, end), 0);
    d.carryLen = end - off;
    return end;
  }

  private overLimit(d: Direction, data: Uint8Array, resumeAt: number, ts: number): number {
    this.weird('modbus.buffer_limit', ts, `ADU of ${d.aduLength} bytes, limit ${this.ctx.limits.maxAnalyzerBufferBytes}`);
    d.reset();
    d.lost = true;
    return this.resync(d, data, resumeAt, false, ts);
  }

  /**
   * Find the next header to parse after framing was lost; returns its offset, or the chunk length
   * when there is none (the bytes are dropped). At a chunk start a sane header with a plausible
   * function code suffices; elsewhere `strictCandidate` decides.
   */
  private resync(d: Direction, data: Uint8Array, from: number, chunkStart: boolean, ts: number): number {
    const end = data.length;
    let p = from;
    if (chunkStart) {
      const hr = parseHeader(data, 0, end, OVERSIZED_LENGTH_CAP);
      if (hr.kind === 'incomplete' || (hr.kind === 'ok' && plausibleFunction(hr.header.fc, d.isRequest))) {
        d.lost = false;
        return 0;
      }
      if (hr.kind === 'malformed') this.violation(hr.anomaly, hr.detail, ts);
      if (this.stopped) return end;
      p = 1;
    }
    for (; p + HEADER_BYTES <= end; p++) {
      if (strictCandidate(data, p, end, d.isRequest)) {
        d.lost = false;
        return p;
      }
    }
    return end;
  }

  /** The header of an ADU is in: write its `modbus` row now unless it is an exception response. */
  private headerSeen(d: Direction, h: AduHeader, ts: number): void {
    if (h.length > MAX_LENGTH) this.weird('modbus.oversized_adu', ts, `length ${h.length} > ${MAX_LENGTH}, function ${h.fc}`);
    if (!d.isRequest && h.fc >= 0x80) return;
    if (d.isRequest && h.fc >= 0x80) this.weird('modbus.exception_in_request', ts, `function code ${h.fc}`);
    this.ctx.emit(MODBUS_STREAM.name, modbusRecord(this.flow, ts, d.isRequest, h.tid, h.unit, loggedFunctionName(h.fc), h.fc, null, null));
  }

  /** A whole ADU `bytes[start, end)`: parse its PDU, write the exception row, confirm, pair. */
  private complete(d: Direction, h: AduHeader, bytes: Uint8Array, start: number, end: number, ts: number): void {
    const pr = parsePdu(d.isRequest, h.fc, bytes, start + HEADER_BYTES, end);
    if (!d.isRequest && h.fc >= 0x80) {
      const code = pr.kind === 'ok' && pr.pdu.kind === 'exception' ? pr.pdu.code : null;
      const exception = code === null ? null : exceptionName(code);
      this.ctx.emit(MODBUS_STREAM.name, modbusRecord(this.flow, ts, false, h.tid, h.unit, loggedFunctionName(h.fc), h.fc, exception, code));
    }
    if (pr.kind === 'malformed') {
      this.violation(pr.anomaly, pr.detail, ts);
      return;
    }
    if (pr.weird !== null) this.ctx.anomaly(pr.weird, 'weird', ts, pr.weirdDetail);
    if (!this.confirmed) {
      this.confirmed = true;
      this.ctx.confirm('modbus');
    }
    if (d.isRequest) this.tx.request(ts, h, pr.pdu);
    else this.tx.response(ts, h, pr.pdu);
    if (h.fc === UMAS_FUNCTION_CODE) this.umas.message(ts, d.isRequest, h.tid, h.unit, bytes, start + HEADER_BYTES, end);
  }

  private weird(name: StreamAnomaly, ts: number, detail: string): void {
    this.ctx.anomaly(name, 'weird', ts, detail);
  }

  private violation(name: GrammarAnomaly, detail: string, ts: number): void {
    this.ctx.anomaly(name, 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      const fatal: StreamAnomaly = 'modbus.too_many_violations';
      this.ctx.anomaly(fatal, 'fatal', ts, `${this.violations} violations before any valid message`);
      this.stopped = true;
    }
  }
}

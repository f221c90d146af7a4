import type { FlowContext } from '../../session/analyzer.js';
import { flowIdsOf, type FlowIds } from '../icsnpp-fields.js';
import { controlRecord, DNP3_CONTROL_STREAM, DNP3_OBJECTS_STREAM, DNP3_STREAM, dnp3Record, objectsRecord } from './log.js';
import { FC_READ, FC_RESPONSE, icsnppFunctionName, isResponseFunction, objectName, operationTypeName, statusName, tripCodeName, zeekFunctionName } from './names.js';
import { headersOnly, walkObjects, type ObjectVisitor } from './objects.js';
import type { LinkEvents } from './transport.js';

/** Violations tolerated before the first good frame header; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;

/** Octets of the application request header (application control, function code; IEEE 1815-2012 §4.2.2.1). */
const REQUEST_HEADER_BYTES = 2;
/** Octets of the response header (application control, function code, IIN1, IIN2; §4.2.2.1, §4.2.2.6). */
const RESPONSE_HEADER_BYTES = 4;

const CROB_NAME = 'Control Relay Output Block';
const PCB_NAME = 'Pattern Control Block';

/**
 * The application layer of one DNP3 flow (IEEE 1815-2012 §4.2.2): receives whole fragments from both
 * directions (transport.ts), and writes
 * - `dnp3` as Zeek does: a request (function code < 0x80) is remembered (a later request replaces it);
 *   a response (0x81..0x83, or any code ≥ 0x80) writes a row with the remembered request, its own name
 *   and IIN, at the response's time, and forgets the request; an unanswered request is written at the end;
 * - `dnp3_control`: every CROB / PCB of any message, with the status in RESPONSE messages only;
 * - `dnp3_objects`: the object headers ICSNPP names, of READ requests (no counts) and RESPONSE messages.
 * Requests and responses are told apart by function code, not by direction (an outstation may open the
 * connection). Confirms `dnp3` at the first frame header with a good CRC.
 */
export class Dnp3Session implements LinkEvents, ObjectVisitor {
  private readonly flow: FlowIds;
  private confirmed = false;
  private violations = 0;
  /** True once a fatal anomaly stopped the analyzer. */
  stopped = false;
  private pendingFc: string | null = null;
  private pendingTs = 0;
  // The fragment being walked (read by the visitor methods).
  private curOrig = false;
  private curFc = 0;
  private curTs = 0;
  private curResponse = false;

  constructor(private readonly ctx: FlowContext) {
    this.flow = flowIdsOf(ctx);
  }

  frameSeen(_ts: number): void {
    if (this.confirmed) return;
    this.confirmed = true;
    // Zeek names its analyzers DNP3_TCP and DNP3_UDP, so conn.log's service is dnp3_tcp / dnp3_udp.
    this.ctx.confirm(this.ctx.id.proto === 'udp' ? 'dnp3_udp' : 'dnp3_tcp');
  }

  linkAnomaly(name: string, violation: boolean, ts: number, detail: string): void {
    if (!violation) {
      this.ctx.anomaly(name, 'weird', ts, detail);
      return;
    }
    this.ctx.anomaly(name, 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      this.ctx.anomaly('dnp3.too_many_violations', 'fatal', ts, `${this.violations} violations before any valid frame`);
      this.stopped = true;
    }
  }

  fragment(isOrig: boolean, b: Uint8Array, len: number, ts: number): void {
    if (len < REQUEST_HEADER_BYTES) {
      this.linkAnomaly('dnp3.short_fragment', true, ts, `fragment of ${len} octets`);
      return;
    }
    const fc = b[1];
    const response = isResponseFunction(fc);
    if (response && len < RESPONSE_HEADER_BYTES) {
      this.linkAnomaly('dnp3.short_fragment', true, ts, `response fragment of ${len} octets`);
      return;
    }
    if (response) {
      const iin = (b[2] << 8) | b[3];
      this.ctx.emit(DNP3_STREAM.name, dnp3Record(this.flow, ts, this.pendingFc, zeekFunctionName(fc), iin));
      this.pendingFc = null;
    } else {
      this.pendingFc = zeekFunctionName(fc);
      this.pendingTs = ts;
    }
    this.curOrig = isOrig;
    this.curFc = fc;
    this.curTs = ts;
    this.curResponse = response;
    const start = response ? RESPONSE_HEADER_BYTES : REQUEST_HEADER_BYTES;
    const stop = walkObjects(b, start, len, response || !headersOnly(fc), this);
    if (stop !== null) this.ctx.anomaly(stop, 'weird', ts, `${zeekFunctionName(fc)} fragment of ${len} octets`);
  }

  objectHeader(group: number, variation: number, qualifier: number, count: number | null, rangeLow: number | null, rangeHigh: number | null): void {
    const name = objectName((group << 8) | variation);
    if (name === null) return;
    const fc = this.curFc;
    if (this.curResponse ? fc !== FC_RESPONSE : fc !== FC_READ) return;
    const r = this.curResponse;
    this.ctx.emit(
      DNP3_OBJECTS_STREAM.name,
      objectsRecord(this.flow, this.curTs, this.curOrig, icsnppFunctionName(fc), name, r ? count : null, r ? rangeLow : null, r ? rangeHigh : null, group, variation, qualifier),
    );
  }

  controlBlock(pcb: boolean, index: number, controlCode: number, count: number, onTime: number, offTime: number, status: number): void {
    const fc = this.curFc;
    this.ctx.emit(
      DNP3_CONTROL_STREAM.name,
      controlRecord(
        this.flow,
        this.curTs,
        this.curOrig,
        pcb ? PCB_NAME : CROB_NAME,
        icsnppFunctionName(fc),
        index,
        tripCodeName(controlCode),
        operationTypeName(controlCode),
        (controlCode & 0x20) !== 0,
        count,
        onTime,
        offTime,
        fc === FC_RESPONSE ? statusName(status) : null,
      ),
    );
  }

  /** The flow is over: an unanswered request gets its `dnp3` row. */
  finish(): void {
    if (this.pendingFc === null) return;
    this.ctx.emit(DNP3_STREAM.name, dnp3Record(this.flow, this.pendingTs, this.pendingFc, null, null));
    this.pendingFc = null;
  }
}

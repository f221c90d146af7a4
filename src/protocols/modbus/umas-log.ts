import type { LogRecord } from '../../events/record.js';
import { defineStream, type StreamSchema } from '../../events/schema.js';
import type { FlowIds } from './log.js';
import { parseUmas, umasName, umasStatusName } from './umas.js';

/**
 * `modbus_umas`: one record per UMAS request and response (Modbus function code 90, umas.ts).
 * A CraneWatch stream (no Zeek or ICSNPP peer logs UMAS); connection fields as in `modbus`.
 */
export const MODBUS_UMAS_STREAM: StreamSchema = defineStream({
  name: 'modbus_umas',
  doc: 'Schneider Electric UMAS messages inside Modbus function code 90: requests and responses.',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message (seconds since the epoch).' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'source_h', type: 'addr', doc: 'Address that sent the message.' },
    { name: 'destination_h', type: 'addr', doc: 'Address the message went to.' },
    { name: 'unit', type: 'count', doc: 'MBAP unit identifier.' },
    { name: 'tid', type: 'count', doc: 'MBAP transaction identifier.' },
    { name: 'pdu_type', type: 'string', doc: 'REQ from the client, RESP from the server (as in modbus).' },
    { name: 'umas_code', type: 'count', doc: 'UMAS function code: of the request, or of the request a response answers (unset when unknown).' },
    { name: 'umas_name', type: 'string', doc: 'UMAS function name (STOP_PLC, UPLOAD_BLOCK …, unknown-0xNN).' },
    { name: 'session_key', type: 'count', doc: 'Session (reservation) key byte after the function code.' },
    { name: 'status', type: 'count', doc: 'Response status byte: 254 (0xFE) OK, 253 (0xFD) error; unset for requests.' },
    { name: 'status_name', type: 'string', doc: 'OK, ERROR or unknown-0xNN; unset for requests.' },
    { name: 'block', type: 'count', doc: 'Program-transfer block number (UPLOAD_BLOCK / DOWNLOAD_BLOCK requests).' },
  ],
});

/** Anomaly of UMAS parsing (graded `weird`). */
export type UmasAnomaly =
  /** A function-90 PDU with fewer than 2 data bytes (no session key and code / status). */
  'modbus.umas_truncated';

/**
 * Per-flow UMAS logging: parses function-90 PDUs and writes `modbus_umas` records; a response gets
 * the UMAS code of the request with its transaction id (at most `maxPending` ids remembered; the
 * oldest is forgotten beyond).
 */
export class UmasLog {
  private readonly pending = new Map<number, number>();

  constructor(
    private readonly flow: FlowIds,
    private readonly maxPending: number,
    private readonly emit: (stream: string, record: LogRecord) => void,
    private readonly weird: (name: UmasAnomaly, ts: number, detail: string) => void,
  ) {}

  /** One function-90 PDU: its data is `b[start, end)` (after the function code). */
  message(ts: number, isRequest: boolean, tid: number, unit: number, b: Uint8Array, start: number, end: number): void {
    const m = parseUmas(b, start, end, isRequest);
    if (m === null) {
      this.weird('modbus.umas_truncated', ts, `${end - start} data bytes`);
      return;
    }
    let code: number | null = m.code;
    if (isRequest) {
      if (this.pending.size >= this.maxPending && !this.pending.has(tid)) this.pending.delete(this.pending.keys().next().value as number);
      this.pending.set(tid, m.code);
    } else {
      code = this.pending.get(tid) ?? null;
      this.pending.delete(tid);
    }
    const f = this.flow;
    const o = isRequest === f.origIsClient;
    this.emit(MODBUS_UMAS_STREAM.name, {
      ts,
      uid: f.uid,
      'id.orig_h': f.origH,
      'id.orig_p': f.origP,
      'id.resp_h': f.respH,
      'id.resp_p': f.respP,
      source_h: o ? f.origH : f.respH,
      destination_h: o ? f.respH : f.origH,
      unit,
      tid,
      pdu_type: isRequest ? 'REQ' : 'RESP',
      umas_code: code,
      umas_name: code === null ? null : umasName(code),
      session_key: m.sessionKey,
      status: isRequest ? null : m.code,
      status_name: isRequest ? null : umasStatusName(m.code),
      block: m.block >= 0 ? m.block : null,
    });
  }
}

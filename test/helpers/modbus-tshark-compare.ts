import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures, type AnalyzeResult } from '../../src/pipeline/analyze.js';
import type { TsharkPdu } from './tshark-modbus.js';

/**
 * Record-for-record comparison of CraneWatch's Modbus logs with tshark's dissection of the same capture.
 *
 * Matching. Both sides are cut per direction of each flow (sender address:port → receiver address:port;
 * CraneWatch `modbus` rows by source_h/source_p/destination_h/destination_p, tshark PDUs by
 * ip.src/tcp.srcport/ip.dst/tcp.dstport). Inside one direction both lists keep wire order (tshark: frame
 * number, then position in the frame; CraneWatch: emission order, which is stream order) and are aligned
 * by a longest common subsequence on the key (transaction id, unit id, function code byte). Aligned pairs
 * are compared field by field; a PDU left out of the alignment on either side is a whole-record difference.
 *
 * Fields compared on every pair:
 * - `tid`, `unit`: mbtcp.trans_id, mbtcp.unit_id vs `tid`, `unit`;
 * - `func_code`: the function code byte as on the wire (modbus.func_code's unmasked value; tshark's field
 *   value itself drops the exception bit) vs `function_code`;
 * - `exception_code`: modbus.exception_code vs `exception_code` (both unset for normal PDUs);
 * - `time`: frame.time_epoch of the frame tshark shows the PDU in vs `ts`, to the microsecond. When tshark
 *   reassembled the PDU from several segments CraneWatch's row may carry an earlier segment's time (a
 *   `modbus` row is written when the 8 header bytes are in, as Zeek does), so `ts` ≤ frame time passes.
 * Fields compared where tshark prints them in a request (Wireshark 4.0 packet-mbtcp.c), like with like
 * against the `modbus_detailed` row the request opened (same direction, transaction id, function code
 * and time; several such requests in one frame take the rows in order):
 * - `reference_num` (modbus.reference_num) vs `address`: functions 1–6, 15, 16, 22, 24;
 * - `word_cnt` (modbus.word_cnt) vs `quantity`: functions 3, 4, 16;
 * - `bit_cnt` (modbus.bit_cnt) vs `quantity`: functions 1, 2, 15.
 * A row holds one address and one quantity per transaction; ICSNPP fills them from the request and, for
 * a matched 5, 6 or 16, again from the response's echo, which equals the request's unless the pairing
 * or the server is wrong — exactly what the comparison should catch. Not compared: tshark's response
 * echoes (5, 6, 15, 16, 22) and FIFO count (24), since no row field holds a response-side value per
 * message; function 23's read/write references and counts (modbus.read_reference_num …), which
 * `modbus_read_write_multiple_registers` carries; functions 20/21, where tshark prints only byte counts.
 * tshark prints no reference or count in responses of 1–4.
 */

/** The streams of one CraneWatch run this comparison reads. */
export interface CraneWatchModbus {
  modbus: LogRecord[];
  detailed: LogRecord[];
  weird: LogRecord[];
  /** Responder ports of the flows with `modbus` rows, ascending. */
  modbusPorts: number[];
  /** True when a TCP flow used port 502 on either side (a place tshark dissects as Modbus/TCP). */
  port502: boolean;
  result: AnalyzeResult;
}

/** Run the whole pipeline (`analyzeCaptures`) over one capture and keep its Modbus and weird rows. */
export async function cranewatchModbus(file: string): Promise<CraneWatchModbus> {
  const modbus: LogRecord[] = [];
  const detailed: LogRecord[] = [];
  const weird: LogRecord[] = [];
  const ports = new Set<number>();
  let port502 = false;
  const sink = {
    write(stream: string, record: LogRecord): void {
      if (stream === 'modbus') {
        modbus.push(record);
        ports.add(record['id.resp_p'] as number);
      } else if (stream === 'modbus_detailed') detailed.push(record);
      else if (stream === 'weird') weird.push(record);
      else if (stream === 'conn' && record.proto === 'tcp' && (record['id.orig_p'] === 502 || record['id.resp_p'] === 502)) port502 = true;
    },
    async close(): Promise<void> {},
  };
  const result = await analyzeCaptures([file], { sink });
  return { modbus, detailed, weird, modbusPorts: [...ports].sort((a, b) => a - b), port502, result };
}

/** Field names of the comparison (tshark's names where one exists). */
export const COMPARED_FIELDS = ['tid', 'unit', 'func_code', 'exception_code', 'time', 'reference_num', 'word_cnt', 'bit_cnt'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** One difference: a record only one side has, or one field of an aligned pair. */
export interface Difference {
  kind: 'only_tshark' | 'only_cranewatch' | 'field';
  /** `src:sport>dst:dport`. */
  direction: string;
  /** tshark frame number (only_tshark, field) or null. */
  frame: number | null;
  /** Time of the record (tshark frame time, or CraneWatch ts), seconds. */
  ts: number;
  tid: number | null;
  funcByte: number | null;
  field: ComparedField | null;
  tshark: string | null;
  cranewatch: string | null;
}

/** Agreement of one capture. A record agrees when it is aligned and every compared field is equal. */
export interface Agreement {
  tsharkPdus: number;
  cranewatchRows: number;
  /** Aligned pairs + records only one side has. */
  recordsCompared: number;
  recordsAgreeing: number;
  perField: Record<ComparedField, { equal: number; compared: number }>;
  differences: Difference[];
}

/** Request functions whose reference, word count and bit count are compared (see the module doc). */
const REF_REQ = new Set([1, 2, 3, 4, 5, 6, 15, 16, 22, 24]);
const WORD_REQ = new Set([3, 4, 16]);
const BIT_REQ = new Set([1, 2, 15]);

/** Microseconds since the epoch, the resolution both sides share. */
function micros(ts: number): number {
  return Math.round(ts * 1e6);
}

function directionOf(r: LogRecord): string {
  return `${String(r.source_h)}:${String(r.source_p)}>${String(r.destination_h)}:${String(r.destination_p)}`;
}

function pduDirection(p: TsharkPdu): string {
  return `${p.src}:${p.sport}>${p.dst}:${p.dport}`;
}

/** Edit distance beyond which the middle of two sequences is left unaligned (keeps the trace ≤ ~16 MB). */
const MAX_EDIT_DISTANCE = 2000;

/**
 * Longest common subsequence of two integer sequences (Myers' O((N+M)·D) greedy algorithm, E. W. Myers,
 * "An O(ND) Difference Algorithm and Its Variations", 1986), after stripping the common prefix and suffix.
 * Returns the aligned index pairs in order. When the sequences differ by more than MAX_EDIT_DISTANCE
 * edits, only the common prefix and suffix are aligned (every other element is then a difference).
 */
export function alignSequences(a: readonly number[], b: readonly number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) {
    pairs.push([lo, lo]);
    lo++;
  }
  let ea = a.length;
  let eb = b.length;
  const tail: Array<[number, number]> = [];
  while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
    tail.push([ea, eb]);
  }
  const n = ea - lo;
  const m = eb - lo;
  if (n > 0 && m > 0) {
    const max = n + m;
    const off = max + 1;
    const v = new Int32Array(2 * max + 3);
    const trace: Int32Array[] = [];
    let found = false;
    for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE) && !found; d++) {
      trace.push(v.slice(off - d - 1, off + d + 2));
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
        let y = x - k;
        while (x < n && y < m && a[lo + x] === b[lo + y]) {
          x++;
          y++;
        }
        v[off + k] = x;
        if (x >= n && y >= m) {
          found = true;
          break;
        }
      }
    }
    const mid: Array<[number, number]> = [];
    let x = found ? n : 0;
    let y = found ? m : 0;
    for (let d = found ? trace.length - 1 : 0; d > 0; d--) {
      const t = trace[d];
      const at = (k: number): number => t[k + d + 1];
      const k = x - y;
      const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
      const prevX = at(prevK);
      const prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        x--;
        y--;
        mid.push([lo + x, lo + y]);
      }
      x = prevX;
      y = prevY;
    }
    while (x > 0 && y > 0) {
      x--;
      y--;
      mid.push([lo + x, lo + y]);
    }
    pairs.push(...mid.reverse());
  }
  pairs.push(...tail.reverse());
  return pairs;
}

function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** Compare tshark's PDUs with CraneWatch's rows of the same capture (see the module doc for the rules). */
export function compareModbus(tshark: readonly TsharkPdu[], cw: CraneWatchModbus): Agreement {
  const perField = Object.fromEntries(COMPARED_FIELDS.map((f) => [f, { equal: 0, compared: 0 }])) as Agreement['perField'];
  const differences: Difference[] = [];

  // Detailed rows by (direction of the message that opened the row, µs time, tid, fc), in log order.
  const rows = new Map<string, LogRecord[]>();
  for (const r of cw.detailed) {
    const k = `${directionOf(r)}|${micros(r.ts as number)}|${String(r.tid)}|${String(r.function_code)}`;
    const q = rows.get(k);
    if (q) q.push(r);
    else rows.set(k, [r]);
  }
  // How many requests of one key were already given their row.
  const taken = new Map<string, number>();
  const rowOf = (dir: string, p: TsharkPdu): LogRecord | null => {
    const k = `${dir}|${micros(p.ts)}|${String(p.tid)}|${String(p.funcByte)}`;
    const n = taken.get(k) ?? 0;
    taken.set(k, n + 1);
    return rows.get(k)?.[n] ?? null;
  };

  const tsByDir = new Map<string, TsharkPdu[]>();
  for (const p of tshark) {
    const d = pduDirection(p);
    const q = tsByDir.get(d);
    if (q) q.push(p);
    else tsByDir.set(d, [p]);
  }
  const cwByDir = new Map<string, LogRecord[]>();
  for (const r of cw.modbus) {
    const d = directionOf(r);
    const q = cwByDir.get(d);
    if (q) q.push(r);
    else cwByDir.set(d, [r]);
  }
  const keyIds = new Map<string, number>();
  const keyOf = (tid: unknown, unit: unknown, fc: unknown): number => {
    const k = `${String(tid)}/${String(unit)}/${String(fc)}`;
    let id = keyIds.get(k);
    if (id === undefined) keyIds.set(k, (id = keyIds.size));
    return id;
  };

  let recordsCompared = 0;
  let recordsAgreeing = 0;
  const directions = [...new Set([...tsByDir.keys(), ...cwByDir.keys()])].sort();
  for (const dir of directions) {
    const tp = tsByDir.get(dir) ?? [];
    const cr = cwByDir.get(dir) ?? [];
    const pairs = alignSequences(
      tp.map((p) => keyOf(p.tid, p.unit, p.funcByte)),
      cr.map((r) => keyOf(r.tid, r.unit, r.function_code)),
    );
    const usedT = new Uint8Array(tp.length);
    const usedC = new Uint8Array(cr.length);
    for (const [i, j] of pairs) {
      usedT[i] = 1;
      usedC[j] = 1;
      const p = tp[i];
      const r = cr[j];
      let agree = true;
      const check = (field: ComparedField, t: string | null, c: string | null, equal = t === c): void => {
        perField[field].compared++;
        if (equal) {
          perField[field].equal++;
          return;
        }
        agree = false;
        differences.push({ kind: 'field', direction: dir, frame: p.frame, ts: p.ts, tid: p.tid, funcByte: p.funcByte, field, tshark: t, cranewatch: c });
      };
      check('tid', text(p.tid), text(r.tid));
      check('unit', text(p.unit), text(r.unit));
      check('func_code', text(p.funcByte), text(r.function_code));
      check('exception_code', text(p.exceptionCode), text(r.exception_code));
      const tt = micros(p.ts);
      const ct = micros(r.ts as number);
      check('time', String(p.ts), String(r.ts), ct === tt || (p.reassembled && ct < tt));

      const fc = p.funcCode ?? -1;
      if (r.pdu_type === 'REQ' && p.exceptionCode === null && REF_REQ.has(fc)) {
        const row = rowOf(dir, p);
        check('reference_num', text(p.referenceNum), text(row?.address));
        if (WORD_REQ.has(fc)) check('word_cnt', text(p.wordCnt), text(row?.quantity));
        if (BIT_REQ.has(fc)) check('bit_cnt', text(p.bitCnt), text(row?.quantity));
      }
      recordsCompared++;
      if (agree) recordsAgreeing++;
    }
    for (let i = 0; i < tp.length; i++) {
      if (usedT[i]) continue;
      const p = tp[i];
      recordsCompared++;
      differences.push({ kind: 'only_tshark', direction: dir, frame: p.frame, ts: p.ts, tid: p.tid, funcByte: p.funcByte, field: null, tshark: null, cranewatch: null });
    }
    for (let j = 0; j < cr.length; j++) {
      if (usedC[j]) continue;
      const r = cr[j];
      recordsCompared++;
      differences.push({
        kind: 'only_cranewatch',
        direction: dir,
        frame: null,
        ts: r.ts as number,
        tid: r.tid as number,
        funcByte: r.function_code as number,
        field: null,
        tshark: null,
        cranewatch: null,
      });
    }
  }
  return {
    tsharkPdus: tshark.length,
    cranewatchRows: cw.modbus.length,
    recordsCompared,
    recordsAgreeing,
    perField,
    differences,
  };
}

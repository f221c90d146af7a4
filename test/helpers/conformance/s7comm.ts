/**
 * S7comm conformance against two peers (../shared/data):
 * - `icsnpp`: ICSNPP-S7comm's expected logs (icsnpp/s7comm/baseline) for snap7.pcap and s7comm_plus.pcap —
 *   cotp, s7comm, s7comm_read_szl, s7comm_upload_download, s7comm_plus and conn's `service`. Flows are matched
 *   by their 4-tuple (uids differ); rows by (flow, is_orig, PDU reference, n-th) for S7comm streams and by
 *   (flow, is_orig, n-th) for cotp and s7comm_plus. ts and uid are ignored; every other column is compared.
 * - `tshark <version>`: every capture of the shared data where CraneWatch logs cotp / s7comm or a flow uses
 *   TCP port 102 (where tshark dissects TPKT / COTP / S7comm by default) is dissected by tshark; each S7comm
 *   frame is matched by (sender port, time in µs) and compared on rosctr, PDU reference, function,
 *   user-data subfunction, error class and code (`s7comm`), SZL id, index and return code
 *   (`s7comm_read_szl`), upload/download status, session id, file name and block length
 *   (`s7comm_upload_download`); `cotp` compares the TPDU codes of each frame. tshark has no S7comm-plus
 *   dissector, so s7comm_plus has ICSNPP as its only peer. Zipped captures hold no S7 traffic (lemay-modbus,
 *   qut-dnp3) and are not opened.
 *
 * Differences the peer is wrong about are accepted, each documented with its bytes in
 * test/protocols/s7comm/peer-errors.test.ts (see ACCEPTED).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { errorClassName, hex2, hexMin2 } from '../../../src/protocols/s7comm/names.js';
import { findCaptures } from '../capture-files.js';
import { cellText, readZeekLog, toZeekCell, type ZeekRow } from '../zeek-log.js';
import type { CaptureAgreement, FieldAgreement, ProtocolAgreement } from './agreement.js';

const PEER_TEST = 'see test/protocols/s7comm/peer-errors.test.ts';

/** Peer errors accepted, by tag; each has a unit test with the bytes in PEER_TEST. */
export const ACCEPTED = {
  pduRefByteOrder: `accepted: ICSNPP reads the big-endian PDU reference little-endian (byte-swapped), ${PEER_TEST}`,
  fragmentedSzl: `accepted: ICSNPP fails on a Read SZL response split over user-data fragments (records cut at the fragment end) and on its follow-up request, ${PEER_TEST}`,
  ackRosctr2: `accepted: ICSNPP logs no ROSCTR 2 (Ack without data) PDU, ${PEER_TEST}`,
} as const;

/** Every CraneWatch record of one capture, by stream. */
export type Logs = Map<string, LogRecord[]>;

/** Run the whole pipeline over one capture and keep every record by stream. */
export async function analyzeOne(file: string): Promise<Logs> {
  const logs: Logs = new Map();
  await analyzeCaptures([file], {
    sink: {
      write(stream, record) {
        let a = logs.get(stream);
        if (a === undefined) logs.set(stream, (a = []));
        a.push(record);
      },
      async close() {},
    },
  });
  return logs;
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >> 8);
const flowKey = (r: LogRecord | ZeekRow): string => `${cellText(toZeekCell(r['id.orig_h'] as never))}:${cellText(toZeekCell(r['id.orig_p'] as never))}>${cellText(toZeekCell(r['id.resp_h'] as never))}:${cellText(toZeekCell(r['id.resp_p'] as never))}`;
const text = (v: unknown): string => cellText(toZeekCell(v as never));

/** Counts fields compared and agreed. */
class Tally {
  readonly fields = new Map<string, { compared: number; agreed: number }>();
  readonly differences: string[] = [];
  peerRecords = 0;
  matched = 0;
  agreed = 0;

  field(name: string, same: boolean): void {
    let f = this.fields.get(name);
    if (f === undefined) this.fields.set(name, (f = { compared: 0, agreed: 0 }));
    f.compared++;
    if (same) f.agreed++;
  }

  result(capture: string, stream: string): CaptureAgreement {
    const fields: FieldAgreement[] = [...this.fields].map(([field, f]) => ({ field, ...f }));
    return { capture, stream, peerRecords: this.peerRecords, matched: this.matched, agreed: this.agreed, fields, differences: this.differences };
  }
}

/** Is the ICSNPP row's bool column T for the originator? */
const peerIsOrig = (r: ZeekRow): boolean => r.is_orig === 'T';

/**
 * Index CraneWatch rows by key; `nth` numbers rows of equal base key in order.
 * @param base key of one row before its occurrence number
 */
function indexRows<T>(rows: readonly T[], base: (r: T) => string): Map<string, T> {
  const seen = new Map<string, number>();
  const out = new Map<string, T>();
  for (const r of rows) {
    const b = base(r);
    const n = seen.get(b) ?? 0;
    seen.set(b, n + 1);
    out.set(`${b}#${n}`, r);
  }
  return out;
}

/** Columns ICSNPP and CraneWatch both write for a stream, minus ts, uid and the connection ids. */
const SKIP = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p']);

/**
 * Compare one ICSNPP log with CraneWatch's rows of the same stream. `byRef` keys rows by PDU reference
 * (the peer's value byte-swapped back to the wire order) as well as by direction and occurrence.
 * `cwOnly` explains a CraneWatch row the peer lacks (an accepted peer error) or returns null.
 */
function compareIcsnpp(
  capture: string,
  stream: string,
  peer: readonly ZeekRow[],
  fields: readonly string[],
  cw: readonly LogRecord[],
  byRef: boolean,
  cwOnly: (r: LogRecord) => string | null,
): CaptureAgreement {
  const t = new Tally();
  const cwBase = (r: LogRecord): string => `${flowKey(r)}|${r.is_orig === true ? 'T' : 'F'}${byRef ? `|${String(r.pdu_reference)}` : ''}`;
  const peerBase = (r: ZeekRow): string => `${flowKey(r)}|${peerIsOrig(r) ? 'T' : 'F'}${byRef ? `|${swap16(Number(r.pdu_reference))}` : ''}`;
  const cwIndex = indexRows(cw, cwBase);
  const peerIndex = indexRows(peer, peerBase);
  const compared = fields.filter((f) => !SKIP.has(f));
  for (const [key, p] of peerIndex) {
    t.peerRecords++;
    const c = cwIndex.get(key);
    if (c === undefined) {
      t.differences.push(`${stream} ${key}: peer row missing in CraneWatch`);
      continue;
    }
    t.matched++;
    let all = true;
    for (const f of compared) {
      const pv = text(p[f]);
      const cv = text(c[f]);
      const same = pv === cv;
      t.field(f, same);
      if (!same) {
        all = false;
        const note = f === 'pdu_reference' && swap16(Number(pv)) === Number(cv) ? ` ${ACCEPTED.pduRefByteOrder}` : '';
        t.differences.push(`${stream} ${key}: ${f} cw=${cv} peer=${pv}${note}`);
      }
    }
    if (all) t.agreed++;
  }
  for (const [key, c] of cwIndex) {
    if (peerIndex.has(key)) continue;
    const why = cwOnly(c);
    t.differences.push(`${stream} ${key}: CraneWatch row absent from the peer${why === null ? '' : ` ${why}`}`);
  }
  return t.result(capture, stream);
}

/** Why ICSNPP lacks a CraneWatch row of snap7.pcap's flow, or null when nothing explains it. */
function snap7CwOnly(r: LogRecord): string | null {
  if (r.rosctr_code === 2) return ACCEPTED.ackRosctr2;
  if (r.rosctr_code === 7 && r.subfunction_name === 'Read SZL') return ACCEPTED.fragmentedSzl;
  if (r.method !== undefined && r.szl_id === '0x001c') return ACCEPTED.fragmentedSzl;
  return null;
}

/** The ICSNPP peer over its two S7 baselines. */
async function icsnppAgreement(sharedData: string): Promise<ProtocolAgreement> {
  const base = join(sharedData, 'icsnpp', 's7comm');
  const runs: Array<[string, string]> = [
    ['analyzer.snap7', 'snap7.pcap'],
    ['analyzer.s7comm_plus', 's7comm_plus.pcap'],
  ];
  const captures: CaptureAgreement[] = [];
  for (const [dir, trace] of runs) {
    const file = join(base, 'traces', trace);
    if (!existsSync(file)) continue;
    const rel = `icsnpp/s7comm/traces/${trace}`;
    const logs = await analyzeOne(file);
    for (const stream of ['cotp', 's7comm', 's7comm_read_szl', 's7comm_upload_download', 's7comm_plus']) {
      const logFile = join(base, 'baseline', dir, `${stream}.log`);
      if (!existsSync(logFile)) continue;
      const peer = readZeekLog(logFile);
      const byRef = stream !== 'cotp' && stream !== 's7comm_plus';
      captures.push(compareIcsnpp(rel, stream, peer.rows, peer.fields, logs.get(stream) ?? [], byRef, snap7CwOnly));
    }
    const connFile = join(base, 'baseline', dir, 'conn.log');
    if (existsSync(connFile)) {
      const t = new Tally();
      const cw = new Map((logs.get('conn') ?? []).map((r) => [flowKey(r), r]));
      for (const p of readZeekLog(connFile).rows) {
        t.peerRecords++;
        const c = cw.get(flowKey(p));
        if (c === undefined) {
          t.differences.push(`conn ${flowKey(p)}: flow missing in CraneWatch`);
          continue;
        }
        t.matched++;
        const same = text(c.service) === text(p.service);
        t.field('service', same);
        if (same) t.agreed++;
        else t.differences.push(`conn ${flowKey(p)}: service cw=${text(c.service)} peer=${text(p.service)}`);
      }
      captures.push(t.result(rel, 'conn'));
    }
  }
  return { protocol: 's7comm', peer: 'icsnpp', captures };
}

const TSHARK_FIELDS = [
  'frame.time_epoch', 'tcp.srcport', 'cotp.type', 's7comm.header.rosctr', 's7comm.header.pduref', 's7comm.param.func',
  's7comm.param.userdata.type', 's7comm.param.userdata.funcgroup', 's7comm.param.userdata.subfunc', 's7comm.header.errcls',
  's7comm.header.errcod', 's7comm.param.errcod', 's7comm.data.userdata.szl_id', 's7comm.data.userdata.szl_index',
  's7comm.data.returncode', 's7comm.param.blockcontrol.functionstatus', 's7comm.data.blockcontrol.uploadid',
  's7comm.param.blockcontrol.filename', 's7comm.param.blockcontrol.upl_lenstring', 's7comm.data.length',
];

/** tshark's version string (`tshark 4.0.17`), or null when it does not run. */
export function tsharkVersion(): string | null {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /TShark \(Wireshark\) (\S+)/.exec(r.stdout);
  return `tshark ${m === null ? '?' : m[1].replace(/\.$/, '')}`;
}

/** One frame as tshark dissects it: column name → first occurrence ('' absent); `cotp` has every occurrence. */
type Frame = Record<string, string> & { cotpAll: string };

function tsharkFrames(file: string): Frame[] {
  const args = ['-n', '-r', file, '-Y', 'cotp', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const out: Frame[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const cells = line.split('\t');
    const fr = { cotpAll: cells[2] ?? '' } as Frame;
    TSHARK_FIELDS.forEach((f, i) => {
      fr[f] = (cells[i] ?? '').split(',')[0];
    });
    out.push(fr);
  }
  return out;
}

const num = (s: string): number => (s.startsWith('0x') ? parseInt(s, 16) : Number(s));

/**
 * Compare tshark's frames of one capture with CraneWatch's rows; one CaptureAgreement per stream.
 * S7comm rows are matched by (sender port, PDU reference, n-th), not by time: after a segment missing
 * from the capture the session layer hands the bytes that follow on when it skips the gap, later than
 * the frame that carried them. COTP TPDUs are matched in order per sender port.
 */
function compareTshark(rel: string, frames: readonly Frame[], logs: Logs): CaptureAgreement[] {
  const group = (stream: string, key: (r: LogRecord) => string): Map<string, LogRecord> => indexRows(logs.get(stream) ?? [], key);
  const byRef = (r: LogRecord): string => `${String(r.source_p)}|${String(r.pdu_reference)}`;
  const cotp = group('cotp', (r) => String(r.source_p));
  const s7 = group('s7comm', byRef);
  const szl = group('s7comm_read_szl', byRef);
  const transfer = group('s7comm_upload_download', byRef);
  const seen = new Map<string, number>();
  const next = (base: string): string => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}#${n}`;
  };
  const tc = new Tally();
  const ts7 = new Tally();
  const tszl = new Tally();
  const ttr = new Tally();
  const check = (t: Tally, k: string, pairs: Array<[string, string, string]>): void => {
    let all = true;
    for (const [field, cw, peer] of pairs) {
      const same = cw === peer;
      t.field(field, same);
      if (!same) {
        all = false;
        t.differences.push(`${k}: ${field} cw=${cw} peer=${peer}`);
      }
    }
    if (all) t.agreed++;
  };
  for (const f of frames) {
    const port = f['tcp.srcport'];
    for (const code of f.cotpAll.split(',')) {
      const k = next(`cotp|${port}`);
      tc.peerRecords++;
      const mine = cotp.get(k.slice(5));
      if (mine === undefined) {
        tc.differences.push(`${k} (${f['frame.time_epoch']}): TPDU missing in CraneWatch`);
        continue;
      }
      tc.matched++;
      check(tc, k, [['pdu_code', text(mine.pdu_code), hex2(num(code))]]);
    }
    if (f['s7comm.header.rosctr'] === '') continue;
    const rosctr = num(f['s7comm.header.rosctr']);
    const k = next(`${port}|${num(f['s7comm.header.pduref'])}`);
    ts7.peerRecords++;
    const row = s7.get(k);
    if (row === undefined) {
      ts7.differences.push(`s7comm ${k} (${f['frame.time_epoch']}): PDU missing in CraneWatch`);
      continue;
    }
    ts7.matched++;
    const pairs: Array<[string, string, string]> = [
      ['rosctr_code', text(row.rosctr_code), String(rosctr)],
      ['pdu_reference', text(row.pdu_reference), String(num(f['s7comm.header.pduref']))],
    ];
    if (rosctr === 7) {
      if (f['s7comm.param.userdata.type'] !== '') {
        pairs.push(['function_code', text(row.function_code), hex2((num(f['s7comm.param.userdata.type']) << 4) | num(f['s7comm.param.userdata.funcgroup']))]);
        // A mode-transition push carries the new mode where tshark shows no subfunction field.
        if (f['s7comm.param.userdata.subfunc'] !== '') pairs.push(['subfunction_code', text(row.subfunction_code), hex2(num(f['s7comm.param.userdata.subfunc']))]);
      }
      if (f['s7comm.param.errcod'] !== '') pairs.push(['error_code', text(row.error_code), hexMin2(num(f['s7comm.param.errcod']))]);
    } else {
      pairs.push(['function_code', text(row.function_code), f['s7comm.param.func'] === '' ? '-' : hex2(num(f['s7comm.param.func']))]);
      if (f['s7comm.header.errcls'] !== '') {
        pairs.push(['error_class', text(row.error_class), errorClassName(num(f['s7comm.header.errcls']))]);
        pairs.push(['error_code', text(row.error_code), hex2(num(f['s7comm.header.errcod']))]);
      }
    }
    check(ts7, `s7comm ${k}`, pairs);
    if (f['s7comm.data.userdata.szl_id'] !== '') {
      tszl.peerRecords++;
      const kz = next(`szl|${port}|${num(f['s7comm.header.pduref'])}`).slice(4);
      const z = szl.get(kz);
      if (z === undefined) tszl.differences.push(`s7comm_read_szl ${kz}: row missing in CraneWatch`);
      else {
        tszl.matched++;
        check(tszl, `s7comm_read_szl ${kz}`, [
          ['szl_id', text(z.szl_id), f['s7comm.data.userdata.szl_id']],
          ['szl_index', text(z.szl_index), f['s7comm.data.userdata.szl_index']],
          ['return_code', text(z.return_code), f['s7comm.data.returncode'] === '' ? '-' : hex2(num(f['s7comm.data.returncode']))],
        ]);
      }
    }
    const fn = f['s7comm.param.func'] === '' ? -1 : num(f['s7comm.param.func']);
    if ((rosctr === 1 || rosctr === 3) && fn >= 0x1a && fn <= 0x1f) {
      ttr.peerRecords++;
      const ku = next(`transfer|${port}|${num(f['s7comm.header.pduref'])}`).slice(9);
      const u = transfer.get(ku);
      if (u === undefined) ttr.differences.push(`s7comm_upload_download ${ku}: row missing in CraneWatch`);
      else {
        ttr.matched++;
        const p: Array<[string, string, string]> = [];
        const st = f['s7comm.param.blockcontrol.functionstatus'];
        p.push(['function_status', text(u.function_status), st === '' ? '-' : hex2(num(st))]);
        const sid = f['s7comm.data.blockcontrol.uploadid'];
        if (sid !== '') p.push(['session_id', text(u.session_id), String(num(sid))]);
        const name = f['s7comm.param.blockcontrol.filename'];
        if (name !== '') p.push(['filename', text(u.filename), name]);
        const lenStr = f['s7comm.param.blockcontrol.upl_lenstring'];
        if (lenStr !== '') p.push(['blocklength', text(u.blocklength), String(Number(lenStr))]);
        else if (rosctr === 3 && (fn === 0x1e || fn === 0x1b) && f['s7comm.data.length'] !== '') p.push(['blocklength', text(u.blocklength), String(num(f['s7comm.data.length']))]);
        check(ttr, `s7comm_upload_download ${ku}`, p);
      }
    }
  }
  return [tc.result(rel, 'cotp'), ts7.result(rel, 's7comm'), tszl.result(rel, 's7comm_read_szl'), ttr.result(rel, 's7comm_upload_download')];
}

/** Captures of the shared data CraneWatch sees S7 traffic in, or with a TCP flow on port 102, with their logs. */
async function candidates(sharedData: string): Promise<Array<[string, Logs]>> {
  const out: Array<[string, Logs]> = [];
  for (const rel of findCaptures(sharedData)) {
    const logs = await analyzeOne(join(sharedData, rel));
    const port102 = (logs.get('conn') ?? []).some((c) => c.proto === 'tcp' && (c['id.resp_p'] === 102 || c['id.orig_p'] === 102));
    if (port102 || (logs.get('cotp')?.length ?? 0) > 0) out.push([rel, logs]);
  }
  return out;
}

/**
 * S7comm agreement with ICSNPP's expected logs and with tshark (when installed) over the shared data.
 * @param sharedData root of the shared data folder
 * @returns `[icsnpp, tshark …]` (the tshark entry is absent when tshark does not run)
 */
export async function s7commConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const result: ProtocolAgreement[] = [await icsnppAgreement(sharedData)];
  const version = tsharkVersion();
  if (version === null) return result;
  const captures: CaptureAgreement[] = [];
  for (const [rel, logs] of await candidates(sharedData)) {
    const frames = tsharkFrames(join(sharedData, rel));
    if (frames.length === 0) continue;
    captures.push(...compareTshark(rel, frames, logs));
  }
  result.push({ protocol: 's7comm', peer: version, captures });
  return result;
}

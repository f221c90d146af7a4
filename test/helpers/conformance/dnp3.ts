/**
 * DNP3 conformance of CraneWatch's records with three peers:
 * - `zeek`: every Zeek btest baseline of zeek-ics-baselines with a dnp3.log, against its trace
 *   (`scripts.base.protocols.dnp3.<name>` ← `traces/dnp3/<name>.pcap`, `events` ← `dnp3.pcap`);
 * - `icsnpp`: the ICSNPP-DNP3 baseline (dnp3.log, dnp3_control.log, dnp3_objects.log) against dnp3_example.pcap;
 * - `tshark <version>`: every capture of the shared data that tshark dissects as DNP3 (the qut-dnp3
 *   attacker captures inside their zips included), application message for message (see tsharkAgreement).
 * Zeek / ICSNPP rows are matched by flow (the 4-tuple) and position within the flow (Zeek writes each
 * flow's rows in message order; uid and ts are masked by btest); the content columns are compared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { createProtocolAnalyzers } from '../../../src/protocols/registry.js';
import { checkLinkHeader, LinkHeaderStatus } from '../../../src/protocols/dnp3/link.js';
import { objectName, zeekFunctionName } from '../../../src/protocols/dnp3/names.js';
import { findCaptures } from '../capture-files.js';
import { cellText, readZeekLog, toZeekCell, type ZeekRow } from '../zeek-log.js';
import { readZip } from '../zip.js';
import type { CaptureAgreement, FieldAgreement, ProtocolAgreement } from './agreement.js';

/** Records of the DNP3 streams of one capture. */
type Streams = Map<string, LogRecord[]>;

const DNP3_STREAMS = new Set(['dnp3', 'dnp3_control', 'dnp3_objects', 'conn']);

/** CraneWatch's DNP3 records of one capture, by stream. */
async function cranewatchDnp3(file: string): Promise<Streams> {
  const out: Streams = new Map();
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (!DNP3_STREAMS.has(stream)) return;
      let l = out.get(stream);
      if (l === undefined) out.set(stream, (l = []));
      l.push(r);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink, analyzers: createProtocolAnalyzers() });
  return out;
}

const FLOW = (r: Readonly<Record<string, unknown>>): string => `${r['id.orig_h']}:${r['id.orig_p']}>${r['id.resp_h']}:${r['id.resp_p']}`;

/** Rows keyed `flow #n` (n-th row of the flow, from 0). */
function keyed<T extends Readonly<Record<string, unknown>>>(rows: readonly T[]): Map<string, T> {
  const n = new Map<string, number>();
  const out = new Map<string, T>();
  for (const r of rows) {
    const f = FLOW(r);
    const i = n.get(f) ?? 0;
    n.set(f, i + 1);
    out.set(`${f} #${i}`, r);
  }
  return out;
}

/** Compare one peer log with CraneWatch's records of the same stream on the content `fields`. */
function compareLog(capture: string, stream: string, peer: readonly ZeekRow[], ours: readonly LogRecord[], fields: readonly string[]): CaptureAgreement {
  const p = keyed(peer);
  const o = keyed(ours);
  const counts = fields.map((f) => ({ field: f, compared: 0, agreed: 0 }));
  const differences: string[] = [];
  let matched = 0;
  let agreed = 0;
  for (const [key, pr] of p) {
    const or = o.get(key);
    if (or === undefined) {
      differences.push(`${key}: no CraneWatch record`);
      continue;
    }
    matched++;
    let all = true;
    fields.forEach((f, i) => {
      const pv = cellText(pr[f] ?? null);
      const ov = cellText(toZeekCell(or[f]));
      counts[i].compared++;
      if (pv === ov) counts[i].agreed++;
      else {
        all = false;
        differences.push(`${key}: ${f} cw=${ov} peer=${pv}`);
      }
    });
    if (all) agreed++;
  }
  for (const key of o.keys()) if (!p.has(key)) differences.push(`${key}: CraneWatch record the peer lacks`);
  const fieldAgreement: FieldAgreement[] = counts;
  return { capture, stream, peerRecords: p.size, matched, agreed, fields: fieldAgreement, differences };
}

const DNP3_FIELDS = ['fc_request', 'fc_reply', 'iin'] as const;
const SOURCE_FIELDS = ['is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p'] as const;
const CONTROL_FIELDS = [...SOURCE_FIELDS, 'block_type', 'function_code', 'index_number', 'trip_control_code', 'operation_type', 'clear_bit', 'execute_count', 'on_time', 'off_time', 'status_code'] as const;
const OBJECTS_FIELDS = [...SOURCE_FIELDS, 'function_code', 'object_type', 'object_count', 'range_low', 'range_high'] as const;

/** Zeek's DNP3 baselines of the shared data (those with a dnp3.log) and their traces. */
function zeekDnp3Pairs(sharedData: string): { baseline: string; trace: string }[] {
  const base = join(sharedData, 'zeek-ics-baselines', 'baseline');
  if (!existsSync(base)) return [];
  const out: { baseline: string; trace: string }[] = [];
  for (const d of readdirSync(base).sort()) {
    if (!d.startsWith('scripts.base.protocols.dnp3.')) continue;
    const log = join(base, d, 'dnp3.log');
    const name = d.slice('scripts.base.protocols.dnp3.'.length);
    const trace = join(sharedData, 'zeek-ics-baselines', 'traces', 'dnp3', `${name === 'events' ? 'dnp3' : name}.pcap`);
    if (existsSync(log) && existsSync(trace)) out.push({ baseline: relative(sharedData, log), trace: relative(sharedData, trace) });
  }
  return out;
}

/** Zeek peer: dnp3.log of every baseline. */
async function zeekAgreement(sharedData: string): Promise<ProtocolAgreement> {
  const captures: CaptureAgreement[] = [];
  for (const { baseline, trace } of zeekDnp3Pairs(sharedData)) {
    const ours = await cranewatchDnp3(join(sharedData, trace));
    captures.push(compareLog(trace, 'dnp3', readZeekLog(join(sharedData, baseline)).rows, ours.get('dnp3') ?? [], DNP3_FIELDS));
  }
  return { protocol: 'dnp3', peer: 'zeek', captures };
}

const ICSNPP_TRACE = 'icsnpp/dnp3/traces/dnp3_example.pcap';
const ICSNPP_BASE = 'icsnpp/dnp3/baseline/analyzer.basic';

/** ICSNPP peer: dnp3.log, dnp3_control.log and dnp3_objects.log of the analyzer.basic baseline. */
async function icsnppAgreement(sharedData: string): Promise<ProtocolAgreement> {
  const trace = join(sharedData, ICSNPP_TRACE);
  if (!existsSync(trace)) return { protocol: 'dnp3', peer: 'icsnpp', captures: [] };
  const ours = await cranewatchDnp3(trace);
  const captures: CaptureAgreement[] = [];
  const logs: [string, readonly string[]][] = [
    ['dnp3', DNP3_FIELDS],
    ['dnp3_control', CONTROL_FIELDS],
    ['dnp3_objects', OBJECTS_FIELDS],
  ];
  for (const [stream, fields] of logs) {
    const peer = readZeekLog(join(sharedData, ICSNPP_BASE, `${stream}.log`)).rows;
    captures.push(compareLog(ICSNPP_TRACE, stream, peer, ours.get(stream) ?? [], fields));
  }
  return { protocol: 'dnp3', peer: 'icsnpp', captures };
}

const CAPTURE_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);

/**
 * True when `b` holds a DNP3 link header with a good CRC somewhere (0x05 0x64, LENGTH ≥ 5, CRC-16/DNP of
 * the first 8 octets): the cheap pre-filter that picks the captures worth a tshark run (a chance match is
 * about 2^-32 per octet).
 */
function holdsLinkHeader(b: Uint8Array): boolean {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let p = buf.indexOf(0x05); p >= 0 && p + 10 <= buf.length; p = buf.indexOf(0x05, p + 1)) {
    if (buf[p + 1] === 0x64 && buf[p + 2] >= 5 && checkLinkHeader(b, p) === LinkHeaderStatus.Ok) return true;
  }
  return false;
}

/** Every capture of the shared data (zip members extracted under `tmp`) that holds a DNP3 link header. */
function dnp3Candidates(sharedData: string, tmp: string): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const rel of findCaptures(sharedData)) {
    const path = join(sharedData, rel);
    if (holdsLinkHeader(readFileSync(path))) out.push({ name: rel, path });
  }
  const walk = (dir: string, acc: string[]): string[] => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, acc);
      else if (n.toLowerCase().endsWith('.zip')) acc.push(p);
    }
    return acc;
  };
  for (const zip of walk(sharedData, [])) {
    for (const e of readZip(zip)) {
      if (e.data.length < 4 || !CAPTURE_MAGICS.has(new DataView(e.data.buffer, e.data.byteOffset, 4).getUint32(0))) continue;
      if (!holdsLinkHeader(e.data)) continue;
      const path = join(tmp, `${out.length}-${e.name.replace(/[^\w.-]/g, '_')}`);
      writeFileSync(path, e.data);
      out.push({ name: `${relative(sharedData, zip)}:${e.name}`, path });
    }
  }
  return out;
}

/** One frame of tshark's DNP3 dissection: the application messages that completed in it. */
interface TsharkFrame {
  frame: number;
  /** Microseconds since the epoch. */
  us: number;
  /** Connection key: both endpoints, sorted. */
  conn: string;
  /** Sender endpoint. */
  src: string;
  funcs: number[];
  iins: number[];
  objs: number[];
  /** TCP sequence number (raw) and payload length, -1 / 0 over UDP. */
  seq: number;
  len: number;
  /** tshark flagged the segment as a retransmission (its bytes were sent before). */
  retransmission: boolean;
  /** TCP payload as hex ('' over UDP). */
  payload: string;
}

const TSHARK_FIELDS = ['frame.number', 'frame.time_epoch', 'ip.src', 'ipv6.src', 'tcp.srcport', 'udp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'udp.dstport', 'dnp3.al.func', 'dnp3.al.iin', 'dnp3.al.obj', 'tcp.seq_raw', 'tcp.len', 'tcp.analysis.retransmission', 'tcp.payload'];

/** tshark's version line (`tshark 4.x.y`), or null when tshark does not run. */
function tsharkVersion(): string | null {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /TShark \(Wireshark\) ([\d.]+)/.exec(r.stdout);
  return `tshark ${m === null ? '?' : m[1]}`;
}

const list = (c: string | undefined): number[] => (c === undefined || c === '' ? [] : c.split(',').map(Number));
const first = (c: string | undefined): string => (c ?? '').split(',')[0];

function tsharkFrames(file: string): TsharkFrame[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', 'dnp3.al.func', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 29 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const out: TsharkFrame[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const src = `${first(c[2]) || first(c[3])}:${first(c[4]) || first(c[5])}`;
    const dst = `${first(c[6]) || first(c[7])}:${first(c[8]) || first(c[9])}`;
    out.push({
      frame: Number(c[0]),
      us: Math.round(Number(c[1]) * 1e6),
      conn: [src, dst].sort().join('|'),
      src,
      funcs: list(c[10]),
      iins: list(c[11]),
      objs: list(c[12]),
      seq: c[13] === undefined || c[13] === '' ? -1 : Number(first(c[13])),
      len: Number(first(c[14])) || 0,
      retransmission: (c[15] ?? '') !== '',
      payload: first(c[16]),
    });
  }
  return out;
}

/** How tshark's TCP segments relate to the byte stream TCP delivers (RFC 9293 §3.10.7.4), by frame number. */
interface SegmentFacts {
  /** Segments whose first octet an earlier segment of the same direction already supplied. */
  overlapped: Set<number>;
  /** Segments more than a maximum window (2^30, RFC 7323 §2.3) away from their direction's data. */
  outOfWindow: Set<number>;
  /** Per connection, segments of new octets that tshark flagged as a retransmission and did not dissect, in order. */
  skipped: Map<string, number[]>;
}

const MAX_WINDOW = 2 ** 30;

/** Signed distance a − b modulo 2^32. */
const seqDiff = (a: number, b: number): number => ((a - b) | 0);

/**
 * Every TCP segment with payload in `file`, classified against the octets its direction carried
 * before it: which octets each direction has covered is kept as merged intervals relative to its
 * first segment (segments out of any window are left out of them).
 */
function tsharkSegments(file: string): SegmentFacts {
  const fields = ['frame.number', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'tcp.seq_raw', 'tcp.len', 'tcp.analysis.retransmission', 'dnp3.al.func'];
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', 'tcp.len > 0', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 29 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const facts: SegmentFacts = { overlapped: new Set(), outOfWindow: new Set(), skipped: new Map() };
  const dirs = new Map<string, { base: number; spans: [number, number][] }>();
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const frame = Number(c[0]);
    const src = `${c[1] || c[2]}:${c[3]}`;
    const conn = [src, `${c[4] || c[5]}:${c[6]}`].sort().join('|');
    const seq = Number(c[7]);
    const len = Number(c[8]);
    const key = `${conn}|${src}`;
    let d = dirs.get(key);
    if (d === undefined) dirs.set(key, (d = { base: seq, spans: [] }));
    const from = seqDiff(seq, d.base);
    if (Math.abs(from) >= MAX_WINDOW) {
      facts.outOfWindow.add(frame);
      continue;
    }
    if (d.spans.some(([a, b]) => a <= from && from < b)) facts.overlapped.add(frame);
    else if (c[9] !== '' && c[10] === '') {
      const l = facts.skipped.get(conn);
      if (l === undefined) facts.skipped.set(conn, [frame]);
      else l.push(frame);
    }
    addSpan(d.spans, from, from + len);
  }
  return facts;
}

/** Add [a, b) to sorted disjoint `spans`, merging what it touches. */
function addSpan(spans: [number, number][], a: number, b: number): void {
  let i = 0;
  while (i < spans.length && spans[i][1] < a) i++;
  let j = i;
  while (j < spans.length && spans[j][0] <= b) {
    a = Math.min(a, spans[j][0]);
    b = Math.max(b, spans[j][1]);
    j++;
  }
  spans.splice(i, j - i, [a, b]);
}

function connOf(r: LogRecord): string {
  return [`${r['id.orig_h']}:${r['id.orig_p']}`, `${r['id.resp_h']}:${r['id.resp_p']}`].sort().join('|');
}

/** Our records of one stream grouped by `key(r)|µs` in emission order. */
function byMoment(rows: readonly LogRecord[], key: (r: LogRecord) => string): Map<string, LogRecord[]> {
  const m = new Map<string, LogRecord[]>();
  for (const r of rows) {
    const k = `${key(r)}|${Math.round((r.ts as number) * 1e6)}`;
    let l = m.get(k);
    if (l === undefined) m.set(k, (l = []));
    l.push(r);
  }
  return m;
}

const senderOf = (r: LogRecord): string => `${connOf(r)}|${r.source_h}:${r.source_p}`;

/**
 * Why a difference is the peer's error, with the unit test that shows it on the bytes: tshark 4.0 shows
 * no IIN for AUTHENTICATE_RESP (0x83), which carries one like every response (IEEE 1815-2012 §4.2.2.1).
 */
const TSHARK_NO_AUTH_IIN = 'tshark shows no IIN for AUTHENTICATE_RESP; see test/protocols/dnp3/peer-errors.test.ts';
/**
 * tshark dissects a TCP retransmission — a segment it flags itself as one, carrying the same sequence
 * number, length and bytes as a segment of the same direction it dissected before — as a new message;
 * the bytes were delivered once (RFC 9293 §3.10.7.4: a duplicate segment is dropped).
 */
const TSHARK_RETRANSMISSION = 'tshark dissects a retransmitted TCP segment (same sequence number and bytes) again; see test/protocols/dnp3/peer-errors.test.ts';
/**
 * tshark dissects a segment from its own first octet although an earlier segment of the same direction
 * already supplied that sequence number (with other octets): TCP keeps the first and processes only the
 * new part of a segment (RFC 9293 §3.10.7.4), so the message tshark shows is not in the byte stream.
 */
const TSHARK_OVERLAP = 'tshark dissects a segment whose first octets TCP already took from an earlier segment; see test/protocols/dnp3/peer-errors.test.ts';
/** tshark dissects a segment whose sequence number is out of any receive window (RFC 9293 §3.10.7.4 drops it). */
const TSHARK_OUT_OF_WINDOW = 'tshark dissects a segment out of any receive window; see test/protocols/dnp3/peer-errors.test.ts';
/** tshark flags new octets as a retransmission (after an out-of-window segment) and does not dissect the request they carry. */
const TSHARK_SKIPPED = 'tshark does not dissect new octets it flags as a retransmission; see test/protocols/dnp3/peer-errors.test.ts';
/** tshark leaves out a repeated FIR/FIN segment whose transport sequence number did not change (a retried request). */
const TSHARK_REPEAT = 'tshark skips a repeated segment with an unchanged transport sequence number; see test/protocols/dnp3/peer-errors.test.ts';

/** True when `got` is `want` followed by a repeat of `want`'s last messages (what a skipped retry leaves). */
function skippedRepeat(want: readonly number[], got: readonly number[]): boolean {
  if (got.length <= want.length) return false;
  const extra = got.length - want.length;
  if (extra > want.length) return false;
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) return false;
  for (let i = 0; i < extra; i++) if (got[want.length + i] !== want[want.length - extra + i]) return false;
  return true;
}

/**
 * tshark peer on one capture. Records compared:
 * - every response message tshark shows (function code ≥ 0x81) against the `dnp3` row written at the
 *   same moment (µs) in the same connection, or else (the session layer may hand a segment over later
 *   than the frame that carried it) the next unpaired row of the connection: `fc_reply` (tshark's code by Zeek's name),
 *   `iin`, and `fc_request` = the latest request tshark showed in the connection since its previous response,
 *   when both fell in the same CraneWatch connection (conn.log record: a 4-tuple reused after a RST or the
 *   inactivity timeout is a new connection, Zeek's rules, checked by the conn suite);
 * - the object types (group / variation) that ICSNPP names in the READ requests and RESPONSE messages
 *   one side completed at one moment, against the `dnp3_objects` rows that side wrote then (moments
 *   with a frame of several application messages are left out: tshark's fields do not say which
 *   message an object header belongs to).
 * A segment tshark flags as a retransmission with the sequence number, length and octets of one it
 * dissected before is left out of both (its messages are listed as accepted repeats); a message missing
 * from CraneWatch's records is accepted when `facts` shows it is not in the TCP byte stream (its first
 * octets came from an earlier segment, or it is out of any window), and an `fc_request` tshark leaves
 * empty when it skipped new octets it took for a retransmission since the previous response.
 */
function compareTshark(capture: string, frames: readonly TsharkFrame[], facts: SegmentFacts, ours: Streams): CaptureAgreement {
  const connAt = connectionIndex(ours.get('conn') ?? []);
  const replies = (ours.get('dnp3') ?? []).filter((r) => r.fc_reply !== null);
  const atMoment = byMoment(replies, connOf);
  const byConn = new Map<string, LogRecord[]>();
  for (const r of replies) {
    const l = byConn.get(connOf(r));
    if (l === undefined) byConn.set(connOf(r), [r]);
    else l.push(r);
  }
  const objs = byMoment(ours.get('dnp3_objects') ?? [], senderOf);
  const fields = { fc_reply: [0, 0], iin: [0, 0], fc_request: [0, 0], object_type: [0, 0] };
  const differences: string[] = [];
  // Latest request per connection (4-tuple) and the index of CraneWatch's connection it fell in.
  const pending = new Map<string, { fc: number; at: number }>();
  // Sequence number, length and bytes of every TCP segment tshark dissected, per sender.
  const seen = new Map<string, string>();
  let repeats = 0;
  // Object types per sender moment; null once a frame of several messages was seen there.
  const wanted = new Map<string, { frame: number; types: number[] } | null>();
  // tshark's responses with the request each should be paired with (Zeek's rule).
  const responses: { f: TsharkFrame; fc: number; iin: number | undefined; want: number | undefined; since: number; row: LogRecord | undefined }[] = [];
  // Frame of the latest response per connection.
  const lastReply = new Map<string, number>();
  for (const f of frames) {
    if (f.seq >= 0) {
      const segment = `${f.conn}|${f.src}|${f.seq}|${f.len}`;
      if (f.retransmission && seen.get(segment) === f.payload) {
        const what = f.funcs.filter((fc) => fc >= 0x80).map((fc) => `response ${fc}`);
        if (f.funcs.length === 1 && (f.funcs[0] === 0x01 || f.funcs[0] === 0x81) && f.objs.some((t) => objectName(t) !== null)) what.push('object types');
        for (const w of what) differences.push(`accepted: frame ${f.frame} ${f.conn}: ${w} in a repeat of the segment at sequence number ${f.seq}: ${TSHARK_RETRANSMISSION}`);
        repeats += what.length;
        continue;
      }
      seen.set(segment, f.payload);
    }
    const at = connAt(f.conn, f.us);
    let iin = 0;
    for (const fc of f.funcs) {
      if (fc < 0x80) {
        pending.set(f.conn, { fc, at });
        continue;
      }
      const p = pending.get(f.conn);
      responses.push({ f, fc, iin: fc === 0x83 ? undefined : f.iins[iin++], want: p !== undefined && p.at === at ? p.fc : undefined, since: lastReply.get(f.conn) ?? 0, row: undefined });
      lastReply.set(f.conn, f.frame);
      pending.delete(f.conn);
    }
    const key = `${f.conn}|${f.src}|${f.us}`;
    if (f.funcs.length > 1) {
      wanted.set(key, null);
      continue;
    }
    if (f.funcs[0] !== 0x01 && f.funcs[0] !== 0x81) continue;
    const w = wanted.get(key);
    if (w === null) continue;
    const types = f.objs.filter((t) => objectName(t) !== null);
    if (w === undefined) wanted.set(key, { frame: f.frame, types });
    else w.types.push(...types);
  }
  // Pair each tshark response with our row written at the same moment; the rest by rank in the connection.
  const consumed = new Set<LogRecord>();
  const taken = new Map<string, number>();
  for (const t of responses) {
    const m = `${t.f.conn}|${t.f.us}`;
    const list = atMoment.get(m) ?? [];
    const k = taken.get(m) ?? 0;
    if (k < list.length) {
      taken.set(m, k + 1);
      t.row = list[k];
      consumed.add(list[k]);
    }
  }
  const next = new Map<string, number>();
  for (const t of responses) {
    if (t.row !== undefined) continue;
    const list = byConn.get(t.f.conn) ?? [];
    let k = next.get(t.f.conn) ?? 0;
    while (k < list.length && consumed.has(list[k])) k++;
    if (k < list.length) {
      t.row = list[k];
      consumed.add(list[k]);
    }
    next.set(t.f.conn, k + 1);
  }
  let peer = repeats;
  let matched = repeats;
  let agreed = repeats;
  for (const t of responses) {
    peer++;
    const r = t.row;
    const where = `frame ${t.f.frame} ${t.f.conn}`;
    if (r === undefined) {
      const line = `${where}: response ${t.fc} without a dnp3 row`;
      const why = streamError(facts, t.f.frame);
      if (why === null) differences.push(line);
      else {
        matched++;
        agreed++;
        differences.push(`accepted: ${line}: ${why}`);
      }
      continue;
    }
    matched++;
    const checks: [keyof typeof fields, string, string][] = [
      ['fc_reply', String(r.fc_reply), zeekFunctionName(t.fc)],
      ['iin', String(r.iin), String(t.iin)],
      ['fc_request', String(r.fc_request ?? '-'), t.want === undefined ? '-' : zeekFunctionName(t.want)],
    ];
    let all = true;
    for (const [name, cw, pv] of checks) {
      fields[name][0]++;
      if (cw === pv) {
        fields[name][1]++;
        continue;
      }
      const line = `${where}: ${name} cw=${cw} peer=${pv}`;
      if (name === 'iin' && t.fc === 0x83 && t.iin === undefined) {
        differences.push(`accepted: ${line}: ${TSHARK_NO_AUTH_IIN}`);
        continue;
      }
      if (name === 'fc_request' && t.want === undefined) {
        const skipped = (facts.skipped.get(t.f.conn) ?? []).find((n) => n > t.since && n < t.f.frame);
        if (skipped !== undefined) {
          differences.push(`accepted: ${line} (frame ${skipped}): ${TSHARK_SKIPPED}`);
          continue;
        }
      }
      all = false;
      differences.push(line);
    }
    if (all) agreed++;
  }
  for (const [key, w] of wanted) {
    if (w === null || w.types.length === 0) continue;
    peer++;
    matched++;
    fields.object_type[0]++;
    const got = (objs.get(key) ?? []).map((r) => ((r.group as number) << 8) | (r.variation as number));
    if (w.types.join(',') === got.join(',')) {
      fields.object_type[1]++;
      agreed++;
    } else {
      const line = `frame ${w.frame} ${key}: object_type cw=${got.map(hex).join(',')} peer=${w.types.map(hex).join(',')}`;
      const why = skippedRepeat(w.types, got) ? TSHARK_REPEAT : got.length === 0 ? streamError(facts, w.frame) : null;
      if (why !== null) {
        fields.object_type[1]++;
        agreed++;
        differences.push(`accepted: ${line}: ${why}`);
      } else differences.push(line);
    }
  }
  return {
    capture,
    stream: 'dnp3+dnp3_objects',
    peerRecords: peer,
    matched,
    agreed,
    fields: Object.entries(fields).map(([field, [compared, ok]]) => ({ field, compared, agreed: ok })),
    differences,
  };
}

/**
 * Which of CraneWatch's connections (conn records of one 4-tuple, in start order) a moment (µs) falls
 * in: the last one that started at or before it, -1 before the first. A request and a response in
 * different connections of one 4-tuple (one ended by a RST or the inactivity timeout, Zeek's rules)
 * are not paired: dnp3.log's `fc_request` is per connection.
 */
function connectionIndex(conns: readonly LogRecord[]): (conn: string, us: number) => number {
  const starts = new Map<string, number[]>();
  for (const r of conns) {
    const k = connOf(r);
    const us = Math.round((r.ts as number) * 1e6);
    const l = starts.get(k);
    if (l === undefined) starts.set(k, [us]);
    else l.push(us);
  }
  for (const l of starts.values()) l.sort((a, b) => a - b);
  return (conn, us) => {
    const l = starts.get(conn);
    if (l === undefined) return -1;
    let i = -1;
    while (i + 1 < l.length && l[i + 1] <= us) i++;
    return i;
  };
}

/** Why tshark's message in `frame` is not in the TCP byte stream, or null when it is. */
function streamError(facts: SegmentFacts, frame: number): string | null {
  if (facts.overlapped.has(frame)) return TSHARK_OVERLAP;
  if (facts.outOfWindow.has(frame)) return TSHARK_OUT_OF_WINDOW;
  return null;
}

const hex = (t: number): string => `g${t >> 8}v${t & 0xff}`;

/** tshark peer over every DNP3 capture of the shared data, zip members included. */
async function tsharkAgreement(sharedData: string, version: string): Promise<ProtocolAgreement> {
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-dnp3-conformance-'));
  try {
    const captures: CaptureAgreement[] = [];
    for (const c of dnp3Candidates(sharedData, tmp)) {
      const frames = tsharkFrames(c.path);
      if (frames.length === 0) continue;
      captures.push(compareTshark(c.name, frames, tsharkSegments(c.path), await cranewatchDnp3(c.path)));
    }
    return { protocol: 'dnp3', peer: version, captures };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** All peers: Zeek and ICSNPP always (empty when their files are absent), tshark when it runs. */
export async function dnp3Conformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const out = [await zeekAgreement(sharedData), await icsnppAgreement(sharedData)];
  const version = tsharkVersion();
  if (version !== null) out.push(await tsharkAgreement(sharedData, version));
  return out;
}

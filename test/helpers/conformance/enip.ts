/**
 * EtherNet/IP + CIP conformance of CraneWatch against two peers:
 *
 * - `icsnpp`: the expected logs of ICSNPP's EtherNet/IP analyzer (icsnpp/enip/baseline, cut by
 *   `zeek-cut -n packet_correlation_id`, so headerless: columns are the schema's fields in order).
 *   Records are matched by connection 4-tuple and their order within it; every column but ts and
 *   uid is compared (timestamps are masked in the baselines). conn.log `service` is compared too.
 * - `tshark <version>`: every capture in the shared data that tshark dissects as EtherNet/IP
 *   (candidates: captures where CraneWatch logs an enip/cip/cip_io record or has a flow on port
 *   44818 or 2222). Records are matched by frame (time to the microsecond and sender address/port):
 *   - enip: the i-th encapsulation message of a frame; command, length, session, status, sender
 *     context, options.
 *   - cip: one record per frame carrying CIP. tshark also lists services it finds nested inside
 *     others (Unconnected Send) and takes class/instance of a response from its request, so each
 *     CraneWatch list (service code with direction, general status, extended status, class,
 *     instance, attribute, sequence count) must be an ordered subsequence of tshark's list for the frame.
 *   - cip_io: connection id, sequence number, data length and data of the I/O datagram.
 *   - cip_identity (ListIdentity items): vendor, device type, product code, revision, status,
 *     serial, product name, state.
 * Every disagreement is listed; none is accepted as a peer error (both peers agree fully on the
 * shared data; a future accepted one would carry `accepted:` and the unit test that shows the bytes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { CIP_IDENTITY_STREAM, CIP_IO_STREAM, CIP_STREAM, ENIP_STREAM } from '../../../src/protocols/enip/log.js';
import { encapStatusName } from '../../../src/protocols/enip/names.js';
import { findCaptures } from '../capture-files.js';
import { cellText, parseZeekLog, toZeekCell } from '../zeek-log.js';
import type { CaptureAgreement, FieldAgreement, ProtocolAgreement } from './agreement.js';

const STREAMS_BY_NAME = new Map([ENIP_STREAM, CIP_STREAM, CIP_IO_STREAM, CIP_IDENTITY_STREAM].map((s) => [s.name, s]));

/** The ICSNPP baselines in the shared data and the trace each was made from. */
const BASELINES: readonly { dir: string; trace: string }[] = [
  { dir: 'icsnpp/enip/baseline/analyzer.basic', trace: 'icsnpp/enip/traces/enip_cip_example.pcap' },
  { dir: 'icsnpp/enip/baseline/analyzer.set_attr_single_service', trace: 'icsnpp/enip/traces/set_attribute_single_service_cip.pcapng' },
  { dir: 'icsnpp/enip/baseline/analyzer.multiple_service_request', trace: 'icsnpp/enip/traces/multiple_service_packet_cip.pcapng' },
];

/** Folders searched for captures tshark dissects as EtherNet/IP. */
const TSHARK_ROOTS = ['icsnpp', 'iti-ics-pcaps', 'malcolm-pcap'];

type Records = Map<string, LogRecord[]>;

/** Every record CraneWatch writes for one capture, by stream. */
async function analyze(file: string): Promise<Records> {
  const out: Records = new Map();
  await analyzeCaptures([file], {
    sink: {
      write(stream, record) {
        let l = out.get(stream);
        if (l === undefined) out.set(stream, (l = []));
        l.push(record);
      },
      async close() {},
    },
  });
  return out;
}

/** The baselines' timestamp mask (btest diff-remove-timestamps), applied to CraneWatch text too. */
function mask(s: string): string {
  return s.replace(/(0\.000000)|([0-9]{9,10}\.[0-9]{2,8})/g, 'XXXXXXXXXX.XXXXXX');
}

function tupleKey(r: Readonly<Record<string, unknown>>): string {
  return `${String(r['id.orig_h'])}:${String(r['id.orig_p'])}-${String(r['id.resp_h'])}:${String(r['id.resp_p'])}`;
}

/** Records keyed by 4-tuple and their order within it (`tuple#n`). */
function keyed<T extends Readonly<Record<string, unknown>>>(rows: readonly T[]): Map<string, T> {
  const n = new Map<string, number>();
  const out = new Map<string, T>();
  for (const r of rows) {
    const t = tupleKey(r);
    const i = n.get(t) ?? 0;
    n.set(t, i + 1);
    out.set(`${t}#${i}`, r);
  }
  return out;
}

/** Field tallies of one comparison. */
class Tally {
  private readonly counts = new Map<string, { compared: number; agreed: number }>();
  readonly differences: string[] = [];
  peerRecords = 0;
  matched = 0;
  agreed = 0;

  constructor(private readonly stream: string) {}

  /** Count one field comparison; returns whether it agreed. */
  field(key: string, field: string, ok: boolean, cw: string, peer: string): boolean {
    let c = this.counts.get(field);
    if (c === undefined) this.counts.set(field, (c = { compared: 0, agreed: 0 }));
    c.compared++;
    if (ok) {
      c.agreed++;
      return true;
    }
    this.differences.push(`${key}: ${field} cw=${cw} peer=${peer}`);
    return false;
  }

  result(capture: string): CaptureAgreement {
    const fields: FieldAgreement[] = [...this.counts.entries()].map(([field, c]) => ({ field, compared: c.compared, agreed: c.agreed }));
    return { capture, stream: this.stream, peerRecords: this.peerRecords, matched: this.matched, agreed: this.agreed, fields, differences: this.differences };
  }
}

/** CraneWatch against the ICSNPP expected logs. */
async function icsnpp(sharedData: string): Promise<ProtocolAgreement> {
  const captures: CaptureAgreement[] = [];
  for (const b of BASELINES) {
    const dir = join(sharedData, b.dir);
    const trace = join(sharedData, b.trace);
    if (!existsSync(dir) || !existsSync(trace)) continue;
    const cw = await analyze(trace);
    for (const [name, schema] of STREAMS_BY_NAME) {
      const file = join(dir, `${name}.log`);
      if (!existsSync(file)) continue;
      const fields = schema.fields.map((f) => f.name);
      const peerRows = keyed(parseZeekLog(readFileSync(file, 'utf8'), { fields }).rows);
      const ours = keyed(cw.get(name) ?? []);
      const t = new Tally(name);
      for (const [key, p] of peerRows) {
        t.peerRecords++;
        const r = ours.get(key);
        if (r === undefined) {
          t.differences.push(`${key}: no CraneWatch record`);
          continue;
        }
        t.matched++;
        let all = true;
        for (const f of fields) {
          if (f === 'ts' || f === 'uid') continue;
          const a = mask(cellText(toZeekCell(r[f])));
          const e = cellText(p[f]);
          if (!t.field(key, f, a === e, a, e)) all = false;
        }
        if (all) t.agreed++;
      }
      for (const key of ours.keys()) if (!peerRows.has(key)) t.differences.push(`${key}: CraneWatch record the peer does not have`);
      captures.push(t.result(b.trace));
    }
    const connFile = join(dir, 'conn.log');
    if (existsSync(connFile)) {
      const peerConn = parseZeekLog(readFileSync(connFile, 'utf8')).rows;
      const ours = new Map((cw.get('conn') ?? []).map((r) => [tupleKey(r), r]));
      const t = new Tally('conn');
      for (const p of peerConn) {
        const key = tupleKey(p);
        t.peerRecords++;
        const r = ours.get(key);
        if (r === undefined) {
          t.differences.push(`${key}: no CraneWatch conn record`);
          continue;
        }
        t.matched++;
        const a = cellText(toZeekCell(r.service));
        const e = cellText(p.service);
        if (t.field(key, 'service', a === e, a, e)) t.agreed++;
      }
      captures.push(t.result(b.trace));
    }
  }
  return { protocol: 'enip', peer: 'icsnpp', captures };
}

/** tshark's version line, or null when tshark does not run here. */
function tsharkVersion(): string | null {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /TShark \(Wireshark\) (\S+)/.exec(r.stdout);
  return m === null ? 'unknown' : m[1];
}

const T_FIELDS = [
  'frame.time_epoch', 'ip.src', 'tcp.srcport', 'udp.srcport',
  'enip.command', 'enip.length', 'enip.session', 'enip.status', 'enip.context', 'enip.options',
  'cip.sc', 'cip.rr', 'cip.genstat', 'cip.addstat', 'cip.class', 'cip.instance', 'cip.attribute', 'cip.seq',
  'enip.cpf.sai.connid', 'enip.cpf.sai.seq', 'cipio.data',
  'enip.lir.vendor', 'enip.lir.devtype', 'enip.lir.prodcode', 'enip.lir.revision', 'enip.lir.status', 'enip.lir.serial', 'enip.lir.name', 'enip.lir.state',
] as const;
type TField = (typeof T_FIELDS)[number];

/** One frame tshark dissects as EtherNet/IP: every occurrence of each field. */
type TFrame = Record<TField, string[]>;

function tsharkFrames(file: string): TFrame[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', 'enip || cip || cipio', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|', ...T_FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const out: TFrame[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const f = {} as TFrame;
    T_FIELDS.forEach((name, i) => {
      f[name] = (c[i] ?? '') === '' ? [] : c[i].split('|');
    });
    out.push(f);
  }
  return out;
}

/** Frame key of a tshark frame and of a CraneWatch record: time to the microsecond, sender address and port. */
function frameKeyT(f: TFrame): string {
  return `${Number(f['frame.time_epoch'][0]).toFixed(6)}|${f['ip.src'][0] ?? ''}:${f['tcp.srcport'][0] ?? f['udp.srcport'][0] ?? ''}`;
}

function frameKeyR(r: LogRecord): string {
  return `${(r.ts as number).toFixed(6)}|${String(r.source_h)}:${String(r.source_p)}`;
}

function byFrame(rows: readonly LogRecord[] | undefined): Map<string, LogRecord[]> {
  const m = new Map<string, LogRecord[]>();
  for (const r of rows ?? []) {
    const k = frameKeyR(r);
    let l = m.get(k);
    if (l === undefined) m.set(k, (l = []));
    l.push(r);
  }
  return m;
}

/** Number of a tshark value (hex `0x…` or decimal); NaN when absent. */
function num(s: string | undefined): number {
  return s === undefined || s === '' ? NaN : Number(s);
}

/** Number of a CraneWatch hex or decimal text; NaN when unset. */
function cwNum(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'number' ? v : Number(v);
}

/** The list with runs of equal values collapsed (a Multiple Service Packet's rows repeat its sequence count). */
function distinctRuns(xs: readonly number[]): number[] {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}

/** True when `sub` is an ordered subsequence of `seq`. */
function subsequence(sub: readonly number[], seq: readonly number[]): boolean {
  let j = 0;
  for (const x of sub) {
    while (j < seq.length && seq[j] !== x) j++;
    if (j === seq.length) return false;
    j++;
  }
  return true;
}

/** Compare one capture's records with tshark's frames. */
function compareTshark(rel: string, cw: Records, frames: readonly TFrame[]): CaptureAgreement[] {
  const enip = new Tally('enip');
  const cip = new Tally('cip');
  const io = new Tally('cip_io');
  const id = new Tally('cip_identity');
  const enipBy = byFrame(cw.get('enip'));
  const cipBy = byFrame(cw.get('cip'));
  const ioBy = byFrame(cw.get('cip_io'));
  const idBy = byFrame((cw.get('cip_identity') ?? []).filter((r) => r.encapsulation_version !== null));
  /** Records of a key already paired with earlier frames of the same key (same microsecond and sender). */
  const used = new Map<string, number>();
  const take = (stream: string, key: string, n: number): number => {
    const k = `${stream}|${key}`;
    const at = used.get(k) ?? 0;
    used.set(k, at + n);
    return at;
  };
  const enipBySender = new Map<string, LogRecord[]>();
  for (const r of cw.get('enip') ?? []) {
    const k = `${String(r.source_h)}:${String(r.source_p)}`;
    let l = enipBySender.get(k);
    if (l === undefined) enipBySender.set(k, (l = []));
    l.push(r);
  }
  for (const f of frames) {
    const tkey = frameKeyT(f);
    const cmds = f['enip.command'];
    let key = tkey;
    if (cmds.length > 0 && !enipBy.has(key)) {
      // A message whose bytes the reassembler held back (e.g. after a gap at a mid-stream start) is logged
      // at the packet that released it: pair it with the sender's next record of the same command within 2 s.
      const t0 = Number(f['frame.time_epoch'][0]);
      const late = (enipBySender.get(tkey.slice(tkey.indexOf('|') + 1)) ?? []).find((r) => (r.ts as number) > t0 && (r.ts as number) - t0 < 2 && cwNum(r.enip_command_code) === num(cmds[0]));
      if (late !== undefined) key = frameKeyR(late);
    }
    const ours = enipBy.get(key) ?? [];
    const enipAt = take('enip', key, cmds.length);
    for (let i = 0; i < cmds.length; i++) {
      enip.peerRecords++;
      const r = ours[enipAt + i];
      const k = `${tkey}#${enipAt + i}`;
      if (r === undefined) {
        enip.differences.push(`${k}: no CraneWatch enip record`);
        continue;
      }
      enip.matched++;
      // tshark shows the first two context bytes of a ListIdentity request as "Max Response Delay" and the other six as the context.
      const tctx = (f['enip.context'][i] ?? '').replace(/:/g, '');
      const cwctx = num(cmds[i]) === 0x63 && tctx.length === 12 ? `0x${String(r.sender_context).slice(6)}` : String(r.sender_context);
      const ctx = `0x${tctx}`;
      const checks: [string, boolean, string, string][] = [
        ['enip_command_code', cwNum(r.enip_command_code) === num(cmds[i]), String(r.enip_command_code), cmds[i]],
        ['length', r.length === num(f['enip.length'][i]), String(r.length), f['enip.length'][i]],
        ['session_handle', cwNum(r.session_handle) === num(f['enip.session'][i]), String(r.session_handle), f['enip.session'][i]],
        ['enip_status', r.enip_status === encapStatusName(num(f['enip.status'][i])), String(r.enip_status), f['enip.status'][i]],
        ['sender_context', cwctx === ctx, String(r.sender_context), ctx],
        ['options', cwNum(r.options) === num(f['enip.options'][i]), String(r.options), f['enip.options'][i]],
      ];
      let all = true;
      for (const [field, ok, a, e] of checks) if (!enip.field(k, field, ok, a, e)) all = false;
      if (all) enip.agreed++;
    }
    if (f['cip.sc'].length > 0 && cmds.length > 0) {
      cip.peerRecords++;
      const rows = cipBy.get(key);
      if (rows === undefined) {
        cip.differences.push(`${key}: no CraneWatch cip record`);
      } else {
        cip.matched++;
        const sc = f['cip.sc'].map((s, i) => num(s) | (num(f['cip.rr'][i]) << 7));
        const lists: [string, number[], number[]][] = [
          ['cip_service_code', rows.map((r) => cwNum(r.cip_service_code) | (r.direction === 'response' ? 0x80 : 0)), sc],
          ['cip_status_code', rows.filter((r) => r.cip_status_code !== null).map((r) => cwNum(r.cip_status_code)), f['cip.genstat'].map(num)],
          ['cip_extended_status_code', rows.filter((r) => r.cip_extended_status_code !== null).map((r) => cwNum(r.cip_extended_status_code)), f['cip.addstat'].map(num)],
          ['class_id', rows.filter((r) => r.class_id !== null).map((r) => cwNum(r.class_id)), f['cip.class'].map(num)],
          ['instance_id', rows.filter((r) => r.instance_id !== null).map((r) => cwNum(r.instance_id)), f['cip.instance'].map(num)],
          ['attribute_id', rows.filter((r) => r.attribute_id !== null).map((r) => cwNum(r.attribute_id)), f['cip.attribute'].map(num)],
          ['cip_sequence_count', distinctRuns(rows.filter((r) => r.cip_sequence_count !== null).map((r) => cwNum(r.cip_sequence_count))), f['cip.seq'].map(num)],
        ];
        let all = true;
        for (const [field, a, e] of lists) if (!cip.field(key, field, subsequence(a, e), a.join(','), e.join(','))) all = false;
        if (all) cip.agreed++;
      }
    }
    if (f['cipio.data'].length > 0 || (f['enip.cpf.sai.connid'].length > 0 && cmds.length === 0)) {
      io.peerRecords++;
      const r = ioBy.get(key)?.[take('cip_io', key, 1)];
      if (r === undefined) {
        io.differences.push(`${key}: no CraneWatch cip_io record`);
      } else {
        io.matched++;
        const data = f['cipio.data'][0] ?? '';
        const checks: [string, boolean, string, string][] = [
          ['connection_id', cwNum(r.connection_id) === num(f['enip.cpf.sai.connid'][0]), String(r.connection_id), f['enip.cpf.sai.connid'][0]],
          ['sequence_number', r.sequence_number === num(f['enip.cpf.sai.seq'][0]), String(r.sequence_number), f['enip.cpf.sai.seq'][0]],
          ['data_length', r.data_length === data.length / 2, String(r.data_length), String(data.length / 2)],
          ['io_data', r.io_data === data, String(r.io_data), data],
        ];
        let all = true;
        for (const [field, ok, a, e] of checks) if (!io.field(key, field, ok, a, e)) all = false;
        if (all) io.agreed++;
      }
    }
    const vendors = f['enip.lir.vendor'];
    const ids = idBy.get(key) ?? [];
    const idAt = take('cip_identity', key, vendors.length);
    for (let i = 0; i < vendors.length; i++) {
      id.peerRecords++;
      const r = ids[idAt + i];
      const k = `${key}#${i}`;
      if (r === undefined) {
        id.differences.push(`${k}: no CraneWatch cip_identity record`);
        continue;
      }
      id.matched++;
      const rev = num(f['enip.lir.revision'][i]);
      const checks: [string, boolean, string, string][] = [
        ['vendor_id', r.vendor_id === num(vendors[i]), String(r.vendor_id), vendors[i]],
        ['device_type_id', r.device_type_id === num(f['enip.lir.devtype'][i]), String(r.device_type_id), f['enip.lir.devtype'][i]],
        ['product_code', r.product_code === num(f['enip.lir.prodcode'][i]), String(r.product_code), f['enip.lir.prodcode'][i]],
        ['revision', r.revision === `${rev >> 8}.${rev & 0xff}`, String(r.revision), f['enip.lir.revision'][i]],
        ['device_status', cwNum(r.device_status) === num(f['enip.lir.status'][i]), String(r.device_status), f['enip.lir.status'][i]],
        ['serial_number', cwNum(r.serial_number) === num(f['enip.lir.serial'][i]), String(r.serial_number), f['enip.lir.serial'][i]],
        ['product_name', r.product_name === f['enip.lir.name'][i], String(r.product_name), f['enip.lir.name'][i]],
        ['device_state', cwNum(r.device_state) === num(f['enip.lir.state'][i]), String(r.device_state), f['enip.lir.state'][i]],
      ];
      let all = true;
      for (const [field, ok, a, e] of checks) if (!id.field(k, field, ok, a, e)) all = false;
      if (all) id.agreed++;
    }
  }
  return [enip, cip, io, id].map((t) => t.result(rel)).filter((c) => c.peerRecords > 0);
}

/** True when CraneWatch saw EtherNet/IP in the capture or a flow on its ports. */
function candidate(cw: Records): boolean {
  if ((cw.get('enip')?.length ?? 0) + (cw.get('cip_io')?.length ?? 0) > 0) return true;
  return (cw.get('conn') ?? []).some((c) => [44818, 2222].includes(c['id.resp_p'] as number) || [44818, 2222].includes(c['id.orig_p'] as number));
}

/** CraneWatch against tshark on every shared capture tshark dissects as EtherNet/IP. */
async function tshark(sharedData: string, version: string): Promise<ProtocolAgreement> {
  const captures: CaptureAgreement[] = [];
  for (const root of TSHARK_ROOTS) {
    const dir = join(sharedData, root);
    if (!existsSync(dir)) continue;
    for (const rel of findCaptures(dir)) {
      const file = resolve(dir, rel);
      const cw = await analyze(file);
      if (!candidate(cw)) continue;
      captures.push(...compareTshark(join(root, rel), cw, tsharkFrames(file)));
    }
  }
  return { protocol: 'enip', peer: `tshark ${version}`, captures };
}

/**
 * One ProtocolAgreement per peer: ICSNPP's expected logs, and tshark when it is installed (left
 * out otherwise). Captures absent from `sharedData` are left out.
 */
export async function enipConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const out = [await icsnpp(sharedData)];
  const v = tsharkVersion();
  if (v !== null) out.push(await tshark(sharedData, v));
  return out;
}

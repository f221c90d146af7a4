/**
 * HTTP conformance of CraneWatch's `http` records with tshark, record for record per TCP connection:
 * on every capture of the shared data set that tshark dissects as HTTP (`tshark -Y http -c 1`) or in
 * which CraneWatch logs `http`, zipped captures included (extracted to a temporary folder); on two
 * digital-twin captures (TWIN_RUNS); and on a small capture of the RFC 9112 framing cases the twin does
 * not use (writeFramingCases).
 *
 * tshark prints a request and its response as separate frames (each at the frame that completes the
 * message, with its default TCP and HTTP reassembly). Per connection (`tcp.stream`), requests are
 * queued in frame order and each final response (status ≥ 200) is paired with the oldest waiting
 * request, an informational one (1xx) is held for the next final one — as RFC 9112 §9.3.2 pipelining
 * and Zeek's http.log do. Connections are keyed by their client-to-server 4-tuple; a 4-tuple reused by
 * several connections lists them in order. CraneWatch's `http` records of each flow, sorted by
 * `trans_depth` and concatenated in flow order for a 4-tuple, are compared with tshark's pairs in
 * order: method, Host, request target (uri), final status code and the 1xx code (`info_code`).
 *
 * Also home of the helpers every tshark-peered module of this folder shares: sharedCaptureTargets
 * (captures of the data set, zipped ones extracted) and tsharkVersion.
 * Zeek: the shared data set holds no Zeek http.log, so tshark is the peer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { FrameBuilder } from '../../../src/sim/net/frame-builder.js';
import { createHost } from '../../../src/sim/net/host.js';
import { CLIENT, SERVER, TcpConnection, type TcpSide } from '../../../src/sim/net/tcp-connection.js';
import { Prng } from '../../../src/sim/random.js';
import { generateTerminal, type TerminalOptions } from '../../../src/sim/terminal/terminal.js';
import { findCaptures } from '../capture-files.js';
import { readZip } from '../zip.js';
import type { CaptureAgreement, ProtocolAgreement } from './agreement.js';

const CAPTURE_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);
/** Separator of several occurrences of one field in a frame (pipelined messages); never in HTTP text. */
const AGG = '\u001f';
const FIELDS = ['tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'http.request.method', 'http.host', 'http.request.uri', 'http.response.code'];
/** tshark processes run at once during the candidate scan. */
const SCAN_PARALLEL = 4;

/** tshark's version number (e.g. `4.0.17`, from the first line of `tshark --version`), or null when tshark does not run. */
export function tsharkVersion(): string | null {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const first = r.stdout.split('\n')[0] ?? '';
  return /\b(\d+\.\d+\.\d+)\b/.exec(first)?.[1] ?? first;
}

/** One capture to compare: `name` relative to the data root (`archive.zip:entry` inside an archive), `path` to read. */
export interface CaptureTarget {
  name: string;
  path: string;
}

/**
 * Every capture under `root` (findCaptures, by magic number) and every pcap / pcapng inside a ZIP
 * archive there, extracted into `tmp` (which the caller removes). Errors: throws when an archive cannot be read.
 */
export function sharedCaptureTargets(root: string, tmp: string): CaptureTarget[] {
  const targets: CaptureTarget[] = findCaptures(root).map((rel) => ({ name: rel, path: join(root, rel) }));
  const walk = (dir: string, out: string[]): string[] => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, out);
      else if (n.toLowerCase().endsWith('.zip')) out.push(p);
    }
    return out;
  };
  for (const zip of walk(root, [])) {
    for (const e of readZip(zip)) {
      if (e.data.length < 4 || !CAPTURE_MAGICS.has(new DataView(e.data.buffer, e.data.byteOffset, 4).getUint32(0))) continue;
      const path = join(tmp, `${targets.length}-${e.name.replace(/[^\w.-]/g, '_')}`);
      writeFileSync(path, e.data);
      targets.push({ name: `${relative(root, zip)}:${e.name}`, path });
    }
  }
  return targets;
}

/** One request/response pair (either side may be missing), as compared. */
interface Pair {
  method: string | null;
  host: string | null;
  uri: string | null;
  status: number | null;
  info: number | null;
}

/** Run tshark; resolves with stdout (rejects on a non-zero exit). */
function tshark(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`tshark ${args.join(' ')}: ${Buffer.concat(err).toString('utf8')}`))));
  });
}

/** Does tshark dissect at least one frame of `file` as HTTP with its default settings? */
async function tsharkSeesHttp(file: string): Promise<boolean> {
  return (await tshark(['-n', '-r', file, '-Y', 'http', '-c', '1', '-T', 'fields', '-e', 'frame.number'])).trim() !== '';
}

/** tshark's request/response pairs per connection 4-tuple ("client:port>server:port"), in order. */
async function tsharkPairs(file: string): Promise<Map<string, Pair[]>> {
  const out = await tshark(['-n', '-r', file, '-Y', 'http', '-T', 'fields', '-E', 'separator=\t', '-E', `aggregator=${AGG}`, '-E', 'occurrence=a', ...FIELDS.flatMap((f) => ['-e', f])]);
  const streams = new Map<number, { key: string | null; pairs: Pair[]; waiting: Pair[]; info: number | null }>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const stream = Number(c[0]);
    const src = `${c[1] || c[2]}:${c[3]}`;
    const dst = `${c[4] || c[5]}:${c[6]}`;
    let s = streams.get(stream);
    if (s === undefined) streams.set(stream, (s = { key: null, pairs: [], waiting: [], info: null }));
    const list = (v: string): string[] => (v === '' ? [] : v.split(AGG));
    const methods = list(c[7]);
    const hosts = list(c[8]);
    const uris = list(c[9]);
    for (let i = 0; i < methods.length; i++) {
      s.key ??= `${src}>${dst}`;
      const q: Pair = { method: methods[i], host: hosts.length === methods.length ? hosts[i] : null, uri: uris[i] ?? null, status: null, info: null };
      s.pairs.push(q);
      s.waiting.push(q);
    }
    for (const code of list(c[10]).map(Number)) {
      s.key ??= `${dst}>${src}`;
      if (code < 200) {
        s.info = code;
        continue;
      }
      let q = s.waiting.shift();
      if (q === undefined) s.pairs.push((q = { method: null, host: null, uri: null, status: null, info: null }));
      q.status = code;
      q.info = s.info;
      s.info = null;
    }
  }
  const byKey = new Map<string, Pair[]>();
  for (const stream of [...streams.keys()].sort((a, b) => a - b)) {
    const s = streams.get(stream) as { key: string | null; pairs: Pair[] };
    const key = s.key as string;
    byKey.set(key, [...(byKey.get(key) ?? []), ...s.pairs]);
  }
  return byKey;
}

/** CraneWatch's `http` records as pairs per 4-tuple, flows in first-record order, each by trans_depth. */
async function cranewatchPairs(file: string): Promise<Map<string, Pair[]>> {
  const recs: LogRecord[] = [];
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (stream === 'http') recs.push(r);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  const byUid = new Map<string, LogRecord[]>();
  for (const r of recs) {
    const uid = r.uid as string;
    byUid.set(uid, [...(byUid.get(uid) ?? []), r]);
  }
  const flows = [...byUid.values()].map((rs) => rs.sort((a, b) => (a.trans_depth as number) - (b.trans_depth as number)));
  flows.sort((a, b) => Math.min(...a.map((r) => r.ts as number)) - Math.min(...b.map((r) => r.ts as number)));
  const byKey = new Map<string, Pair[]>();
  for (const rs of flows) {
    const r0 = rs[0];
    const key = `${r0['id.orig_h']}:${r0['id.orig_p']}>${r0['id.resp_h']}:${r0['id.resp_p']}`;
    const pairs = rs.map((r): Pair => ({ method: r.method as string | null, host: r.host as string | null, uri: r.uri as string | null, status: r.status_code as number | null, info: r.info_code as number | null }));
    byKey.set(key, [...(byKey.get(key) ?? []), ...pairs]);
  }
  return byKey;
}

/** Compared fields: http.log names and the Pair member holding each. */
const HTTP_FIELDS: readonly [string, keyof Pair][] = [
  ['method', 'method'],
  ['host', 'host'],
  ['uri', 'uri'],
  ['status_code', 'status'],
  ['info_code', 'info'],
];

/** One capture's comparison: the agreement, and the test's denominator. */
export interface HttpComparison {
  agreement: CaptureAgreement;
  /** Pairs of the larger side of each connection (a record either side lacks counts as a disagreement). */
  compared: number;
  /** CraneWatch `http` records. */
  cwRecords: number;
}

/**
 * Compare CraneWatch's `http` records with tshark's request/response pairs on `file`, reported as
 * capture `name`. Errors: rejects when tshark fails.
 */
export async function compareHttpCapture(name: string, file: string): Promise<HttpComparison> {
  const [ts, cw] = await Promise.all([tsharkPairs(file), cranewatchPairs(file)]);
  const counts = HTTP_FIELDS.map(([field]) => ({ field, compared: 0, agreed: 0 }));
  const differences: string[] = [];
  let peerRecords = 0;
  let cwRecords = 0;
  let matched = 0;
  let agreed = 0;
  let compared = 0;
  for (const key of new Set([...ts.keys(), ...cw.keys()])) {
    const a = ts.get(key) ?? [];
    const b = cw.get(key) ?? [];
    peerRecords += a.length;
    cwRecords += b.length;
    const n = Math.max(a.length, b.length);
    compared += n;
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x === undefined || y === undefined) {
        differences.push(`${key} #${i + 1}: ${x === undefined ? `no tshark pair, CraneWatch ${JSON.stringify(y)}` : `no CraneWatch record, tshark ${JSON.stringify(x)}`}`);
        continue;
      }
      matched++;
      let all = true;
      HTTP_FIELDS.forEach(([field, m], j) => {
        counts[j].compared++;
        if (x[m] === y[m]) counts[j].agreed++;
        else {
          all = false;
          differences.push(`${key} #${i + 1}: ${field} cw=${String(y[m])} peer=${String(x[m])}`);
        }
      });
      if (all) agreed++;
    }
  }
  return { agreement: { capture: name, stream: 'http', peerRecords, matched, agreed, fields: counts, differences }, compared, cwRecords };
}

/** Does CraneWatch log any `http` record for `file`? */
async function cranewatchSeesHttp(file: string): Promise<boolean> {
  let seen = false;
  const sink = {
    write(stream: string): void {
      if (stream === 'http') seen = true;
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  return seen;
}

/**
 * The comparison of every shared capture (zipped ones included) in which tshark or CraneWatch sees
 * HTTP, in target order; also how many captures were looked at. Errors: rejects when tshark fails.
 */
export async function httpSharedComparisons(sharedData: string): Promise<{ scanned: number; results: HttpComparison[] }> {
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-conformance-'));
  try {
    const targets = sharedCaptureTargets(sharedData, tmp);
    const seen: boolean[] = new Array<boolean>(targets.length).fill(false);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < targets.length) {
        const i = next++;
        seen[i] = await tsharkSeesHttp(targets[i].path);
      }
    };
    await Promise.all(Array.from({ length: SCAN_PARALLEL }, worker));
    for (let i = 0; i < targets.length; i++) if (!seen[i]) seen[i] = await cranewatchSeesHttp(targets[i].path);
    const results: HttpComparison[] = [];
    for (let i = 0; i < targets.length; i++) if (seen[i]) results.push(await compareHttpCapture(targets[i].name, targets[i].path));
    return { scanned: targets.length, results };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Twin runs compared: the plain 10-minute one, and an hour with container data sent out over HTTP (gzip and base64 bodies). */
export const TWIN_RUNS: readonly { name: string; opts: TerminalOptions }[] = [
  { name: 'twin (seed 1, 600 s, 2 cranes)', opts: { seed: 1, durationSec: 600, cranes: 2 } },
  {
    name: 'twin (seed 3, 3600 s, 2 cranes, container-exfil over HTTP)',
    opts: {
      seed: 3,
      durationSec: 3600,
      cranes: 2,
      scenarios: [
        { name: 'container-exfil', params: { channel: 'http', encoding: 'gzip', rate: 60 } },
        { name: 'container-exfil', params: { channel: 'http', encoding: 'base64', from: 'cms', start: 1500, duration: 600 } },
      ],
    },
  },
];

/** Write the digital twin's capture of `opts` to `file` (pcap, Ethernet). Errors: throws on I/O failure. */
export function writeTwinCapture(file: string, opts: TerminalOptions): void {
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  try {
    generateTerminal(w, opts);
  } finally {
    w.close();
  }
}

/**
 * One connection's worth of RFC 9112 framing cases, written with the twin's TCP model to `file`:
 * two pipelined requests in one segment (GET, then HEAD, whose 200 reply announces a Content-Length
 * but carries no body, §6.3 rule 1), a chunked POST with `Expect: 100-continue` answered by 100 then
 * a chunked 201 (§7.1), a 304 and a 204 without bodies, a request line split over three segments, and
 * a last request the server never answers before closing; then a second connection with a reply read
 * to the close (no Content-Length, §6.3 rule 8). Seven requests, six answered. Errors: throws on I/O failure.
 */
export function writeFramingCases(file: string): void {
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  try {
    const fb = new FrameBuilder(w);
    const rng = Prng.derive(5, 'http-framing');
    const client = createHost({ name: 'cms', mac: '02:00:00:00:00:01', ip: '10.20.0.5', stack: 'linux' }, rng);
    const server = createHost({ name: 'tos', mac: '02:00:00:00:00:02', ip: '10.20.0.9', stack: 'linux' }, rng);
    let ts = 1_767_225_600;
    const step = (): number => (ts += 0.001);
    const open = (port: number, sport: number): TcpConnection => {
      const c = new TcpConnection(fb, client, sport, server, port, rng);
      c.syn(step());
      c.synAck(step());
      c.ack(CLIENT, step());
      return c;
    };
    const send = (c: TcpConnection, side: TcpSide, ...parts: string[]): void => {
      for (const p of parts) {
        const b = Buffer.from(p, 'latin1');
        c.send(side, step(), b, 0, b.length);
      }
    };
    const c = open(80, 40001);
    send(c, CLIENT, 'GET /a?x=1 HTTP/1.1\r\nHost: tos.example\r\n\r\nHEAD /b HTTP/1.1\r\nHost: tos.example\r\n\r\n');
    send(c, SERVER, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
    send(c, CLIENT, 'POST /upload HTTP/1.1\r\nHost: tos.example\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n');
    send(c, SERVER, 'HTTP/1.1 100 Continue\r\n\r\n');
    send(c, CLIENT, '4\r\nabcd\r\n', '3;ext=1\r\nefg\r\n0\r\n\r\n');
    send(c, SERVER, 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n', '0\r\n\r\n');
    send(c, CLIENT, 'GET /c HTTP/1.1\r\nHost: tos.example\r\nIf-None-Match: "1"\r\n\r\n');
    send(c, SERVER, 'HTTP/1.1 304 Not Modified\r\nETag: "1"\r\n\r\n');
    send(c, CLIENT, 'DEL', 'ETE /d/1 HTTP/1.1\r\nHo', 'st: tos.example\r\n\r\n');
    send(c, SERVER, 'HTTP/1.1 204 No Content\r\n\r\n');
    send(c, CLIENT, 'GET /never HTTP/1.1\r\nHost: tos.example\r\n\r\n');
    c.fin(SERVER, step());
    c.fin(CLIENT, step());
    c.ack(SERVER, step());
    const e = open(80, 40002);
    send(e, CLIENT, 'GET /eof HTTP/1.0\r\nHost: tos.example\r\n\r\n');
    send(e, SERVER, 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nread ', 'to the close');
    e.fin(SERVER, step());
    e.fin(CLIENT, step());
    e.ack(SERVER, step());
  } finally {
    w.close();
  }
}

/**
 * HTTP conformance against tshark: the shared captures carrying HTTP, the twin runs (`twin:` names)
 * and the framing cases (`twin:framing cases`). `[]` when tshark is not installed. Errors: rejects
 * when tshark fails or a capture cannot be written to the temporary folder.
 */
export async function httpConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const version = tsharkVersion();
  if (version === null) return [];
  const shared = (await httpSharedComparisons(sharedData)).results.map((r) => r.agreement);
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-twin-'));
  try {
    const twin: CaptureAgreement[] = [];
    const pcap = join(tmp, 'twin.pcap');
    for (const run of TWIN_RUNS) {
      writeTwinCapture(pcap, run.opts);
      twin.push((await compareHttpCapture(`twin:${run.name}`, pcap)).agreement);
    }
    writeFramingCases(pcap);
    twin.push((await compareHttpCapture('twin:framing cases', pcap)).agreement);
    return [{ protocol: 'http', peer: `tshark ${version}`, captures: [...shared, ...twin] }];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

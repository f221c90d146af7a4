/**
 * HTTP conformance against tshark, record for record per TCP connection, on every capture of the
 * shared data set that tshark dissects as HTTP (`tshark -Y http -c 1`) or in which CraneWatch logs
 * `http`, zipped captures included (extracted to a temporary folder); on two digital-twin captures
 * (10 minutes, 2 cranes: the CMS, OCR and EDI hosts talk HTTP/1.1 to the TOS on ports 8080 and 4080;
 * and an hour with container data sent out over HTTP); and on a small capture of the framing cases
 * the twin does not use (pipelining, HEAD, 100 Continue, chunked bodies, 204 / 304, a start line
 * split over segments, a request never answered).
 *
 * tshark prints a request and its response as separate frames (each at the frame that completes the
 * message, with its default TCP and HTTP reassembly). Per connection (`tcp.stream`), requests are
 * queued in frame order and each final response (status ≥ 200) is paired with the oldest waiting
 * request, an informational one (1xx) is held for the next final one — as RFC 9112 §9.3.2 pipelining
 * and Zeek's http.log do. Connections are keyed by their client-to-server 4-tuple; a 4-tuple reused
 * by several connections lists them in order. CraneWatch's `http` records of each flow, sorted by
 * `trans_depth` and concatenated in flow order for a 4-tuple, are compared with tshark's pairs in
 * order: method, Host, request target (uri), final status code and the 1xx code (`info_code`).
 *
 * Zeek: the shared data set holds no Zeek http.log, so tshark is the peer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { FrameBuilder } from '../../src/sim/net/frame-builder.js';
import { createHost } from '../../src/sim/net/host.js';
import { CLIENT, SERVER, TcpConnection, type TcpSide } from '../../src/sim/net/tcp-connection.js';
import { Prng } from '../../src/sim/random.js';
import { generateTerminal, type TerminalOptions } from '../../src/sim/terminal/terminal.js';
import { findCaptures } from '../helpers/capture-files.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';
import { readZip } from '../helpers/zip.js';

const CAPTURE_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);
/** Separator of several occurrences of one field in a frame (pipelined messages); never in HTTP text. */
const AGG = '\u001f';
const FIELDS = ['tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'http.request.method', 'http.host', 'http.request.uri', 'http.response.code'];
/** tshark processes run at once during the candidate scan. */
const SCAN_PARALLEL = 4;

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

/** Comparison of one capture. */
interface CaptureResult {
  name: string;
  tsharkPairs: number;
  cwRecords: number;
  agreeing: number;
  /** Pairs of the larger side of each connection: the denominator. */
  compared: number;
  misses: string[];
}

async function compareCapture(name: string, file: string): Promise<CaptureResult> {
  const [ts, cw] = await Promise.all([tsharkPairs(file), cranewatchPairs(file)]);
  const res: CaptureResult = { name, tsharkPairs: 0, cwRecords: 0, agreeing: 0, compared: 0, misses: [] };
  for (const key of new Set([...ts.keys(), ...cw.keys()])) {
    const a = ts.get(key) ?? [];
    const b = cw.get(key) ?? [];
    res.tsharkPairs += a.length;
    res.cwRecords += b.length;
    const n = Math.max(a.length, b.length);
    res.compared += n;
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x !== undefined && y !== undefined && x.method === y.method && x.host === y.host && x.uri === y.uri && x.status === y.status && x.info === y.info) res.agreeing++;
      else if (res.misses.length < 20) res.misses.push(`${name} ${key} #${i + 1}: tshark ${JSON.stringify(x ?? null)} CraneWatch ${JSON.stringify(y ?? null)}`);
    }
  }
  return res;
}

function summary(r: CaptureResult): string {
  return `${r.name}: ${r.agreeing}/${r.compared} pairs agree (tshark ${r.tsharkPairs} pairs, CraneWatch ${r.cwRecords} http records)`;
}

/** Every capture of the shared data set, zipped ones extracted into `tmp`. */
function sharedTargets(tmp: string): { name: string; path: string }[] {
  const targets = findCaptures(SHARED_DATA).map((rel) => ({ name: rel, path: join(SHARED_DATA, rel) }));
  const walk = (dir: string, out: string[]): string[] => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, out);
      else if (n.toLowerCase().endsWith('.zip')) out.push(p);
    }
    return out;
  };
  for (const zip of walk(SHARED_DATA, [])) {
    for (const e of readZip(zip)) {
      if (e.data.length < 4 || !CAPTURE_MAGICS.has(new DataView(e.data.buffer, e.data.byteOffset, 4).getUint32(0))) continue;
      const path = join(tmp, `${targets.length}-${e.name.replace(/[^\w.-]/g, '_')}`);
      writeFileSync(path, e.data);
      targets.push({ name: `${relative(SHARED_DATA, zip)}:${e.name}`, path });
    }
  }
  return targets;
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

test('HTTP: CraneWatch http records agree with tshark pair for pair on every HTTP capture of the shared data', async (t) => {
  if (sharedFile(t, '.') === null || !haveTshark(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-conformance-'));
  try {
    const targets = sharedTargets(tmp);
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
    const results: CaptureResult[] = [];
    for (let i = 0; i < targets.length; i++) if (seen[i]) results.push(await compareCapture(targets[i].name, targets[i].path));
    if (results.length === 0) {
      t.diagnostic(`none of ${targets.length} captures (zipped ones included) carries HTTP for tshark or CraneWatch; the twin test compares`);
      return;
    }
    for (const r of results) t.diagnostic(summary(r));
    const agreeing = results.reduce((s, r) => s + r.agreeing, 0);
    const compared = results.reduce((s, r) => s + r.compared, 0);
    t.diagnostic(`overall: ${agreeing}/${compared} pairs agree (${((100 * agreeing) / compared).toFixed(2)} %) over ${results.length} captures`);
    const misses = results.flatMap((r) => r.misses);
    for (const m of misses) t.diagnostic(`differs: ${m}`);
    assert.equal(agreeing, compared, misses.join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** Twin runs compared: the plain 10-minute one, and an hour with container data sent out over HTTP (gzip and base64 bodies). */
const TWIN_RUNS: { name: string; opts: TerminalOptions }[] = [
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

test('HTTP: CraneWatch http records agree with tshark pair for pair on digital-twin captures', async (t) => {
  if (!haveTshark(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-twin-'));
  try {
    let agreeing = 0;
    let compared = 0;
    for (const run of TWIN_RUNS) {
      const pcap = join(tmp, 'twin.pcap');
      const w = PcapWriter.toFile(pcap, { linkType: LinkType.ETHERNET });
      try {
        generateTerminal(w, run.opts);
      } finally {
        w.close();
      }
      const r = await compareCapture(run.name, pcap);
      t.diagnostic(summary(r));
      for (const m of r.misses) t.diagnostic(`differs: ${m}`);
      assert.ok(r.tsharkPairs > 0, `tshark dissects HTTP in ${run.name}`);
      assert.equal(r.agreeing, r.compared, r.misses.join('\n'));
      agreeing += r.agreeing;
      compared += r.compared;
    }
    t.diagnostic(`overall: ${agreeing}/${compared} pairs agree (${((100 * agreeing) / compared).toFixed(2)} %) over ${TWIN_RUNS.length} twin captures`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * One connection's worth of RFC 9112 framing cases, written with the twin's TCP model to `file`:
 * two pipelined requests in one segment (GET, then HEAD, whose 200 reply announces a Content-Length
 * but carries no body, §6.3 rule 1), a chunked POST with `Expect: 100-continue` answered by 100 then
 * a chunked 201 (§7.1), a 304 and a 204 without bodies, a request line split over three segments, and
 * a last request the server never answers before closing; then a second connection with a reply read
 * to the close (no Content-Length, §6.3 rule 8).
 */
function writeFramingCases(file: string): void {
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

test('HTTP: CraneWatch http records agree with tshark pair for pair on pipelining, HEAD, 1xx, chunked, 204/304 and split lines', async (t) => {
  if (!haveTshark(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-framing-'));
  try {
    const pcap = join(tmp, 'framing.pcap');
    writeFramingCases(pcap);
    const r = await compareCapture('framing cases', pcap);
    t.diagnostic(summary(r));
    for (const m of r.misses) t.diagnostic(`differs: ${m}`);
    assert.equal(r.compared, 7, 'seven requests, six of them answered');
    assert.equal(r.agreeing, r.compared, r.misses.join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

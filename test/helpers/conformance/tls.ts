/**
 * TLS (`ssl`) conformance against tshark (its `tls` dissector, default settings) and, for the leaf
 * certificate's subject and issuer, OpenSSL (`openssl x509 -nameopt RFC2253,-esc_msb`, the printer
 * Zeek's x509 names come from) over the certificate bytes tshark extracts.
 *
 * Captures: every capture of the shared data set holding a TLS hello (a byte pre-scan for a handshake
 * record header followed by a ClientHello/ServerHello with a 3.x version picks the candidates; tshark
 * decides), plus digital-twin captures written here: two TLS 1.3 sessions of the twin's TlsSession (OpenSSL 3
 * profile with ALPN; minimal profile without), a TLS 1.2 ECDHE handshake with a two-certificate chain
 * (test/protocols/tls/build.ts), and whole-terminal runs with the container-exfil (HTTPS) and
 * cellular-modem scenarios (TWIN_RUNS). Captures inside the data set's zip archives are pre-scanned the same
 * way and compared from a temporary copy.
 *
 * One peer record per TCP connection (`tcp.stream`) with a ClientHello, keyed by the client's 4-tuple;
 * compared: server_name, version (supported_versions of the ServerHello, else its version), cipher
 * (tshark's number through CraneWatch's name table), curve (ServerHello key_share group or the
 * ServerKeyExchange named curve), next_protocol (the ServerHello's ALPN), ja3, ja3s, subject, issuer.
 * A connection whose ClientHello is not the first payload of the connection (tshark's relative ack
 * of the hello frame is not 1: the peer had sent other bytes first) is not TLS from its start; the
 * session layer only probes a flow's first payloads, as Zeek's DPD does, so such a connection is
 * listed as an `excluded:` line of its capture and compared in a second entry, `<capture> (fed from
 * the hello)`, by handing the analyzer the connection's bytes from each side's hello on (tshark's
 * `follow,tcp,raw`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { TlsStreamAnalyzer } from '../../../src/protocols/tls/analyzer.js';
import { cipherName, curveName, versionName } from '../../../src/protocols/tls/names.js';
import { FrameBuilder } from '../../../src/sim/net/frame-builder.js';
import { createHost } from '../../../src/sim/net/host.js';
import { CLIENT, SERVER, TcpConnection } from '../../../src/sim/net/tcp-connection.js';
import { Prng } from '../../../src/sim/random.js';
import { Scheduler } from '../../../src/sim/scheduler.js';
import { generateTerminal, type TerminalOptions } from '../../../src/sim/terminal/terminal.js';
import { TlsSession } from '../../../src/sim/tls/session.js';
import { FakeFlowContext } from '../../protocols/modbus/fake-context.js';
import { hexBytes, tls12Flights } from '../../protocols/tls/build.js';
import { CA_DER_HEX, LEAF_DER_HEX } from '../../protocols/tls/certs.js';
import { findCaptures } from '../capture-files.js';
import { readZip } from '../zip.js';
import type { CaptureAgreement, FieldAgreement, ProtocolAgreement } from './agreement.js';

/** Fields compared, CraneWatch `ssl` names. */
export const TLS_COMPARED_FIELDS = ['server_name', 'version', 'cipher', 'curve', 'next_protocol', 'ja3', 'ja3s', 'subject', 'issuer'] as const;
type Field = (typeof TLS_COMPARED_FIELDS)[number];
type Values = Record<Field, string | null>;

const AGG = '\u001f';
/** Capture magic numbers (pcap both byte orders and resolutions, pcapng), for zip entries. */
const CAPTURE_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);
const TSHARK_FIELDS = [
  'tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'tcp.ack', 'tls.handshake.type',
  'tls.handshake.extensions_server_name', 'tls.handshake.version', 'tls.handshake.extensions.supported_version',
  'tls.handshake.ciphersuite', 'tls.handshake.extensions_key_share_group', 'tls.handshake.server_named_curve',
  'tls.handshake.extensions_alpn_str', 'tls.handshake.ja3', 'tls.handshake.ja3s', 'tls.handshake.certificate', 'tcp.seq',
];

/** tshark's version line, e.g. `tshark 4.0.17`. */
function tsharkPeer(): string {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  const m = /TShark \(Wireshark\) (\S+)/.exec(r.stdout ?? '');
  return m === null ? 'tshark' : `tshark ${m[1]}`;
}

/** Do the bytes contain a handshake record header followed by a hello with a 3.x version (cheap pre-scan)? */
function mayHoldTlsHello(b: Buffer): boolean {
  for (let i = b.indexOf(0x16); i >= 0 && i + 11 <= b.length; i = b.indexOf(0x16, i + 1)) {
    if (b[i + 1] === 3 && b[i + 2] <= 4 && (b[i + 5] === 1 || b[i + 5] === 2) && b[i + 9] === 3 && b[i + 10] <= 4) return true;
  }
  return false;
}

/** Every `.zip` file under `root` (recursive), sorted. */
function findZips(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && name.toLowerCase().endsWith('.zip')) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Subject and issuer of a DER certificate by OpenSSL's RFC 2253 printer, or null when openssl is absent or fails. */
function opensslNames(derHex: string): { subject: string; issuer: string } | null {
  const r = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb'], { input: Buffer.from(derHex.replace(/:/g, ''), 'hex') });
  if (r.status !== 0) return null;
  const out = r.stdout.toString('utf8');
  const s = /^subject=(.*)$/m.exec(out);
  const i = /^issuer=(.*)$/m.exec(out);
  return s === null || i === null ? null : { subject: s[1], issuer: i[1] };
}

/** A peer record (values) with its 4-tuple key, or an exclusion. */
interface PeerConn {
  /** tshark's tcp.stream. */
  stream: number;
  /** Client `ip:port` > server `ip:port`. */
  key: string;
  client: string;
  excluded: boolean;
  /** Relative sequence numbers of the ClientHello and ServerHello frames (-1: no ServerHello). */
  chSeq: number;
  shSeq: number;
  values: Values;
}

/** tshark's view: one entry per connection with a ClientHello, in stream order. */
function tsharkConnections(file: string): PeerConn[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', 'tls.handshake', '-T', 'fields', '-E', 'separator=\t', '-E', `aggregator=${AGG}`, '-E', 'occurrence=a', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const streams = new Map<number, PeerConn>();
  const first = (v: string): string | null => (v === '' ? null : v.split(AGG)[0]);
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const stream = Number(c[0]);
    const types = c[8].split(AGG);
    const src = `${c[1] || c[2]}:${c[3]}`;
    const dst = `${c[4] || c[5]}:${c[6]}`;
    let conn = streams.get(stream);
    if (types.includes('1') && conn === undefined) {
      const values: Values = { server_name: first(c[9]), version: null, cipher: null, curve: null, next_protocol: null, ja3: first(c[16]), ja3s: null, subject: null, issuer: null };
      conn = { stream, key: `${src}>${dst}`, client: src, excluded: c[7] !== '1', chSeq: Number(c[19]), shSeq: -1, values };
      streams.set(stream, conn);
      continue;
    }
    if (conn === undefined) continue;
    const v = conn.values;
    if (types.includes('2') && v.version === null) {
      conn.shSeq = Number(c[19]);
      const sv = first(c[11]);
      v.version = versionName(Number(sv ?? first(c[10])));
      v.cipher = cipherName(Number(first(c[12])));
      const ks = first(c[13]);
      if (ks !== null) v.curve = curveName(Number(ks));
      v.next_protocol = first(c[15]);
      v.ja3s = first(c[17]);
    }
    const named = first(c[14]);
    if (types.includes('12') && named !== null && v.curve === null) v.curve = curveName(Number(named));
    const cert = first(c[18]);
    if (types.includes('11') && cert !== null && v.subject === null) {
      const names = opensslNames(cert);
      if (names !== null) {
        v.subject = names.subject;
        v.issuer = names.issuer;
      }
    }
  }
  return [...streams.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/**
 * The analyzer fed directly with a connection's bytes from its hellos on (tshark `follow,tcp,raw`: one hex
 * line per segment, the second node's lines indented), for connections whose hello is not their first
 * payload; the `ssl` record it writes, or null.
 */
function directRecord(file: string, p: PeerConn): LogRecord | null {
  const r = spawnSync('tshark', ['-n', '-r', file, '-q', '-z', `follow,tcp,raw,${p.stream}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return null;
  const node0 = /^Node 0: (.*)$/m.exec(r.stdout)?.[1];
  const body = r.stdout.split(/^Node 1: .*$/m)[1] ?? '';
  const ctx = new FakeFlowContext('CDirect');
  const a = new TlsStreamAnalyzer(ctx);
  const pos = [0, 0];
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('=')) continue;
    const isNode0 = !line.startsWith('\t');
    const isClient = (node0 === p.client) === isNode0;
    const bytes = Buffer.from(line.trim(), 'hex');
    const side = isClient ? 0 : 1;
    const from = (isClient ? p.chSeq : p.shSeq) - 1;
    const at = pos[side];
    pos[side] += bytes.length;
    if (from < 0 || at + bytes.length <= from) continue;
    a.deliver(isClient, bytes.subarray(Math.max(0, from - at)), 0);
    if (a.done) break;
  }
  a.end(0);
  return ctx.stream('ssl')[0] ?? null;
}

/** CraneWatch's `ssl` records keyed by the client's 4-tuple (the originator's unless ssl_history starts with ^), in time order. */
async function cranewatchRecords(file: string): Promise<Map<string, LogRecord[]>> {
  const recs: LogRecord[] = [];
  await analyzeCaptures([file], {
    sink: {
      write(stream: string, r: LogRecord): void {
        if (stream === 'ssl') recs.push(r);
      },
      async close(): Promise<void> {},
    },
  });
  recs.sort((a, b) => (a.ts as number) - (b.ts as number));
  const byKey = new Map<string, LogRecord[]>();
  for (const r of recs) {
    const o = `${r['id.orig_h']}:${r['id.orig_p']}`;
    const p = `${r['id.resp_h']}:${r['id.resp_p']}`;
    const key = String(r.ssl_history).startsWith('^') ? `${p}>${o}` : `${o}>${p}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return byKey;
}

/** Compare one capture: connections TLS from their start through the whole pipeline (`direct` false), the others by feeding the analyzer from their hellos. */
async function compareCapture(file: string, name: string, direct = false): Promise<CaptureAgreement> {
  const peer = tsharkConnections(file).filter((p) => p.excluded === direct);
  let cw: Map<string, LogRecord[]>;
  if (direct) {
    cw = new Map();
    for (const p of peer) {
      const r = directRecord(file, p);
      if (r !== null) cw.set(p.key, [r]);
    }
  } else cw = await cranewatchRecords(file);
  const fields = new Map<Field, { compared: number; agreed: number }>(TLS_COMPARED_FIELDS.map((f) => [f, { compared: 0, agreed: 0 }]));
  const differences: string[] = [];
  let peerRecords = 0;
  let matched = 0;
  let agreed = 0;
  for (const p of peer) {
    peerRecords++;
    const list = cw.get(p.key);
    const r = list?.shift();
    if (r === undefined) {
      differences.push(`${p.key}: no CraneWatch ssl record`);
      continue;
    }
    matched++;
    let all = true;
    for (const f of TLS_COMPARED_FIELDS) {
      const fa = fields.get(f) as { compared: number; agreed: number };
      fa.compared++;
      const mine = (r[f] ?? null) as string | null;
      if (mine === p.values[f]) fa.agreed++;
      else {
        all = false;
        differences.push(`${p.key}: ${f} cw=${mine} peer=${p.values[f]}`);
      }
    }
    if (all) agreed++;
  }
  for (const [key, rest] of cw) for (let i = 0; i < rest.length; i++) differences.push(`extra: ${key}: CraneWatch ssl record tshark does not show`);
  if (!direct) for (const p of tsharkConnections(file)) if (p.excluded) differences.push(`excluded: ${p.key}: ClientHello is not the connection's first payload (compared in "${name} (fed from the hello)")`);
  const fieldList: FieldAgreement[] = TLS_COMPARED_FIELDS.map((f) => ({ field: f, ...(fields.get(f) as { compared: number; agreed: number }) }));
  return { capture: name, stream: 'ssl', peerRecords, matched, agreed, fields: fieldList, differences };
}

/** Whole-terminal twin runs with TLS flows (what `cranewatch simulate --scenario …` writes). */
const TWIN_RUNS: ReadonlyArray<readonly [string, TerminalOptions]> = [
  ['twin:container-exfil https (seed 1, 1200 s, 2 cranes)', { seed: 1, durationSec: 1200, cranes: 2, scenarios: [{ name: 'container-exfil', params: { channel: 'https', start: 60, duration: 600 } }] }],
  ['twin:cellular-modem (seed 2, 2400 s, 1 crane)', { seed: 2, durationSec: 2400, cranes: 1, scenarios: [{ name: 'cellular-modem', params: {} }] }],
];

/** Writes the twin's TLS captures into `dir`; returns [path, name] pairs. */
function writeTwinCaptures(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const sessions = join(dir, 'tls13-sessions.pcap');
  const w = PcapWriter.toFile(sessions, { linkType: LinkType.ETHERNET });
  try {
    const fb = new FrameBuilder(w);
    const client = createHost({ name: 'ocr', mac: '02:00:00:00:00:0a', ip: '10.21.0.10', stack: 'linux' }, new Prng(1));
    const server = createHost({ name: 'cloud', mac: '02:00:00:00:00:01', ip: '203.0.113.57', stack: 'linux', ttl: 52 }, new Prng(2));
    const s = new Scheduler();
    s.add(new TlsSession(fb, client, server, new Prng(7), { connectTs: 1_767_225_600, clientPort: 51000, serverName: 'upload.vendor-cloud.example', exchanges: [{ gapSec: 0.05, requestBytes: 40_000, responseBytes: 200 }] }));
    s.add(new TlsSession(fb, client, server, new Prng(8), { connectTs: 1_767_225_700, clientPort: 51001, serverName: 'telemetry.example', profile: 'minimal', alpn: [], exchanges: [{ gapSec: 0.05, requestBytes: 900, responseBytes: 0 }] }));
    s.run(Infinity);
  } finally {
    w.close();
  }
  out.push([sessions, 'twin:tls13-sessions']);
  const tls12 = join(dir, 'tls12-certificate.pcap');
  const w2 = PcapWriter.toFile(tls12, { linkType: LinkType.ETHERNET });
  try {
    const fb = new FrameBuilder(w2);
    const rng = new Prng(3);
    const client = createHost({ name: 'cms', mac: '02:00:00:00:00:0b', ip: '10.20.0.5', stack: 'linux' }, rng);
    const server = createHost({ name: 'tos', mac: '02:00:00:00:00:0c', ip: '10.20.0.9', stack: 'linux' }, rng);
    const f = tls12Flights('tos.terminal.example', [hexBytes(LEAF_DER_HEX), hexBytes(CA_DER_HEX)]);
    let ts = 1_767_225_800;
    const c = new TcpConnection(fb, client, 40443, server, 443, rng);
    c.syn((ts += 0.001));
    c.synAck((ts += 0.001));
    c.ack(CLIENT, (ts += 0.001));
    for (const [side, bytes] of [[CLIENT, f.clientHello], [SERVER, f.serverFlight], [CLIENT, f.clientFinish], [SERVER, f.serverFinish], [CLIENT, f.appData]] as const) c.send(side, (ts += 0.001), bytes, 0, bytes.length);
    c.fin(CLIENT, (ts += 0.001));
    c.fin(SERVER, (ts += 0.001));
    c.ack(CLIENT, (ts += 0.001));
  } finally {
    w2.close();
  }
  out.push([tls12, 'twin:tls12-certificate']);
  for (const [name, opts] of TWIN_RUNS) {
    const file = join(dir, `${out.length}.pcap`);
    const w3 = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
    try {
      generateTerminal(w3, opts);
    } finally {
      w3.close();
    }
    out.push([file, name]);
  }
  return out;
}

/** TLS conformance of every shared capture with a TLS hello and of the twin captures, against tshark (+ OpenSSL for names). */
export async function tlsConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const captures: CaptureAgreement[] = [];
  for (const rel of findCaptures(sharedData)) {
    const file = join(sharedData, rel);
    if (!mayHoldTlsHello(readFileSync(file))) continue;
    const res = await compareCapture(file, relative(sharedData, file));
    if (res.peerRecords > 0 || res.differences.length > 0) captures.push(res);
    const fed = await compareCapture(file, `${relative(sharedData, file)} (fed from the hello)`, true);
    if (fed.peerRecords > 0) captures.push(fed);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cw-tls-conf-'));
  try {
    for (const zip of findZips(sharedData)) {
      for (const e of readZip(zip)) {
        const bytes = Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
        if (bytes.length < 4 || !CAPTURE_MAGICS.has(bytes.readUInt32BE(0)) || !mayHoldTlsHello(bytes)) continue;
        const file = join(dir, `zip-${captures.length}.pcap`);
        writeFileSync(file, bytes);
        const res = await compareCapture(file, `${relative(sharedData, zip)}:${e.name}`);
        if (res.peerRecords > 0 || res.differences.length > 0) captures.push(res);
      }
    }
    for (const [file, name] of writeTwinCaptures(dir)) captures.push(await compareCapture(file, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [{ protocol: 'ssl', peer: `${tsharkPeer()} + openssl`, captures }];
}

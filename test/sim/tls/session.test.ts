import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { FrameBuilder } from '../../../src/sim/net/frame-builder.js';
import { createHost } from '../../../src/sim/net/host.js';
import { Prng } from '../../../src/sim/random.js';
import { Scheduler } from '../../../src/sim/scheduler.js';
import { clientHello, TLS13_RECORD_OVERHEAD, writeApplicationData } from '../../../src/sim/tls/records.js';
import { TlsSession, type TlsSessionOptions } from '../../../src/sim/tls/session.js';
import { haveTshark, tsharkFields, tsharkProblems } from '../tshark.js';
import { hex, parseFrame, Recorder, replayTcp } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CLIENT_IP = '10.21.0.10';
const SNI = 'telemetry.vendor-cloud.example';

/** TLS records of a byte stream: [content type, fragment length] (independent parser, RFC 8446 §5.1). */
function records(stream: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let o = 0;
  while (o < stream.length) {
    const len = (stream[o + 3] << 8) | stream[o + 4];
    out.push([stream[o], len]);
    o += 5 + len;
  }
  assert.equal(o, stream.length, 'stream ends on a record boundary');
  return out;
}

/** Extension types of a ClientHello record, in order. */
function extensionTypes(rec: Uint8Array): { suites: number; types: number[]; alpn: string[]; sni: string } {
  const v = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  let o = 5 + 4 + 2 + 32; // record header, handshake header, legacy_version, random
  o += 1 + rec[o]; // session id
  const suites = v.getUint16(o) / 2;
  o += 2 + v.getUint16(o);
  o += 1 + rec[o]; // compression methods
  const end = o + 2 + v.getUint16(o);
  o += 2;
  const types: number[] = [];
  const alpn: string[] = [];
  let sni = '';
  while (o < end) {
    const type = v.getUint16(o);
    const len = v.getUint16(o + 2);
    types.push(type);
    if (type === 0) sni = Buffer.from(rec.subarray(o + 9, o + 4 + len)).toString('latin1');
    if (type === 16) for (let p = o + 6; p < o + 4 + len; p += 1 + rec[p]) alpn.push(Buffer.from(rec.subarray(p + 1, p + 1 + rec[p])).toString('latin1'));
    o += 4 + len;
  }
  assert.equal(o, end);
  assert.equal(v.getUint16(3), rec.length - 5, 'record length');
  assert.equal((rec[6] << 16) | (rec[7] << 8) | rec[8], rec.length - 9, 'handshake length');
  return { suites, types, alpn, sni };
}

test('ClientHello profiles: minimal (unchanged) and OpenSSL 3 with ALPN (RFC 8446 §4.1.2, RFC 7301)', () => {
  const minimal = clientHello(new Prng(1), SNI).record;
  assert.equal(minimal.length, 170 + SNI.length);
  assert.deepEqual(extensionTypes(minimal), { suites: 3, types: [0, 10, 13, 43, 51], alpn: [], sni: SNI });
  const full = clientHello(new Prng(1), SNI, { profile: 'openssl3', alpn: ['h2', 'http/1.1'] }).record;
  assert.deepEqual(extensionTypes(full), { suites: 31, types: [0, 11, 10, 35, 16, 22, 23, 13, 43, 45, 51], alpn: ['h2', 'http/1.1'], sni: SNI });
  assert.equal(hex(full.subarray(0, 3)), '160301', 'handshake record, version 0x0301');
});

test('writeApplicationData writes one opaque record into a sub-view', () => {
  const big = new Uint8Array(64);
  const view = big.subarray(5);
  assert.equal(writeApplicationData(view, 2, new Prng(4), 19), 2 + 5 + 19);
  assert.equal(hex(big.subarray(7, 12)), '1703030013', 'application_data, 0x0303, length 19');
  assert.equal(big[7 + 5 + 19], 0, 'nothing after the record');
});

function run(opts: Partial<TlsSessionOptions>): { rec: Recorder; session: TlsSession; seen: Array<[boolean, number, number]> } {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const client = createHost({ name: 'cms', mac: '02:00:00:00:00:0a', ip: CLIENT_IP, stack: 'windows' }, new Prng(1));
  const server = createHost({ name: 'cloud', mac: '02:00:00:00:00:01', ip: '203.0.113.80', stack: 'linux', ttl: 52 }, new Prng(2));
  const seen: Array<[boolean, number, number]> = [];
  const session = new TlsSession(fb, client, server, new Prng(7), {
    connectTs: 1000,
    clientPort: 51000,
    serverName: SNI,
    exchanges: [
      { gapSec: 0.05, requestBytes: 100_000, responseBytes: 200 },
      { gapSec: 2, requestBytes: 500, responseBytes: 0 },
    ],
    observer: { data: (_f, _ts, up, plain, wire) => void seen.push([up, plain, wire]) },
    ...opts,
  });
  const s = new Scheduler();
  s.add(session);
  s.run(Infinity);
  return { rec, session, seen };
}

test('TLS session: handshake flight, application records sized by the plaintext, close_notify and FIN', () => {
  const { rec, session, seen } = run({});
  const frames = rec.frames.map((f) => parseFrame(f.data));
  for (let i = 1; i < rec.frames.length; i++) assert.ok(rec.frames[i].ts >= rec.frames[i - 1].ts, `frame ${i} in time order`);
  const { streams } = replayTcp(frames, CLIENT_IP);
  const full = 16_384 + TLS13_RECORD_OVERHEAD;
  assert.deepEqual(records(streams[0]), [
    // ClientHello: header 4, version 2, random 32, session id 33, 31 suites 64, compression 2, extensions
    // 2 + SNI 39 + ec_point_formats 8 + groups 26 + session_ticket 4 + ALPN 18 + etm 4 + ems 4 + sigalgs 34
    // + supported_versions 9 + psk_modes 6 + key_share 42
    [22, 4 + 2 + 32 + 33 + 64 + 2 + 2 + 39 + 8 + 26 + 4 + 18 + 4 + 4 + 34 + 9 + 6 + 42],
    [20, 1], // ChangeCipherSpec
    [23, 53], // Finished
    [23, full], [23, full], [23, full], [23, full], [23, full], [23, full], // 6 × 16 384 plaintext
    [23, 100_000 - 6 * 16_384 + 17], // the rest
    [23, 517], // second request
    [23, 19], // close_notify
  ]);
  assert.deepEqual(records(streams[1]), [[22, 122], [20, 1], [23, 2900], [23, 250], [23, 250], [23, 217], [23, 19]]);
  assert.deepEqual(seen, [
    [true, 4 * 16_384, 4 * (5 + full)],
    [true, 100_000 - 4 * 16_384, 2 * (5 + full) + 5 + 1713],
    [false, 200, 2 * 255 + 5 + 217],
    [true, 500, 522],
  ]);
  assert.equal(session.clientPlaintextBytes, 100_500);
  assert.equal(session.serverPlaintextBytes, 200);
  assert.equal(session.requests, 2);
  const flags = frames.slice(-5).map((f) => f.tcp?.flags);
  assert.deepEqual(flags, [0x18, 0x11, 0x18, 0x11, 0x10], 'client close_notify, FIN; server close_notify, FIN; last ACK');
  // The second 64 KiB of the upload waits its transmission time at 100 Mbit/s.
  const bulk = rec.frames.filter((_, i) => frames[i].ipSrc === CLIENT_IP && (frames[i].tcp?.payload.length ?? 0) === 1460);
  const gap = bulk[bulk.length - 1].ts - bulk[0].ts;
  assert.ok(Math.abs(gap - (4 * (5 + full)) / 12_500_000) < 1e-6, `upload spread ${gap} s`);
});

test('TLS session ends with a RST when asked', () => {
  const { rec } = run({ close: 'rst', exchanges: [{ gapSec: 0.1, requestBytes: 10, responseBytes: 10 }] });
  assert.equal(parseFrame(rec.frames[rec.frames.length - 1].data).tcp?.flags, 0x14);
});

test('tshark reads SNI, ALPN, versions and record lengths; nothing malformed', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  const { rec } = run({});
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  for (const f of rec.frames) w.writePacket(f.ts, f.data);
  const file = join(dir, 'tls.pcap');
  writeFileSync(file, w.bytes());
  assert.deepEqual(tsharkProblems(file), []);
  const hello = tsharkFields(file, 'tls.handshake.type == 1', ['tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'tls.handshake.extensions.supported_version']);
  assert.deepEqual(hello, [[SNI, 'h2,http/1.1', '0x0304,0x0303']]);
  const sh = tsharkFields(file, 'tls.handshake.type == 2', ['tls.handshake.extensions.supported_version']);
  assert.deepEqual(sh, [['0x0304']]);
  const lengths = tsharkFields(file, `tls && ip.src == ${CLIENT_IP}`, ['tls.record.length']).flatMap((r) => r[0].split(',').map(Number));
  assert.deepEqual(lengths.slice(-3), [1713, 517, 19]);
});

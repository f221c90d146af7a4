import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TlsStreamAnalyzer } from '../../../src/protocols/tls/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { alpnExt, cat, ext, handshake, hexBytes, record, serverHelloBody, sniExt, sslv2ClientHello, tls12Flights, clientHelloBody, versionsExt } from './build.js';
import { CA_DER_HEX, LEAF_DER_HEX, LEAF_ISSUER, LEAF_SUBJECT } from './certs.js';

const ID = { orig_h: '10.20.0.5', orig_p: 40443, resp_h: '10.20.0.9', resp_p: 443, proto: 'tcp' as const };

/** A copy of `b` inside a larger buffer at byte offset 7 (a sub-view). */
function noisy(b: Uint8Array): Uint8Array {
  const big = new Uint8Array(b.length + 16).fill(0xee);
  big.set(b, 7);
  return big.subarray(7, 7 + b.length);
}

test('TLS 1.2 handshake: one ssl record at the second ChangeCipherSpec with certificate names, curve, ALPN, fingerprints', () => {
  const ctx = new FakeFlowContext('CTls12', ID);
  const a = new TlsStreamAnalyzer(ctx);
  const f = tls12Flights('tos.terminal.example', [hexBytes(LEAF_DER_HEX), hexBytes(CA_DER_HEX)]);
  a.deliver(true, noisy(f.clientHello), 10);
  // The server flight one byte at a time: header and handshake joins across segments.
  for (let i = 0; i < f.serverFlight.length; i++) a.deliver(false, noisy(f.serverFlight.subarray(i, i + 1)), 11);
  a.deliver(true, noisy(f.clientFinish), 12);
  assert.equal(ctx.stream('ssl').length, 0, 'not established before the server ChangeCipherSpec');
  a.deliver(false, noisy(f.serverFinish), 13);
  assert.equal(a.done, true, 'stops after establishment');
  const [r] = ctx.stream('ssl');
  assert.deepEqual(r, {
    ts: 10,
    uid: 'CTls12',
    'id.orig_h': '10.20.0.5',
    'id.orig_p': 40443,
    'id.resp_h': '10.20.0.9',
    'id.resp_p': 443,
    version: 'TLSv12',
    cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    curve: 'secp256r1',
    server_name: 'tos.terminal.example',
    resumed: false,
    last_alert: null,
    next_protocol: 'h2',
    established: true,
    ssl_history: 'CsxknGIi',
    subject: LEAF_SUBJECT,
    issuer: LEAF_ISSUER,
    ja3: r.ja3,
    ja3s: r.ja3s,
    // 6 suites and 7 extensions without GREASE; b and c hashed in fingerprint.test.ts's way.
    ja4: 't12d0607h2_b325ea05f961_5ddc7f2f250d',
  });
  assert.match(String(r.ja3), /^[0-9a-f]{32}$/);
  assert.deepEqual(ctx.services, ['ssl']);
  assert.deepEqual(ctx.anomalyNames(), []);
});

test('TLS 1.3: version from supported_versions, curve from key_share, established at application data both ways', () => {
  const ctx = new FakeFlowContext('CTls13', ID);
  const a = new TlsStreamAnalyzer(ctx);
  const sid = new Uint8Array(32).fill(0x42);
  const ch = record(22, 0x0301, handshake(1, clientHelloBody({ sessionId: sid, ciphers: [0x1301, 0x1302], extensions: [sniExt('a.example'), versionsExt([0x0304, 0x0303])] })));
  // ServerHello echoing the session id (middlebox compatibility, RFC 8446 §D.4): not a resumption in 1.3.
  const sh = record(22, 0x0303, handshake(2, serverHelloBody({ sessionId: sid, cipher: 0x1301, extensions: [ext(43, hexBytes('0304')), ext(51, hexBytes('001d 0020' + '55'.repeat(32)))] })));
  a.deliver(true, ch, 1);
  a.deliver(false, cat(sh, record(20, 0x0303, Uint8Array.of(1)), record(23, 0x0303, new Uint8Array(30))), 2);
  assert.equal(ctx.stream('ssl').length, 0);
  a.deliver(true, cat(record(20, 0x0303, Uint8Array.of(1)), record(23, 0x0303, new Uint8Array(53))), 3);
  const [r] = ctx.stream('ssl');
  assert.equal(r.version, 'TLSv13');
  assert.equal(r.cipher, 'TLS_AES_128_GCM_SHA256');
  assert.equal(r.curve, 'x25519');
  assert.equal(r.resumed, false);
  assert.equal(r.established, true);
  assert.equal(r.ssl_history, 'CsiI');
  assert.match(String(r.ja4), /^t13d020200_[0-9a-f]{12}_[0-9a-f]{12}$/);
});

test('TLS 1.2 resumption by session id; alert in clear; record at the end when not established', () => {
  const ctx = new FakeFlowContext('CRes', ID);
  const a = new TlsStreamAnalyzer(ctx);
  const sid = new Uint8Array(32).fill(0x07);
  a.deliver(true, record(22, 0x0301, handshake(1, clientHelloBody({ sessionId: sid, ciphers: [0xc02f], extensions: null }))), 5);
  a.deliver(false, record(22, 0x0303, handshake(2, serverHelloBody({ sessionId: sid, cipher: 0xc02f, extensions: null }))), 6);
  // Alert: level fatal (2), description handshake_failure (40).
  a.deliver(false, record(21, 0x0303, hexBytes('02 28')), 7);
  a.end(8);
  const [r] = ctx.stream('ssl');
  assert.equal(r.resumed, true);
  assert.equal(r.last_alert, 'handshake_failure');
  assert.equal(r.ssl_history, 'Csl');
  assert.equal(r.established, false);
  assert.equal(r.curve, null);
});

test('ClientHello from the responder flips the client (^) and an unknown cipher prints unknown-<n>', () => {
  const ctx = new FakeFlowContext('CFlip', ID);
  const a = new TlsStreamAnalyzer(ctx);
  a.deliver(false, record(22, 0x0301, handshake(1, clientHelloBody({ extensions: [alpnExt(['h2'])] }))), 1);
  a.deliver(true, record(22, 0x0303, handshake(2, serverHelloBody({ cipher: 0x1234, extensions: [alpnExt(['h2'])] }))), 2);
  a.end(3);
  const [r] = ctx.stream('ssl');
  assert.equal(r.ssl_history, '^Cs');
  assert.equal(r.cipher, 'unknown-4660');
  assert.equal(r.next_protocol, 'h2');
});

test('SSLv2-compatible ClientHello: weird, confirmed, then a TLS ServerHello', () => {
  const ctx = new FakeFlowContext('CV2', ID);
  const a = new TlsStreamAnalyzer(ctx);
  a.deliver(true, noisy(sslv2ClientHello(0x0301, [0x000035, 0x00002f, 0x010080])), 1);
  a.deliver(false, record(22, 0x0301, handshake(2, serverHelloBody({ version: 0x0301, cipher: 0x0035, extensions: null }))), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), ['tls.sslv2_client_hello']);
  const [r] = ctx.stream('ssl');
  assert.equal(r.version, 'TLSv10');
  assert.equal(r.cipher, 'TLS_RSA_WITH_AES_256_CBC_SHA');
  assert.equal(r.ssl_history, 'Cs');
  assert.equal(r.ja3, null);
});

test('malformed input: violations before a hello, then fatal; after a bad header the direction resyncs; never a throw', () => {
  const ctx = new FakeFlowContext('CBad', ID);
  const a = new TlsStreamAnalyzer(ctx);
  // ClientHello whose cipher-suite length (0xffff) runs past the message, four times.
  const bad = record(22, 0x0301, handshake(1, hexBytes('0303' + '11'.repeat(32) + '00 ffff 0001')));
  for (let i = 0; i < 4; i++) a.deliver(true, bad, i);
  assert.deepEqual(ctx.anomalyNames(), ['tls.malformed_client_hello', 'tls.malformed_client_hello', 'tls.malformed_client_hello', 'tls.too_many_violations']);
  assert.equal(a.done, true);
  a.end(5);
  assert.equal(ctx.stream('ssl').length, 0);
  const ctx2 = new FakeFlowContext('CBad2', ID);
  const b = new TlsStreamAnalyzer(ctx2);
  // Record type 0x99 is not a TLS content type; the ClientHello after the junk is found by resync.
  const f = tls12Flights('x.example', [hexBytes(LEAF_DER_HEX)]);
  b.deliver(true, cat(hexBytes('99 03 03 00 05 0102030405'), f.clientHello), 1);
  b.end(2);
  assert.deepEqual(ctx2.anomalyNames(), ['tls.invalid_record']);
  assert.equal(ctx2.stream('ssl')[0].server_name, 'x.example');
});

test('a gap inside application data is skipped by count; inside a handshake the direction resyncs', () => {
  const ctx = new FakeFlowContext('CGap', ID);
  const a = new TlsStreamAnalyzer(ctx);
  const f = tls12Flights('x.example', [hexBytes(LEAF_DER_HEX)]);
  a.deliver(true, f.clientHello.subarray(0, 20), 1);
  a.gap(true, 30, 1);
  assert.deepEqual(ctx.anomalyNames(), ['tls.content_gap']);
  a.deliver(true, f.clientHello.subarray(50), 2);
  a.deliver(false, f.serverFlight, 3);
  a.end(4);
  const [r] = ctx.stream('ssl');
  assert.equal(r.ssl_history, 'sxkn', 'client hello lost, server flight parsed after resync');
  assert.equal(r.subject, LEAF_SUBJECT);
});

test('handshake message longer than the buffer limit is skipped with a weird', () => {
  const ctx = new FakeFlowContext('CBig', ID, { maxAnalyzerBufferBytes: 256 });
  const a = new TlsStreamAnalyzer(ctx);
  const f = tls12Flights('x.example', [hexBytes(LEAF_DER_HEX)]);
  a.deliver(true, f.clientHello, 1);
  a.deliver(false, f.serverFlight, 2);
  a.end(3);
  assert.ok(ctx.anomalyNames().includes('tls.handshake_too_long'));
  const [r] = ctx.stream('ssl');
  assert.equal(r.subject, null);
  assert.equal(r.ssl_history, 'Csxkn');
  // The same with the server flight in 2-byte segments: the over-long message's header is itself cut.
  const ctx2 = new FakeFlowContext('CBig2', ID, { maxAnalyzerBufferBytes: 256 });
  const b = new TlsStreamAnalyzer(ctx2);
  b.deliver(true, f.clientHello, 1);
  for (let i = 0; i < f.serverFlight.length; i += 2) b.deliver(false, noisy(f.serverFlight.subarray(i, i + 2)), 2);
  b.end(3);
  assert.equal(ctx2.stream('ssl')[0].ssl_history, 'Csxkn');
  assert.equal(ctx2.stream('ssl')[0].curve, 'secp256r1', 'messages after the skipped one parsed');
});

test('mutated handshakes in random segments and gaps never throw and write at most one record', () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const f = tls12Flights('fuzz.example', [hexBytes(LEAF_DER_HEX), hexBytes(CA_DER_HEX)]);
  const flights: Array<[boolean, Uint8Array]> = [[true, f.clientHello], [false, f.serverFlight], [true, f.clientFinish], [false, f.serverFinish]];
  for (let iter = 0; iter < 400; iter++) {
    const ctx = new FakeFlowContext(`CFuzz${iter}`, ID, { maxAnalyzerBufferBytes: 64 + rand(2048) });
    const a = new TlsStreamAnalyzer(ctx);
    for (const [isOrig, bytes] of flights) {
      const m = Uint8Array.from(bytes);
      for (let k = rand(6); k > 0; k--) m[rand(m.length)] = rand(256);
      let o = 0;
      while (o < m.length && !a.done) {
        const n = 1 + rand(300);
        if (rand(40) === 0) a.gap(isOrig, n, iter);
        else a.deliver(isOrig, noisy(m.subarray(o, o + n)), iter);
        o += n;
      }
    }
    if (!a.done) a.end(iter);
    assert.ok(ctx.stream('ssl').length <= 1);
  }
});

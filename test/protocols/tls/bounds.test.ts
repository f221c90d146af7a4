import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HS_BUFFER_KEEP_BYTES, HS_BUFFER_MIN_BYTES, TlsStreamAnalyzer } from '../../../src/protocols/tls/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { cat, certificateBody, clientHelloBody, handshake, hexBytes, record, serverHelloBody } from './build.js';
import { LEAF_DER_HEX, LEAF_ISSUER, LEAF_SUBJECT } from './certs.js';

const ID = { orig_h: '10.20.0.5', orig_p: 40443, resp_h: '10.20.0.9', resp_p: 443, proto: 'tcp' as const };

/** A copy of `b` inside a larger buffer at byte offset 5 (a sub-view). */
function noisy(b: Uint8Array): Uint8Array {
  const big = new Uint8Array(b.length + 11).fill(0xee);
  big.set(b, 5);
  return big.subarray(5, 5 + b.length);
}

test('a ClientHello header declaring 65 532 bytes followed by 3 bytes holds a small buffer, not the declared length', () => {
  const ctx = new FakeFlowContext('CHold', ID);
  const a = new TlsStreamAnalyzer(ctx);
  const bytes = cat(
    hexBytes('16 0301 4000'), // record: handshake, TLS 1.0, length 16 384
    hexBytes('01 00fffc'), //    handshake: ClientHello, length 65 532
    hexBytes('03 03 00'), //     3 bytes of its body (legacy_version, first random byte)
  );
  a.deliver(true, noisy(bytes), 1);
  assert.ok(a.bufferedBytes <= HS_BUFFER_MIN_BYTES, `held ${a.bufferedBytes} bytes for 7 received`);
  a.deliver(true, noisy(new Uint8Array(1000)), 1);
  assert.ok(a.bufferedBytes <= 2 * 1007, `held ${a.bufferedBytes} bytes for 1007 received`);
  assert.deepEqual(ctx.anomalyNames(), []);
});

test('a cut Certificate message grows its buffer as bytes arrive, is parsed whole, and a large buffer is released after', () => {
  const ctx = new FakeFlowContext('CCert', ID);
  const a = new TlsStreamAnalyzer(ctx);
  a.deliver(true, noisy(record(22, 0x0301, handshake(1, clientHelloBody({ ciphers: [0xc02f] })))), 1);
  // The leaf, then 12 000 bytes of filler certificates: a message longer than HS_BUFFER_KEEP_BYTES, cut in records of 700 bytes.
  const msgs = cat(handshake(2, serverHelloBody({ cipher: 0xc02f })), handshake(11, certificateBody([hexBytes(LEAF_DER_HEX), new Uint8Array(12_000).fill(0x30)])));
  let received = 0;
  for (let off = 0; off < msgs.length; off += 700) {
    const frag = msgs.subarray(off, Math.min(off + 700, msgs.length));
    a.deliver(false, noisy(record(22, 0x0303, frag)), 2);
    received += frag.length;
    assert.ok(a.bufferedBytes <= Math.max(2 * received, HS_BUFFER_MIN_BYTES), `held ${a.bufferedBytes} bytes after ${received}`);
  }
  assert.ok(msgs.length > HS_BUFFER_KEEP_BYTES);
  assert.equal(a.bufferedBytes, 0, 'released once the message was parsed');
  a.end(3);
  const [r] = ctx.stream('ssl');
  assert.equal(r.subject, LEAF_SUBJECT);
  assert.equal(r.issuer, LEAF_ISSUER);
  assert.equal(r.ssl_history, 'Csx');
});

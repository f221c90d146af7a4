import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpcuaStreamAnalyzer } from '../../../src/protocols/opcua/analyzer.js';
import { Cursor } from '../../../src/protocols/opcua/grammar.js';
import { OPCUA_CREATE_ITEM_STREAM } from '../../../src/protocols/opcua/log.js';
import { JsonBytes } from '../../../src/output/json-bytes.js';
import { zeekJsonEncoder } from '../../../src/output/zeek-json.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { bytes, subView, u32, type Field } from './fixtures.js';

function cursor(b: Uint8Array, maxString = 1024): Cursor {
  const c = new Cursor();
  c.maxString = maxString;
  c.reset(b, 0, b.length);
  return c;
}

/** An OPC UA String (§5.2.2.4) of raw bytes `hex`. */
function rawString(hex: string, what: string): Field {
  const n = hex.replace(/\s+/g, '').length / 2;
  return [u32(n) + hex, `String, ${n} bytes: ${what}`];
}

test('String: bytes rendered as Zeek renders raw strings (control bytes, DEL, backslash escaped; valid UTF-8 kept)', () => {
  const c = cursor(subView(bytes(rawString('61 1b 62 e280ae 7f 5c 63', '"a", ESC, "b", U+202E, DEL, backslash, "c"'), ['ee', 'next field'])));
  assert.equal(c.string(), 'a\\x1bb\u202e\\x7f\\\\c');
  assert.equal(c.bad, false);
  assert.equal(c.b[c.pos], 0xee, 'the whole string is consumed');
  assert.equal(cursor(bytes(rawString('6f70632e746370', '"opc.tcp"'))).string(), 'opc.tcp');
});

test('String: invalid UTF-8 keeps every byte as \\xNN (no U+FFFD), and the cut never splits an escape', () => {
  const c = cursor(subView(bytes(rawString('61 ff c3a9 62', '"a", 0xff (invalid), U+00E9 as UTF-8, "b"'))));
  assert.equal(c.string(), 'a\\xff\\xc3\\xa9b');
  const cut = cursor(bytes(rawString('00'.repeat(10), '10 NUL bytes')), 9);
  assert.equal(cut.string(), '\\x00\\x00', 'at most 9 characters, whole escapes only');
  assert.equal(cut.bad, false);
  const long = cursor(bytes(rawString('41'.repeat(5000), '5000 × "A"')), 1024);
  assert.equal(long.string(), 'A'.repeat(1024));
  assert.equal(long.pos, 5004);
});

test('ByteString: length read and value skipped (a password is never kept)', () => {
  const c = cursor(subView(bytes([u32(3000) + 'aa'.repeat(3000), 'ByteString, 3000 bytes'], ['ffffffff', 'ByteString null'], [u32(9), 'ByteString of 9 bytes, 2 present'], ['0102', 'the 2 bytes'])), 16);
  assert.equal(c.byteStringLength(), 3000, 'the length, not cut at maxString');
  assert.equal(c.byteStringLength(), 0);
  assert.equal(c.bad, false);
  assert.equal(c.byteStringLength(), -1);
  assert.equal(c.bad, true);
});

test('HEL EndpointUrl: ESC escaped, U+202E (valid UTF-8) kept as Zeek keeps it', () => {
  const url = rawString('6f70632e7463703a2f2f1b5b316d e280ae 78', '"opc.tcp://", ESC "[1m", U+202E, "x"');
  const body = bytes([u32(0), 'ProtocolVersion'], [u32(65535), 'ReceiveBufferSize'], [u32(65535), 'SendBufferSize'], [u32(0), 'MaxMessageSize'], [u32(0), 'MaxChunkCount'], url);
  const hel = bytes(['48454c 46', 'HEL F'], [u32(8 + body.length), 'MessageSize'], [Buffer.from(body).toString('hex'), 'HEL body']);
  const ctx = new FakeFlowContext('CS', { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' });
  const a = new OpcuaStreamAnalyzer(ctx);
  a.deliver(true, subView(hel), 1);
  a.end(2);
  assert.equal(ctx.stream('opcua_binary')[0].endpoint_url, 'opc.tcp://\\x1b[1m\u202ex');
});

test('Double NaN (e.g. RevisedSamplingInterval) stays NaN in the record and is written null, as Zeek JSON writes it', () => {
  const c = cursor(bytes(['000000000000f87f', 'Double quiet NaN'], ['000000000000f07f', 'Double +Infinity']));
  const nan = c.f64();
  assert.ok(Number.isNaN(nan));
  assert.equal(c.f64(), Infinity);
  const out = new JsonBytes(256);
  zeekJsonEncoder(OPCUA_CREATE_ITEM_STREAM)({ ts: 1, uid: 'CN', is_orig: false, monitoring_parameters_revised_sampling_interval: nan, monitoring_parameters_revised_queue_size: 1 }, out);
  const line = Buffer.from(out.buf.subarray(0, out.len)).toString('utf8');
  assert.match(line, /"monitoring_parameters_revised_sampling_interval":null,/);
  assert.equal(JSON.parse(line).monitoring_parameters_revised_queue_size, 1);
});

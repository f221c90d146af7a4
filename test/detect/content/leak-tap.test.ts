import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_LIMITS } from '../../../src/config/limits.js';
import { ContainerLeakTap } from '../../../src/detect/content/leak-tap.js';
import type { ConnId } from '../../../src/session/analyzer.js';
import { SitePolicy } from '../../../src/policy/site-policy.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { MemorySink } from '../helpers.js';

// Check-digit-valid ISO 6346 numbers (Annex A check digit last).
const A = 'CSQU3054383';
const B = 'TGHU4487722';
const C = 'GESU5611007';
const policy = new SitePolicy(buildTerminalSite(1));
const OUT: ConnId = { orig_h: '10.20.1.30', orig_p: 40000, resp_h: '203.0.113.57', resp_p: 80, proto: 'tcp' };

/** A byte view at offset 7 of a larger buffer (non-zero byteOffset). */
function sub(text: string | Uint8Array): Uint8Array {
  const body = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const big = new Uint8Array(body.length + 16).fill(0x21);
  big.set(body, 7);
  return big.subarray(7, 7 + body.length);
}

/** Run deliveries through one tapped flow; the container_data records. */
function flow(deliveries: Uint8Array[], id: ConnId = OUT, tap?: ContainerLeakTap) {
  const sink = new MemorySink();
  const t = tap ?? new ContainerLeakTap(policy, sink);
  const o = t.open('Cflow', id, 1000);
  assert.ok(o, 'the flow is tapped');
  deliveries.forEach((d, i) => o.payload(true, d, 1000 + i));
  o.end(1100);
  t.finish();
  return { records: sink.get('container_data'), tap: t };
}

const http = (body: string | Uint8Array) => Buffer.concat([Buffer.from('POST /u HTTP/1.1\r\nHost: x.example\r\n\r\n'), typeof body === 'string' ? Buffer.from(body) : body]);

test('which flows are tapped: outside yes; approved TOS, crane-control PLC, broadcast no', () => {
  const t = new ContainerLeakTap(policy, new MemorySink());
  assert.ok(t.open('C1', OUT, 0));
  assert.equal(t.open('C2', { ...OUT, resp_h: '10.30.0.10', resp_p: 8080 }, 0), null, 'tos is approved');
  assert.equal(t.open('C3', { ...OUT, orig_h: '10.21.0.10', resp_h: '10.20.1.10', resp_p: 502 }, 0), null, 'crane_control');
  assert.equal(t.open('C4', { ...OUT, resp_h: '255.255.255.255', proto: 'udp' }, 0), null, 'broadcast');
  assert.equal(t.open('C5', { ...OUT, proto: 'icmp' }, 0), null);
});

test('plain JSON over HTTP in a sub-view: one record, channel http', () => {
  const { records } = flow([sub(http(JSON.stringify([{ container: A }, { container: B }])))]);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.equal(r.encoding, 'plain');
  assert.equal(r.channel, 'http');
  assert.equal(r.direction, 'orig');
  assert.deepEqual(r.numbers, [A, B]);
  assert.equal(r.count, 2);
  assert.equal(r.ts, 1000);
});

test('a number split across two deliveries is found once', () => {
  const text = `container=${A};`;
  const { records } = flow([sub(text.slice(0, 15)), sub(text.slice(15))]);
  assert.deepEqual(records.map((r) => [r.encoding, r.numbers]), [['plain', [A]]]);
});

test('a number split over three deliveries, the middle one shorter than the tail', () => {
  const text = `;${B};`;
  const { records } = flow([sub(text.slice(0, 4)), sub(text.slice(4, 7)), sub(text.slice(7))]);
  assert.deepEqual(records.map((r) => r.numbers), [[B]]);
});

test('base64 and hex bodies, split mid-run across deliveries', () => {
  const b64 = http(Buffer.from(`${A},${B},${C}\r\n`).toString('base64'));
  const r1 = flow([sub(b64.subarray(0, 50)), sub(b64.subarray(50))]).records;
  assert.deepEqual(r1.map((r) => [r.encoding, r.numbers]), [['base64', [A, B, C]]]);
  const hex = http(Buffer.from(JSON.stringify({ c: [A, B] })).toString('hex'));
  const r2 = flow([sub(hex.subarray(0, 61)), sub(hex.subarray(61))]).records;
  assert.deepEqual(r2.map((r) => [r.encoding, r.numbers]), [['hex', [A, B]]]);
});

test('gzip member split across deliveries; gzip-in-base64 and base64-in-gzip (one level nested)', () => {
  const gz = http(gzipSync(Buffer.from(`${A}\n${B}\n`)));
  const r1 = flow([sub(gz.subarray(0, 45)), sub(gz.subarray(45))]).records;
  assert.deepEqual(r1.map((r) => [r.encoding, r.numbers]), [['gzip', [A, B]]]);
  const b64gz = http(gzipSync(Buffer.from(`${C};`)).toString('base64'));
  assert.deepEqual(flow([sub(b64gz)]).records.map((r) => [r.encoding, r.numbers]), [['base64+gzip', [C]]]);
  const gzb64 = http(gzipSync(Buffer.from(Buffer.from(`${B};${C}`).toString('base64'))));
  assert.deepEqual(flow([sub(gzb64)]).records.map((r) => [r.encoding, r.numbers]), [['gzip+base64', [B, C]]]);
});

test('MQTT CONNECT guesses mqtt; digits-free and invalid check digits give nothing', () => {
  // CONNECT: type 0x10, remaining length 12, protocol name len 4 "MQTT", level 4, flags, keep-alive, …
  const connect = Uint8Array.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]);
  const publish = Buffer.concat([Buffer.from([0x30, 0x20, 0x00, 0x03]), Buffer.from(`a/b{"c":"${A}"}`)]);
  const { records } = flow([sub(connect), sub(publish)], { ...OUT, resp_p: 1883 });
  assert.deepEqual(records.map((r) => [r.channel, r.numbers]), [['mqtt', [A]]]);
  assert.deepEqual(flow([sub('hello world, nothing here at all '.repeat(50))]).records, []);
  assert.deepEqual(flow([sub('CSQU3054384 MSKU1234560')]).records, [], 'wrong check digits');
});

test('a huge flow: only the first maxContainerScanBytesPerDirection bytes are read, held bytes stay bounded', () => {
  const limits = { ...DEFAULT_LIMITS, maxContainerScanBytesPerDirection: 1 << 20, maxContainerCarryBytesPerDirection: 64 << 10 };
  const sink = new MemorySink();
  const tap = new ContainerLeakTap(policy, sink, limits);
  const o = tap.open('Cbig', OUT, 0);
  assert.ok(o);
  const chunk = new Uint8Array(64 << 10).fill(0x41); // one endless base64 run of 'A'
  let maxHeld = 0;
  for (let i = 0; i < 64; i++) {
    o.payload(true, chunk, i);
    maxHeld = Math.max(maxHeld, tap.heldBytes);
  }
  o.payload(true, sub(`;${A};`), 99); // past the scan bound: not read
  o.end(100);
  assert.ok(maxHeld <= 64 << 10, `held ${maxHeld}`);
  assert.equal(tap.heldBytes, 0);
  assert.deepEqual(sink.get('container_data'), []);
});

test('a gzip bomb inflates to at most maxContainerInflateBytes and still yields the leading numbers', () => {
  const limits = { ...DEFAULT_LIMITS, maxContainerInflateBytes: 256 << 10 };
  const bomb = gzipSync(Buffer.concat([Buffer.from(`${A};`), Buffer.alloc(64 << 20)]));
  assert.ok(bomb.length < 100 << 10);
  const sink = new MemorySink();
  const tap = new ContainerLeakTap(policy, sink, limits);
  const t0 = process.hrtime.bigint();
  flow([sub(http(bomb))], OUT, tap);
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e9 < 5, 'bounded time');
  assert.deepEqual(sink.get('container_data').map((r) => [r.encoding, r.numbers]), [['gzip', [A]]]);
});

/** A DNS query (RFC 1035 §4.1) for `name`, type TXT, id `id`. */
function query(name: string, id: number): Uint8Array {
  const parts = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])]; // id, flags RD, QDCOUNT 1
  for (const l of name.split('.')) parts.push(Buffer.from([l.length]), Buffer.from(l, 'latin1'));
  parts.push(Buffer.from([0, 0, 16, 0, 1])); // root, QTYPE TXT, QCLASS IN
  return Buffer.concat(parts);
}

/** RFC 4648 §6 base32, lower case, no padding. */
function base32(b: Uint8Array): string {
  const abc = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const x of b) {
    acc = ((acc << 8) | x) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += abc[(acc >>> bits) & 31];
    }
  }
  if (bits > 0) out += abc[(acc << (5 - bits)) & 31];
  return out;
}

test('a DNS tunnel: base32 chunks with 6-byte headers, one UDP flow per query, reassembled in arrival order', () => {
  const data = Buffer.from(`${A},${B},${C}`);
  const per = 9; // small chunks so every number straddles chunk boundaries
  const chunks = Math.ceil(data.length / per);
  const sink = new MemorySink();
  const tap = new ContainerLeakTap(policy, sink);
  for (let k = 0; k < chunks; k++) {
    const piece = Buffer.concat([Buffer.from([0, 1, 0, k, 0, chunks]), data.subarray(k * per, (k + 1) * per)]); // message 1, index k, count
    const id: ConnId = { orig_h: '10.20.1.30', orig_p: 30000 + k, resp_h: '203.0.113.9', resp_p: 53, proto: 'udp' };
    const o = tap.open(`Cdns${k}`, id, k);
    assert.ok(o);
    o.payload(true, sub(query(`${base32(piece)}.t.boxsync.example`, k)), k);
    o.end(k + 0.5);
  }
  assert.deepEqual(sink.get('container_data'), [], 'written at finish');
  tap.finish();
  const recs = sink.get('container_data');
  assert.deepEqual(recs.map((r) => [r.uid, r.encoding, r.channel, r.numbers]), [['Cdns0', 'dns-base32', 'dns', [A, B, C]]]);
  assert.equal(tap.heldBytes, 0);
});

test('ordinary DNS lookups are not gathered', () => {
  const sink = new MemorySink();
  const tap = new ContainerLeakTap(policy, sink);
  const o = tap.open('Cq', { orig_h: '10.20.1.30', orig_p: 5353, resp_h: '10.30.0.53', resp_p: 53, proto: 'udp' }, 0);
  assert.ok(o);
  o.payload(true, sub(query('tos.terminal.example', 7)), 0);
  o.end(1);
  tap.finish();
  assert.deepEqual(sink.get('container_data'), []);
});

test('each encoding\u2019s first find goes to the early sink at once, while the flow is open; the log record waits for the end', () => {
  const sink = new MemorySink();
  const early = new MemorySink();
  const tap = new ContainerLeakTap(policy, sink, DEFAULT_LIMITS, early);
  const o = tap.open('Clong', OUT, 1000);
  assert.ok(o);
  o.payload(true, sub(http(`{"container":"${A}"}`)), 1000);
  assert.deepEqual(early.get('container_data_found').map((r) => [r.encoding, r.numbers, r.ts]), [['plain', [A], 1000]]);
  assert.deepEqual(sink.get('container_data'), [], 'nothing logged before the flow ends');
  o.payload(true, sub(`{"container":"${B}"}`), 1500);
  assert.equal(early.get('container_data_found').length, 1, 'a later number of a known encoding is not signalled again');
  o.payload(true, sub(`x=${Buffer.from(`{"c":"${C}"}`).toString('base64')};`), 2000);
  assert.deepEqual(early.get('container_data_found').map((r) => r.encoding), ['plain', 'base64']);
  o.end(3600);
  tap.finish();
  assert.deepEqual(sink.get('container_data').map((r) => [r.encoding, r.numbers]), [['plain', [A, B]], ['base64', [C]]]);
  assert.deepEqual(early.get('container_data'), [], 'the early sink gets only the internal stream');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDnsHeader, parseDnsMessage, type DnsResult } from '../../../src/protocols/dns/grammar.js';
import { BAD_LABEL, BAD_POINTER, QUERY, REFUSED, RESPONSE, SELF_LOOP, TRUNCATED, TWO_LOOP, TXT_QUERY, hex, longName, subView } from './fixtures.js';

function parse(b: Uint8Array, maxAnswers = 100, maxChars = 1024): DnsResult {
  return parseDnsMessage(b, 0, b.length, maxAnswers, maxChars);
}

function ok(r: DnsResult): Extract<DnsResult, { kind: 'ok' }> {
  assert.equal(r.kind, 'ok', r.kind === 'malformed' ? `${r.anomaly}: ${r.detail}` : '');
  return r as Extract<DnsResult, { kind: 'ok' }>;
}

test('header fields (RFC 1035 §4.1.1)', () => {
  const h = parseDnsHeader(RESPONSE, 0, RESPONSE.length);
  assert.ok(h);
  assert.deepEqual(
    { id: h.id, qr: h.qr, opcode: h.opcode, aa: h.aa, tc: h.tc, rd: h.rd, ra: h.ra, z: h.z, rcode: h.rcode, qd: h.qdcount, an: h.ancount },
    { id: 0x1234, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: 0, rcode: 0, qd: 1, an: 2 },
  );
  assert.equal(parseDnsHeader(RESPONSE, 0, 11), null);
});

test('a query: name lower-cased, type and class', () => {
  const m = ok(parse(QUERY)).message;
  assert.equal(m.query, 'www.example.com');
  assert.equal(m.qtype, 1);
  assert.equal(m.qclass, 1);
  assert.deepEqual(m.answers, []);
});

test('a response with compressed names in owner and RDATA (§4.1.4)', () => {
  const r = ok(parse(RESPONSE));
  assert.equal(r.weird, null);
  assert.deepEqual(r.message.answers, [
    { type: 5, ttl: 3600, text: 'web.example.com' },
    { type: 1, ttl: 60, text: '93.184.216.34' },
  ]);
});

test('the same bytes as a sub-view of a larger buffer parse the same (pointers are message-relative)', () => {
  for (const b of [QUERY, RESPONSE, TXT_QUERY]) assert.deepEqual(ok(parse(subView(b))).message, ok(parse(b)).message);
  // and at an offset inside one buffer, as the TCP framing hands them over
  const big = new Uint8Array(RESPONSE.length + 9);
  big.set(RESPONSE, 5);
  assert.deepEqual(ok(parseDnsMessage(big, 5, 5 + RESPONSE.length, 100, 1024)).message, ok(parse(RESPONSE)).message);
});

test('TXT answers as Zeek writes them: "TXT <len> <text>"', () => {
  const b = hex(`
    00 07 85 00                 # ID 7, flags QR AA RD
    00 01 00 01 00 00 00 00     # QDCOUNT 1, ANCOUNT 1
    01 74 00                    # question "t"
    00 10 00 01                 # TXT IN
    c0 0c 00 10 00 01           # owner → "t", TXT, IN
    00 00 00 00                 # TTL 0
    00 06                       # RDLENGTH 6
    02 6f 6b                    # <character-string> "ok"
    02 68 69                    # <character-string> "hi"
  `);
  assert.deepEqual(ok(parse(b)).message.answers, [{ type: 16, ttl: 0, text: 'TXT 2 ok TXT 2 hi' }]);
});

test('compression loops end in dns.name_loop, never a hang', () => {
  for (const b of [SELF_LOOP, TWO_LOOP, subView(TWO_LOOP)]) {
    const r = parse(b);
    assert.equal(r.kind, 'malformed');
    assert.equal(r.kind === 'malformed' && r.anomaly, 'dns.name_loop');
  }
});

test('bad pointers, label types, truncation and over-long names are typed anomalies', () => {
  const cases: [Uint8Array, string][] = [
    [BAD_POINTER, 'dns.bad_pointer'],
    [BAD_LABEL, 'dns.bad_label_type'],
    [TRUNCATED, 'dns.truncated'],
    [QUERY.subarray(0, QUERY.length - 1), 'dns.truncated'],
    [RESPONSE.subarray(0, RESPONSE.length - 2), 'dns.truncated'],
    [hex('00 01 02'), 'dns.truncated'],
    [longName(), 'dns.name_too_long'],
  ];
  for (const [b, name] of cases) {
    const r = parse(b);
    assert.equal(r.kind === 'malformed' ? r.anomaly : 'ok', name);
  }
});

test('bytes after the last record are a weird, the message still parses', () => {
  const b = new Uint8Array(QUERY.length + 3);
  b.set(QUERY);
  const r = ok(parse(b));
  assert.equal(r.weird, 'dns.trailing_bytes');
  assert.equal(r.message.query, 'www.example.com');
});

test('answers and name text are bounded', () => {
  const r = ok(parse(RESPONSE, 1, 7));
  assert.equal(r.message.answers.length, 1);
  assert.equal(r.message.answersDropped, 1);
  assert.equal(r.message.query, 'www.exa');
  assert.equal(r.message.stringTruncated, true);
  assert.equal(ok(parse(REFUSED)).message.query, null);
});

test('every prefix of a valid message and random bytes parse to a result, never a throw', () => {
  for (let n = 0; n < RESPONSE.length; n++) assert.equal(parse(RESPONSE.subarray(0, n)).kind, 'malformed', `prefix ${n}`);
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    const b = new Uint8Array(12 + (i % 60));
    for (let j = 0; j < b.length; j++) b[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    b[4] = 0;
    b[5] = 1 + (i % 3);
    const r = parse(b);
    assert.ok(r.kind === 'ok' || r.kind === 'malformed');
  }
});

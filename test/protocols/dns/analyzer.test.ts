import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DnsDatagramAnalyzer, MAX_UNCONFIRMED_VIOLATIONS } from '../../../src/protocols/dns/analyzer.js';
import { probeDnsTcp, probeDnsUdp } from '../../../src/protocols/dns/probe.js';
import { DnsStreamAnalyzer } from '../../../src/protocols/dns/stream.js';
import type { ConnId } from '../../../src/session/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { BAD_POINTER, QUERY, REFUSED, RESPONSE, SELF_LOOP, TXT_QUERY, hex, subView, tcpFrame } from './fixtures.js';

const UDP: ConnId = { orig_h: '10.20.1.30', orig_p: 50123, resp_h: '10.30.0.53', resp_p: 53, proto: 'udp' };
const TCP: ConnId = { ...UDP, proto: 'tcp' };

function udp(): { ctx: FakeFlowContext; a: DnsDatagramAnalyzer } {
  const ctx = new FakeFlowContext('CDns', UDP);
  return { ctx, a: new DnsDatagramAnalyzer(ctx) };
}

function tcp(limits = {}): { ctx: FakeFlowContext; a: DnsStreamAnalyzer } {
  const ctx = new FakeFlowContext('CDnsTcp', TCP, limits);
  return { ctx, a: new DnsStreamAnalyzer(ctx) };
}

test('UDP: a query and its response make one Zeek dns record', () => {
  const { ctx, a } = udp();
  a.datagram(true, subView(QUERY), 100.25);
  a.datagram(false, subView(RESPONSE), 100.5);
  a.end(200);
  assert.deepEqual(ctx.services, ['dns']);
  assert.deepEqual(ctx.stream('dns'), [
    {
      ts: 100.25,
      uid: 'CDns',
      'id.orig_h': '10.20.1.30',
      'id.orig_p': 50123,
      'id.resp_h': '10.30.0.53',
      'id.resp_p': 53,
      proto: 'udp',
      trans_id: 0x1234,
      rtt: 0.25,
      query: 'www.example.com',
      qclass: 1,
      qclass_name: 'C_INTERNET',
      qtype: 1,
      qtype_name: 'A',
      rcode: 0,
      rcode_name: 'NOERROR',
      AA: false,
      TC: false,
      RD: true,
      RA: true,
      Z: 0,
      answers: ['web.example.com', '93.184.216.34'],
      TTLs: [3600, 60],
      rejected: false,
    },
  ]);
});

test('UDP: unanswered queries are written at the end, a lone response at once; rejected responses', () => {
  const { ctx, a } = udp();
  a.datagram(true, TXT_QUERY, 1);
  a.datagram(false, REFUSED, 2);
  assert.equal(ctx.stream('dns').length, 1);
  a.end(3);
  const [lone, unanswered] = ctx.stream('dns');
  assert.equal(lone.trans_id, 0x5566);
  assert.equal(lone.rejected, true);
  assert.equal(lone.rcode_name, 'REFUSED');
  assert.equal(lone.query, null);
  assert.equal(unanswered.query, 'mfrggzdfmztgq3domfrggzdfmztgq3doabcdefgh.t.boxsync.example');
  assert.equal(unanswered.qtype_name, 'TXT');
  assert.equal(unanswered.rcode, null);
  assert.equal(unanswered.rtt, null);
});

test('UDP: pairing needs the same id and query name', () => {
  const { ctx, a } = udp();
  const other = RESPONSE.slice();
  other[1] = 0x35; // ID 0x1235
  a.datagram(true, QUERY, 1);
  a.datagram(false, other, 2);
  a.end(3);
  const recs = ctx.stream('dns');
  assert.equal(recs.length, 2);
  assert.equal(recs[0].trans_id, 0x1235);
  assert.equal(recs[0].rtt, null);
  assert.equal(recs[1].trans_id, 0x1234);
});

test('UDP: pending queries are bounded by limits.maxPendingRequests', () => {
  const ctx = new FakeFlowContext('CDns', UDP, { maxPendingRequests: 2 });
  const a = new DnsDatagramAnalyzer(ctx);
  for (let i = 0; i < 3; i++) {
    const q = QUERY.slice();
    q[1] = i;
    a.datagram(true, q, i);
  }
  assert.deepEqual(ctx.anomalyNames(), ['dns.pending_overflow']);
  assert.equal(ctx.stream('dns').length, 1);
  a.end(9);
  assert.deepEqual(ctx.stream('dns').map((r) => r.trans_id), [0x1200, 0x1201, 0x1202]);
});

test('UDP: malformed messages are violations; before confirmation the fourth is fatal', () => {
  const { ctx, a } = udp();
  for (let i = 0; i <= MAX_UNCONFIRMED_VIOLATIONS; i++) a.datagram(true, i % 2 === 0 ? SELF_LOOP : BAD_POINTER, i);
  assert.deepEqual(ctx.anomalyNames(), ['dns.name_loop', 'dns.bad_pointer', 'dns.name_loop', 'dns.bad_pointer', 'dns.too_many_violations']);
  assert.equal(ctx.anomalies.at(-1)?.grade, 'fatal');
  assert.equal(a.done, true);
});

test('TCP: several messages in one segment, one message across segments (byte by byte)', () => {
  const { ctx, a } = tcp();
  a.deliver(true, subView(tcpFrame(QUERY, TXT_QUERY)), 1);
  const resp = tcpFrame(RESPONSE);
  for (let i = 0; i < resp.length; i++) a.deliver(false, resp.subarray(i, i + 1), 2 + i / 1000);
  a.end(5);
  const recs = ctx.stream('dns');
  assert.deepEqual(recs.map((r) => [r.proto, r.trans_id, r.query, r.answers]), [
    ['tcp', 0x1234, 'www.example.com', ['web.example.com', '93.184.216.34']],
    ['tcp', 0xabcd, 'mfrggzdfmztgq3domfrggzdfmztgq3doabcdefgh.t.boxsync.example', null],
  ]);
  assert.deepEqual(ctx.anomalyNames(), []);
});

test('TCP: a split after the first length byte, and a message split across two segments with another behind it', () => {
  const { ctx, a } = tcp();
  const both = tcpFrame(QUERY, RESPONSE);
  a.deliver(true, both.subarray(0, 1), 1);
  a.deliver(true, both.subarray(1, 20), 1);
  a.deliver(true, both.subarray(20), 1);
  a.end(2);
  assert.deepEqual(ctx.stream('dns').map((r) => [r.trans_id, r.rtt, r.answers]), [[0x1234, 0, ['web.example.com', '93.184.216.34']]]);
});

test('TCP: a gap drops the partial message; framing restarts at the next segment', () => {
  const { ctx, a } = tcp();
  const q = tcpFrame(QUERY);
  a.deliver(true, q.subarray(0, 10), 1);
  a.gap(true, 30, 2);
  a.deliver(true, tcpFrame(TXT_QUERY), 3);
  a.end(4);
  assert.deepEqual(ctx.anomalyNames(), ['dns.partial_message_discarded']);
  assert.deepEqual(ctx.stream('dns').map((r) => r.trans_id), [0xabcd]);
});

test('TCP: a message longer than the analyzer buffer is skipped by its length', () => {
  const { ctx, a } = tcp({ maxAnalyzerBufferBytes: 40 });
  const big = tcpFrame(RESPONSE); // 63 bytes + 2
  a.deliver(false, big.subarray(0, 30), 1);
  a.deliver(false, big.subarray(30), 1);
  a.deliver(true, tcpFrame(QUERY), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), ['dns.buffer_limit']);
  assert.deepEqual(ctx.stream('dns').map((r) => [r.trans_id, r.rcode]), [[0x1234, null]]);
});

test('probe: confirmed by content on any port, not by port 53 alone', () => {
  assert.equal(probeDnsUdp(QUERY, true, false), 'yes');
  assert.equal(probeDnsUdp(subView(RESPONSE), false, false), 'yes');
  assert.equal(probeDnsUdp(REFUSED, false, false), 'no', 'no question: only on port 53');
  assert.equal(probeDnsUdp(REFUSED, false, true), 'yes');
  assert.equal(probeDnsUdp(SELF_LOOP, true, true), 'no');
  // NTP client request (RFC 5905 §7.3): 48 bytes, LI/VN/Mode 0x23, zeros
  const ntp = new Uint8Array(48);
  ntp[0] = 0x23;
  assert.equal(probeDnsUdp(ntp, true, true), 'no');
  assert.equal(probeDnsUdp(hex('01 02 03'), true, true), 'no');
  const framed = tcpFrame(QUERY);
  assert.equal(probeDnsTcp(framed.subarray(0, 10), true, false), 'maybe');
  assert.equal(probeDnsTcp(framed.subarray(0, 20), true, false), 'maybe');
  assert.equal(probeDnsTcp(framed.subarray(0, 20), true, true), 'yes');
  assert.equal(probeDnsTcp(framed, true, false), 'yes');
  // Modbus/TCP Read Holding Registers request (MBAP: tid 1, pid 0, len 6, unit 1, fc 3, addr 0, qty 10)
  assert.equal(probeDnsTcp(hex('00 01 00 00 00 06 01 03 00 00 00 0a 00 00 00 00'), true, false), 'no');
});

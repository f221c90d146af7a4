/**
 * SessionTable: reassembly through the table (gaps, order, overlaps, bounds), expiry, eviction,
 * UDP and ICMP flows, deterministic output, and protocol probing / analyzer dispatch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, type Limits } from '../../src/config/limits.js';
import type { AnalyzerSpec } from '../../src/session/analyzer.js';
import { MAX_PROBE_PACKETS } from '../../src/session/dispatch.js';
import { SessionTable } from '../../src/session/flow-table.js';
import { Feeder, MemorySink, recordingSpec } from './packets.js';

const C = '10.1.1.5';
const S = '10.1.1.9';
const CP = 50100;

function setup(analyzers: readonly AnalyzerSpec[] = [], limits: Partial<Limits> = {}): { f: Feeder; sink: MemorySink; table: SessionTable } {
  const sink = new MemorySink();
  const table = new SessionTable({ limits: { ...DEFAULT_LIMITS, ...limits }, analyzers, sink });
  return { f: new Feeder(table), sink, table };
}

/** A spec that takes every flow ('yes' on any payload). */
function takeAll(name = 'any', ports: number[] = []): ReturnType<typeof recordingSpec> {
  return recordingSpec(name, 'tcp', ports, () => 'yes');
}

/** Handshake C:CP → S:502 with ISNs 1000 / 5000. */
function handshake(f: Feeder, t = 1): void {
  f.tcp(t, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(t + 0.01, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(t + 0.02, C, CP, S, 502, 'A', 1001, 5001);
}

test('table: out-of-order segments reach the analyzer in order (buffered bytes are copies)', () => {
  const spec = takeAll();
  const { f, sink, table } = setup([spec]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'one-' });
  f.tcp(1.2, C, CP, S, 502, 'PA', 1009, 5001, { data: 'three' }); // ahead: buffered copy
  f.tcp(1.3, C, CP, S, 502, 'PA', 1005, 5001, { data: 'two-' });
  assert.equal(table.stats.reassemblyBytes, 0);
  table.finish(2);
  const a = spec.created[0];
  assert.equal(a.text(true), 'one-two-three');
  assert.equal(sink.conn(CP).orig_bytes, 13);
  assert.equal(sink.conn(CP).missed_bytes, 0);
});

test('table: a hole acknowledged by the peer is skipped: missed_bytes, analyzer.gap, history G, weird tcp.content_gap once', () => {
  const spec = takeAll();
  const { f, sink, table } = setup([spec]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'AAAA' });
  f.tcp(1.2, C, CP, S, 502, 'PA', 1009, 5001, { data: 'CCCC' }); // 1005..1008 lost in capture
  f.tcp(1.3, S, 502, C, CP, 'A', 5001, 1013); // the server got everything
  f.tcp(1.4, C, CP, S, 502, 'PA', 1017, 5001, { data: 'EEEE' }); // 1013..1016 lost too, never acknowledged
  table.finish(2);
  const a = spec.created[0];
  // Unlike Zeek, data still behind an unacknowledged hole is delivered when the flow ends (after a
  // gap), so that commands seen on a one-way tap are analyzed; conn.log counts only the acknowledged hole, as Zeek.
  assert.deepEqual(
    a.seen.filter((s) => s.kind !== 'end').map((s) => (s.kind === 'gap' ? `gap${s.len}` : s.kind === 'data' ? s.text : '')),
    ['AAAA', 'gap4', 'CCCC', 'gap4', 'EEEE'],
  );
  const r = sink.conn(CP);
  assert.equal(r.missed_bytes, 4);
  assert.equal(r.history, 'ShADaG');
  assert.equal(r.orig_bytes, 20);
  const gaps = sink.of('weird').filter((w) => w.name === 'tcp.content_gap');
  assert.equal(gaps.length, 1); // maxWeirdsPerFlowAndName = 1
  assert.equal(gaps[0].uid, r.uid);
  assert.equal(a.seen.at(-1)?.kind, 'end');
});

test('table: overlapping retransmission with different bytes → weird tcp.overlap_mismatch, first bytes kept', () => {
  const spec = takeAll();
  const { f, sink, table } = setup([spec]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1005, 5001, { data: 'WXYZ' }); // ahead
  f.tcp(1.2, C, CP, S, 502, 'PA', 1001, 5001, { data: 'abcdwxyz' }); // overlaps with other bytes
  table.finish(2);
  assert.equal(spec.created[0].text(true), 'abcdWXYZ');
  const w = sink.of('weird').filter((x) => x.name === 'tcp.overlap_mismatch');
  assert.equal(w.length, 1);
  assert.equal(w[0].grade, 'weird');
  assert.equal(w[0].addl, 'orig');
});

test('table: reassembly segment bound forces a gap skip', () => {
  const spec = takeAll();
  const { f, sink, table } = setup([spec], { maxReassemblySegmentsPerDirection: 2 });
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'a' });
  f.tcp(1.2, C, CP, S, 502, 'PA', 1003, 5001, { data: 'c' });
  f.tcp(1.3, C, CP, S, 502, 'PA', 1005, 5001, { data: 'e' });
  assert.equal(table.stats.reassemblyBytes, 2);
  f.tcp(1.4, C, CP, S, 502, 'PA', 1007, 5001, { data: 'g' }); // third buffered segment
  assert.equal(table.stats.reassemblyBytes, 2);
  assert.equal(spec.created[0].text(true), 'ac');
  table.finish(2);
  assert.equal(spec.created[0].text(true), 'aceg', 'e and g, behind a hole at the end, are delivered after a gap');
  assert.equal(sink.conn(CP).missed_bytes, 1, 'only the hole skipped for the bound counts, as in Zeek');
  assert.equal(table.stats.reassemblyBytes, 0);
});

test('table: maxFlows evicts the least recently active flow (conn record, weird session.flow_evicted)', () => {
  const { f, sink, table } = setup([], { maxFlows: 2 });
  f.udp(1, C, 1001, S, 9999, 'a');
  f.udp(2, C, 1002, S, 9999, 'b');
  f.udp(3, C, 1001, S, 9999, 'c'); // 1001 becomes the most recent
  f.udp(4, C, 1003, S, 9999, 'd'); // table full: 1002 goes
  assert.equal(table.stats.flowsEvicted, 1);
  assert.equal(table.stats.liveFlows, 2);
  const conn = sink.of('conn');
  assert.equal(conn.length, 1);
  assert.equal(conn[0]['id.orig_p'], 1002);
  const w = sink.of('weird');
  assert.equal(w.length, 1);
  assert.equal(w[0].name, 'session.flow_evicted');
  assert.equal(w[0].uid, conn[0].uid);
  assert.equal(w[0].source, 'session');
  table.finish(5);
  assert.equal(sink.of('conn').length, 3);
});

test('table: idle flows expire by their inactivity timeout, found by the per-second sweep', () => {
  const { f, sink, table } = setup([], { udpInactivitySec: 60, tcpInactivitySec: 300, tcpCloseDelaySec: 5 });
  f.udp(100, C, 2000, S, 9999, 'x');
  handshake(f, 100);
  f.tcp(100.5, C, CP, S, 502, 'FA', 1001, 5001);
  f.tcp(100.6, S, 502, C, CP, 'FA', 5001, 1002); // closed at 100.6
  f.udp(104, C, 2001, S, 9999, 'y'); // sweep at 104: nothing due yet
  assert.equal(sink.of('conn').length, 0);
  f.udp(105.7, C, 2001, S, 9999, 'z'); // TCP close delay (5 s) passed
  assert.deepEqual(sink.of('conn').map((r) => r.proto), ['tcp']);
  f.udp(160.5, C, 2001, S, 9999, 'w'); // UDP 2000 idle since 100 → 60 s passed
  assert.deepEqual(sink.of('conn').map((r) => r['id.orig_p']), [CP, 2000]);
  assert.equal(table.stats.flowsExpired, 2);
  table.finish(161);
  assert.equal(sink.of('conn').length, 3);
});

test('table: UDP request/response → SF Dd with payload byte counts; a server-port sender is flipped', () => {
  const { f, sink, table } = setup();
  f.udp(1.0, C, 40001, S, 47808, 'abcdef');
  f.udp(1.5, S, 47808, C, 40001, 'xyz');
  f.udp(2.0, S, 47808, C, 40002, 'unsolicited'); // from a likely server port: receiver becomes orig
  table.finish(3);
  const a = sink.conn(40001);
  assert.equal(a.proto, 'udp');
  assert.equal(a.conn_state, 'SF');
  assert.equal(a.history, 'Dd');
  assert.equal(a.orig_bytes, 6);
  assert.equal(a.resp_bytes, 3);
  assert.equal(a.orig_ip_bytes, 28 + 6);
  assert.equal(a.duration, 0.5);
  const b = sink.conn(40002);
  assert.equal(b['id.orig_h'], C);
  assert.equal(b.conn_state, 'SHR');
  assert.equal(b.history, '^d');
  assert.equal(b.duration, null);
  assert.equal(b.ip_proto, 17);
});

test('table: ICMP echo request and reply form one flow (orig_p type 8, resp_p counterpart 0); one-way messages key on the code', () => {
  const { f, sink, table } = setup();
  f.icmp(1.0, C, S, 8, 0, 'ping-payload');
  f.icmp(1.001, S, C, 0, 0, 'ping-payload');
  f.icmp(2.0, C, S, 8, 0, 'ping-payload');
  f.icmp(2.001, S, C, 0, 0, 'ping-payload');
  f.icmp(3.0, S, C, 3, 3, 'ip-header-and-8-bytes'); // destination unreachable / port unreachable
  f.icmp(4.0, 'fe80::1', 'fe80::2', 128, 0, 'v6', true);
  f.icmp(4.1, 'fe80::2', 'fe80::1', 129, 0, 'v6', true);
  table.finish(5);
  const echo = sink.conn(8);
  assert.equal(echo.proto, 'icmp');
  assert.equal(echo['id.orig_h'], C);
  assert.equal(echo['id.resp_p'], 0);
  assert.equal(echo.conn_state, 'OTH');
  assert.equal(echo.history, null);
  assert.equal(echo.orig_pkts, 2);
  assert.equal(echo.resp_pkts, 2);
  assert.equal(echo.orig_bytes, 24);
  assert.equal(echo.resp_bytes, 24);
  assert.equal(echo.orig_ip_bytes, 2 * (28 + 12));
  assert.equal(echo.ip_proto, 1);
  const unreach = sink.conn(3);
  assert.equal(unreach['id.orig_h'], S);
  assert.equal(unreach['id.resp_p'], 3);
  assert.equal(unreach.resp_pkts, 0);
  const v6 = sink.conn(128);
  assert.equal(v6['id.resp_p'], 129);
  assert.equal(v6.resp_pkts, 1);
  assert.equal(v6.ip_proto, 58);
  assert.equal(v6.local_orig, true);
});

test('table: conn records at finish are sorted by (ts, uid) and identical across runs', () => {
  const run = (): string => {
    const { f, sink, table } = setup([takeAll()]);
    f.udp(5, C, 3003, S, 9999, 'c');
    f.udp(1, C, 3001, S, 9999, 'a');
    handshake(f, 3);
    f.tcp(3.5, C, CP, S, 502, 'PA', 1001, 5001, { data: 'q' });
    f.udp(3, C, 3002, S, 9999, 'b'); // same ts as the TCP flow: uid decides
    table.finish(10);
    return sink.records.map((r) => JSON.stringify(r)).join('\n');
  };
  const a = run();
  assert.equal(a, run());
  const rows = a.split('\n').map((l) => JSON.parse(l) as { stream: string; record: Record<string, unknown> });
  const conn = rows.filter((r) => r.stream === 'conn').map((r) => r.record);
  const keys = conn.map((r) => [r.ts as number, r.uid as string] as const);
  const sorted = [...keys].sort((x, y) => (x[0] !== y[0] ? x[0] - y[0] : x[1] < y[1] ? -1 : 1));
  assert.deepEqual(keys, sorted);
  assert.equal(conn.length, 4);
});

test('table: MAC addresses and VLAN ids of the first packet are logged (swapped with a flip)', () => {
  const { f, sink, table } = setup();
  f.tcp(1, S, 502, C, CP, 'PA', 1, 1, { data: 'r', srcMac: 0x0000c0ffee01, dstMac: 0x02aabbccddee, vlan: 7 });
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.orig_l2_addr, '02:aa:bb:cc:dd:ee');
  assert.equal(r.resp_l2_addr, '00:00:c0:ff:ee:01');
  assert.equal(r.vlan, 7);
  assert.equal(r.inner_vlan, null);
});

test('probe: specs listing the responder port are probed first; onWellKnownPort says so', () => {
  const order: string[] = [];
  const other = recordingSpec('other', 'tcp', [], () => (order.push('other'), 'no'));
  const mb = recordingSpec('mb', 'tcp', [502], () => (order.push('mb'), 'no'));
  const { f, table } = setup([other, mb]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'hello' });
  table.finish(2);
  assert.deepEqual(order, ['mb', 'other']);
  assert.equal(mb.probes[0].onWellKnownPort, true);
  assert.equal(other.probes[0].onWellKnownPort, false);
  assert.equal(mb.probes[0].text, 'hello');
  assert.equal(mb.probes[0].isOrig, true);
});

test("probe: a TCP direction whose bytes were refused is still offered its later segments on their own; the other direction is probed", () => {
  const spec = recordingSpec('mb', 'tcp', [502], (_d, isOrig) => (isOrig ? 'no' : 'maybe'));
  const { f, sink, table } = setup([spec]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'GET / HTTP/1.0\r\n' });
  f.tcp(1.2, C, CP, S, 502, 'PA', 1017, 5001, { data: 'more' });
  f.tcp(1.3, S, 502, C, CP, 'PA', 5001, 1021, { data: 'resp' });
  table.finish(2);
  assert.deepEqual(
    spec.probes.map((p) => [p.isOrig, p.text]),
    [
      [true, 'GET / HTTP/1.0\r\n'],
      [true, 'more'],
      [false, 'resp'],
    ],
  );
  assert.equal(spec.created.length, 0);
  assert.equal(sink.conn(CP).service, null);
});

test("probe: 'maybe' keeps probing up to MAX_PROBE_PACKETS payload packets per flow, then gives up", () => {
  const spec = recordingSpec('mb', 'udp', [], () => 'maybe');
  const { f, table } = setup([spec]);
  for (let i = 0; i < MAX_PROBE_PACKETS + 4; i++) f.udp(1 + i, C, 4000, S, 5000, `dgram${i}`);
  table.finish(20);
  assert.equal(spec.probes.length, MAX_PROBE_PACKETS);
  assert.equal(spec.created.length, 0);
});

test("probe: 'yes' attaches; the analyzer gets that payload on; confirm → service; emit → sink", () => {
  const spec = recordingSpec('mb', 'tcp', [502], (d) => (d[0] === 0x4d ? 'yes' : 'maybe'));
  const { f, sink, table } = setup([spec]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: '?' }); // maybe
  f.tcp(1.2, C, CP, S, 502, 'PA', 1002, 5001, { data: 'MB1' }); // yes
  f.tcp(1.3, S, 502, C, CP, 'PA', 5001, 1005, { data: 'R1' });
  const a = spec.created[0];
  a.ctx.confirm('modbus');
  a.ctx.confirm('modbus');
  a.ctx.emit('modbus', { ts: 1.2, uid: a.ctx.uid, func: 'read' });
  assert.equal(a.ctx.id.resp_p, 502);
  table.finish(2);
  assert.equal(a.text(true), 'MB1');
  assert.equal(a.text(false), 'R1');
  assert.equal(sink.conn(CP).service, 'modbus');
  assert.equal(sink.of('modbus').length, 1);
  assert.deepEqual(
    a.seen.map((s) => s.kind),
    ['data', 'data', 'end'],
  );
});

test('analyzer: anomalies go to weird with the per-flow quota; fatal detaches (no more data, no end); done stops delivery', () => {
  const spec = takeAll('mb', [502]);
  const { f, sink, table } = setup([spec], { maxWeirdsPerFlowAndName: 2 });
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'a' });
  const a = spec.created[0];
  for (let i = 0; i < 5; i++) a.ctx.anomaly('mb.odd', 'weird', 1.1, `n=${i}`);
  a.ctx.anomaly('mb.broken', 'fatal', 1.15);
  f.tcp(1.2, C, CP, S, 502, 'PA', 1002, 5001, { data: 'b' });
  table.finish(2);
  const w = sink.of('weird');
  assert.deepEqual(
    w.map((x) => [x.name, x.grade, x.source]),
    [
      ['mb.odd', 'weird', 'mb'],
      ['mb.odd', 'weird', 'mb'],
      ['mb.broken', 'fatal', 'mb'],
    ],
  );
  assert.equal(a.text(true), 'a');
  assert.ok(!a.seen.some((s) => s.kind === 'end'));

  const spec2 = takeAll('mb', [502]);
  const t2 = setup([spec2]);
  handshake(t2.f);
  t2.f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'a' });
  spec2.created[0].done = true;
  t2.f.tcp(1.2, C, CP, S, 502, 'PA', 1002, 5001, { data: 'b' });
  t2.table.finish(2);
  assert.equal(spec2.created[0].text(true), 'a');
});

test('analyzer: an exception thrown by an analyzer becomes fatal session.analyzer_error, the run goes on', () => {
  const spec: AnalyzerSpec = {
    name: 'boom',
    transport: 'udp',
    ports: [],
    probe: () => 'yes',
    create: () => ({
      done: false,
      datagram() {
        throw new Error('kaput');
      },
      end() {},
    }),
  };
  const { f, sink, table } = setup([spec]);
  f.udp(1, C, 7000, S, 7001, 'x');
  f.udp(2, C, 7000, S, 7001, 'y');
  table.finish(3);
  const w = sink.of('weird');
  assert.equal(w.length, 1);
  assert.equal(w[0].name, 'session.analyzer_error');
  assert.equal(w[0].grade, 'fatal');
  assert.equal(w[0].addl, 'Error: kaput');
  assert.equal(sink.conn(7000).orig_pkts, 2);
});

test('UDP: a datagram analyzer gets each datagram of the flow with its direction', () => {
  const spec = recordingSpec('dg', 'udp', [47808], () => 'yes');
  const { f, table } = setup([spec]);
  f.udp(1, C, 40000, S, 47808, 'q1');
  f.udp(1.1, S, 47808, C, 40000, 'r1');
  f.udp(1.2, C, 40000, S, 47808, 'q2');
  table.finish(2);
  const a = spec.created[0];
  assert.deepEqual(
    a.seen.filter((s) => s.kind === 'data').map((s) => (s.kind === 'data' ? `${s.isOrig ? 'o' : 'r'}:${s.text}` : '')),
    ['o:q1', 'r:r1', 'o:q2'],
  );
});

test('table: mid-stream, a direction starts at the peer’s first acknowledgement (Zeek relative seq 1); its first data beyond it is delivered at once', () => {
  const spec = takeAll();
  const { f, sink, table } = setup([spec]);
  f.tcp(1, S, 502, C, CP, 'A', 5001, 1001); // the server acknowledges the client up to 1001
  f.tcp(1.1, C, CP, S, 502, 'PA', 1005, 5001, { data: 'late' }); // 1001..1004 never seen
  assert.equal(spec.created.length, 1, 'delivered at once: no SYN anchors the start, the acknowledgement may be stale');
  f.tcp(1.2, S, 502, C, CP, 'A', 5001, 1009);
  table.finish(2);
  const a = spec.created[0];
  assert.deepEqual(
    a.seen.filter((s) => s.kind !== 'end').map((s) => (s.kind === 'gap' ? `gap${s.len}` : s.kind === 'data' ? s.text : '')),
    ['late'],
    'probing sees the first delivered bytes; the gap before them went to no analyzer',
  );
  assert.equal(sink.conn(CP).missed_bytes, 0, 'not cleanly established: no missed_bytes, as Zeek');
});

test('table: an acknowledgement carried by a RST skips the gap too (Zeek), without history G or missed_bytes', () => {
  const spec = takeAll();
  const { f, sink, table } = setup([spec]);
  handshake(f);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'AAAA' });
  f.tcp(1.2, C, CP, S, 502, 'PA', 1009, 5001, { data: 'CCCC' }); // 1005..1008 lost
  f.tcp(1.3, S, 502, C, CP, 'RA', 5001, 1013);
  assert.equal(spec.created[0].text(true), 'AAAACCCC', 'delivered at the RST, not at the end');
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.history, 'ShADr');
  assert.equal(r.missed_bytes, 0);
});

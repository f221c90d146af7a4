/**
 * SessionTable.onPacket(p, badChecksum = true): a packet whose transport checksum the policy drops
 * finds or creates its flow (Zeek: the connection exists before the checksum is checked) and
 * leaves only history C/c (TCP, UDP; scaled 1, 10, 100 …) and a weird — no packets, bytes, state,
 * payload or duration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { SessionTable } from '../../src/session/flow-table.js';
import { Feeder, MemorySink, recordingSpec } from './packets.js';

const C = '10.1.1.5';
const S = '10.1.1.9';
const CP = 50100;

/** A table, and a feeder whose packets carry the current value of `bad.on` as their checksum verdict. */
function setup(): { f: Feeder; sink: MemorySink; table: SessionTable; bad: { on: boolean }; spec: ReturnType<typeof recordingSpec> } {
  const sink = new MemorySink();
  const spec = recordingSpec('any', 'tcp', [], () => 'yes');
  const table = new SessionTable({ limits: DEFAULT_LIMITS, analyzers: [spec], sink });
  const bad = { on: false };
  const f = new Feeder({ onPacket: (p: DecodedPacket) => table.onPacket(p, bad.on) });
  return { f, sink, table, bad, spec };
}

test('a bad-checksum first packet creates the flow (orientation, start time); nothing else of it counts', () => {
  const { f, sink, table, bad, spec } = setup();
  bad.on = true;
  f.tcp(1, S, 502, C, CP, 'PA', 5001, 1001, { data: 'resp' }); // from the server port: flipped, as Zeek
  bad.on = false;
  f.tcp(1.5, C, CP, S, 502, 'PA', 1001, 5001, { data: 'abcd' });
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r['id.orig_h'], C);
  assert.equal(r.ts, 1, 'the flow starts with the packet that created it');
  assert.equal(r.history, '^cD');
  assert.equal(r.orig_pkts, 1);
  assert.equal(r.resp_pkts, 0);
  assert.equal(r.resp_ip_bytes, 0);
  assert.equal(spec.created[0].text(true), 'abcd');
  assert.equal(spec.created[0].text(false), '');
  const w = sink.of('weird');
  assert.deepEqual(
    w.map((x) => [x.name, x.uid, x['id.orig_h'], x.addl]),
    [['tcp.bad_checksum', r.uid, C, 'resp']],
  );
});

test('a good SYN after a bad one with the same sequence number starts a new connection, as Zeek (start_seq still 0)', () => {
  const { f, sink, table, bad } = setup();
  bad.on = true;
  f.tcp(1, C, CP, S, 502, 'S', 1000, 0);
  bad.on = false;
  f.tcp(1.5, C, CP, S, 502, 'S', 1000, 0); // the retransmitted SYN, intact
  f.tcp(1.6, S, 502, C, CP, 'SA', 5000, 1001);
  table.finish(2);
  const conn = sink.of('conn');
  assert.deepEqual(
    conn.map((c) => [c.ts, c.history, c.orig_pkts]),
    [
      [1, 'C', 0],
      [1.5, 'Sh', 1],
    ],
  );
  assert.equal(table.stats.flowsReused, 1);
});

test('only bad packets: the conn record keeps history C, no packets, state OTH, duration 0', () => {
  const { f, sink, table, bad, spec } = setup();
  bad.on = true;
  f.tcp(1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'never' });
  f.tcp(3, C, CP, S, 502, 'PA', 1006, 5001, { data: 'seen' });
  table.finish(4);
  const r = sink.conn(CP);
  assert.equal(r.history, 'C');
  assert.equal(r.orig_pkts, 0);
  assert.equal(r.conn_state, 'OTH');
  assert.equal(r.duration, null, 'unset: nothing productive');
  assert.equal(spec.created.length, 0, 'no payload reached probing');
  assert.equal(sink.of('weird').length, 1, 'one weird per flow and name');
});

test('a bad packet in the middle is skipped: its bytes become a gap once acknowledged; c for the responder; scaled C', () => {
  const { f, sink, table, bad, spec } = setup();
  f.tcp(1, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.01, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.02, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(1.1, C, CP, S, 502, 'PA', 1001, 5001, { data: 'req1' });
  bad.on = true;
  f.tcp(1.2, S, 502, C, CP, 'PA', 5001, 1005, { data: 'BAD!' }); // dropped
  for (let i = 0; i < 10; i++) f.tcp(1.3 + i / 100, C, CP, S, 502, 'PA', 1005, 5001, { data: 'xxxx' }); // 10 failures
  bad.on = false;
  f.tcp(1.5, S, 502, C, CP, 'PA', 5005, 1005, { data: 'rsp2' }); // the server's next response
  f.tcp(1.6, C, CP, S, 502, 'A', 1005, 5009); // acknowledges the dropped 4 bytes too
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.history, 'ShADcCCdg');
  assert.equal(r.resp_pkts, 2);
  assert.equal(r.orig_pkts, 4);
  assert.equal(r.missed_bytes, 4);
  const a = spec.created[0];
  assert.deepEqual(
    a.seen.filter((s) => s.kind === 'end' || !s.isOrig).map((s) => (s.kind === 'gap' ? `gap${s.len}` : s.kind === 'data' ? s.text : s.kind)),
    ['gap4', 'rsp2', 'end'],
  );
});

test('UDP: history C, nothing counted; ICMP: the weird only', () => {
  const { f, sink, table, bad } = setup();
  bad.on = true;
  f.udp(1, C, 40000, S, 161, 'bad');
  f.icmp(1, C, S, 8, 0, 'ping');
  bad.on = false;
  f.udp(1.1, S, 161, C, 40000, 'reply');
  table.finish(2);
  const conn = sink.of('conn');
  const udp = conn.find((c) => c.proto === 'udp')!;
  assert.equal(udp.history, 'Cd');
  assert.equal(udp.orig_pkts, 0);
  assert.equal(udp.orig_bytes, 0);
  assert.equal(udp.resp_pkts, 1);
  const icmp = conn.find((c) => c.proto === 'icmp')!;
  assert.equal(icmp.history, null);
  assert.equal(icmp.orig_pkts, 0);
  assert.deepEqual(sink.of('weird').map((w) => w.name).sort(), ['icmp.bad_checksum', 'udp.bad_checksum']);
});

/**
 * Zeek conn.log semantics of TCP flows (conn_state, history, sizes, packets, flips, reuse), each
 * scenario built packet by packet. Expected values follow Zeek's TCPSessionAdapter / conn/main.zeek.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import { SessionTable } from '../../src/session/flow-table.js';
import { Feeder, MemorySink } from './packets.js';

const C = '192.168.1.10'; // client
const S = '192.168.1.20'; // server (Modbus port 502)
const CP = 40000;

function setup(): { f: Feeder; sink: MemorySink; table: SessionTable } {
  const sink = new MemorySink();
  const table = new SessionTable({ limits: DEFAULT_LIMITS, analyzers: [], sink });
  return { f: new Feeder(table), sink, table };
}

function near(actual: unknown, expected: number): void {
  assert.equal(typeof actual, 'number');
  assert.ok(Math.abs((actual as number) - expected) < 1e-7, `${String(actual)} ≉ ${expected}`);
}

test('SF: handshake, data both ways, FIN both ways → ShADadFf with sequence-span bytes', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(1.3, C, CP, S, 502, 'PA', 1001, 5001, { data: 'request-12by' });
  f.tcp(1.35, S, 502, C, CP, 'A', 5001, 1013);
  f.tcp(1.4, S, 502, C, CP, 'PA', 5001, 1013, { data: 'reply-9by' });
  f.tcp(1.6, C, CP, S, 502, 'FA', 1013, 5010);
  f.tcp(1.7, S, 502, C, CP, 'FA', 5010, 1014);
  f.tcp(1.8, C, CP, S, 502, 'A', 1014, 5011); // after both FINs: not in the duration
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r['id.orig_h'], C);
  assert.equal(r['id.resp_p'], 502);
  assert.equal(r.proto, 'tcp');
  assert.equal(r.conn_state, 'SF');
  assert.equal(r.history, 'ShADadFf');
  assert.equal(r.orig_bytes, 12);
  assert.equal(r.resp_bytes, 9);
  near(r.duration, 0.7);
  assert.equal(r.orig_pkts, 5);
  assert.equal(r.orig_ip_bytes, 5 * 40 + 12);
  assert.equal(r.resp_pkts, 4);
  assert.equal(r.resp_ip_bytes, 4 * 40 + 9);
  assert.equal(r.missed_bytes, 0);
  assert.equal(r.local_orig, true);
  assert.equal(r.local_resp, true);
  assert.equal(r.ip_proto, 6);
  assert.equal(r.service, null);
  assert.match(String(r.uid), /^C[0-9A-Za-z]{15,17}$/);
});

test('REJ: SYN answered by RST-ACK → Sr', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.001, S, 502, C, CP, 'RA', 0, 1001);
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.conn_state, 'REJ');
  assert.equal(r.history, 'Sr');
  assert.equal(r.orig_bytes, 0);
  assert.equal(r.resp_bytes, 0);
});

test('S0: a lone SYN → S0, no duration and no byte counts', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  table.finish(1.5);
  const r = sink.conn(CP);
  assert.equal(r.conn_state, 'S0');
  assert.equal(r.history, 'S');
  assert.equal(r.duration, null);
  assert.equal(r.orig_bytes, null);
  assert.equal(r.resp_bytes, null);
  assert.equal(r.orig_pkts, 1);
  assert.equal(r.resp_pkts, 0);
});

test('RSTO: established then the originator resets → ShAR', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(1.3, C, CP, S, 502, 'R', 1001, 0);
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.conn_state, 'RSTO');
  assert.equal(r.history, 'ShAR');
});

test('RSTR: data then the responder resets → ShADr', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(1.3, C, CP, S, 502, 'PA', 1001, 5001, { data: 'abc' });
  f.tcp(1.4, S, 502, C, CP, 'R', 5001, 0);
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.conn_state, 'RSTR');
  assert.equal(r.history, 'ShADr');
  assert.equal(r.orig_bytes, 3);
});

test('SH: SYN then FIN from the originator, responder silent', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.2, C, CP, S, 502, 'F', 1001, 0);
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.conn_state, 'SH');
  assert.equal(r.history, 'SF');
});

test('OTH: mid-stream traffic without a SYN → Dd, bytes from the sequence span', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'PA', 7000, 9000, { data: '0123456789' });
  f.tcp(1.1, S, 502, C, CP, 'PA', 9000, 7010, { data: 'abcde' });
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.conn_state, 'OTH');
  assert.equal(r.history, 'Dd');
  assert.equal(r.orig_bytes, 10);
  assert.equal(r.resp_bytes, 5);
});

test('flip: first packet from a likely server port to an ephemeral one makes the receiver the originator (^d)', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, S, 502, C, CP, 'PA', 9000, 7000, { data: 'resp' });
  f.tcp(1.1, C, CP, S, 502, 'PA', 7000, 9004, { data: 'req' });
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r['id.orig_h'], C);
  assert.equal(r['id.resp_h'], S);
  assert.equal(r.history, '^dD');
  assert.equal(r.orig_pkts, 1);
  assert.equal(r.resp_pkts, 1);
  assert.equal(r.orig_bytes, 3);
  assert.equal(r.resp_bytes, 4);
});

test('flip: SYN-ACK first from a likely server port → ^h, then S1', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.1, C, CP, S, 502, 'A', 1001, 5001);
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r['id.orig_h'], C);
  assert.equal(r.history, '^hA');
  assert.equal(r.conn_state, 'S1');
});

test('flip: SYN-ACK first between ports that are not server ports flips once productive traffic follows', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, S, 6000, C, CP, 'SA', 5000, 1001); // kept as sent (stealth-scan rule): history "H"
  f.tcp(1.1, C, CP, S, 6000, 'A', 1001, 5001); // productive: flip, history "^h" + "A"
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r['id.orig_h'], C);
  assert.equal(r['id.orig_p'], CP);
  assert.equal(r['id.resp_p'], 6000);
  assert.equal(r.history, '^hA');
  assert.equal(r.orig_pkts, 1);
  assert.equal(r.resp_pkts, 1);
});

test('both ports likely servers: a non-SYN first packet flips only when its source port is the lower', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, S, 502, C, 20000, 'PA', 1, 1, { data: 'x' }); // 502 < 20000: flip
  f.tcp(1.0, S, 20000, C, 502, 'PA', 1, 1, { data: 'y' }); // 20000 > 502: no flip
  table.finish(2);
  const rows = sink.of('conn');
  assert.equal(rows.length, 2);
  const flipped = rows.filter((r) => r['id.orig_h'] === C);
  assert.equal(flipped.length, 1);
  assert.equal(flipped[0]['id.orig_p'], 20000);
  assert.equal(flipped[0]['id.resp_p'], 502);
  assert.equal(flipped[0].history, '^d');
  const kept = rows.filter((r) => r['id.orig_h'] === S);
  assert.equal(kept.length, 1);
  assert.equal(kept[0]['id.orig_p'], 20000);
  assert.equal(kept[0].history, 'D');
});

test('retransmitted data is counted once and marked T', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(1.3, C, CP, S, 502, 'PA', 1001, 5001, { data: 'abcdef' });
  f.tcp(1.5, C, CP, S, 502, 'PA', 1001, 5001, { data: 'abcdef' });
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.history, 'ShADT');
  assert.equal(r.orig_bytes, 6);
  assert.equal(r.orig_pkts, 4);
  assert.equal(r.conn_state, 'S1');
});

test('zero window advertisement → w (after the packet kind letter, as Zeek orders them)', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(1.3, S, 502, C, CP, 'A', 5001, 1001, { window: 0 });
  table.finish(2);
  assert.equal(sink.conn(CP).history, 'ShAaw');
});

test('port reuse after a reset connection timed out: RSTO, then a new RSTRH flow (Zeek baseline case)', () => {
  // Frames 62–66 of Zeek's modbus-and-non-modbus-p502.pcap.
  const { f, sink, table } = setup();
  const A = '198.74.56.135';
  const B = '192.168.10.111';
  f.tcp(1688769194.447986, A, 60293, B, 502, 'S', 0, 0);
  f.tcp(1688769194.448044, B, 502, A, 60293, 'SA', 3565456408, 1);
  f.tcp(1688769194.565308, A, 60293, B, 502, 'R', 1, 0);
  f.tcp(1688769210.156443, A, 60293, B, 502, 'A', 1, 3565456409, { data: new Uint8Array(109).fill(0x41) });
  f.tcp(1688769210.156497, B, 502, A, 60293, 'R', 3565456409, 0);
  table.finish(1688769211);
  const rows = sink.of('conn');
  assert.equal(rows.length, 2);
  const [first, second] = rows;
  assert.equal(first.conn_state, 'RSTO');
  assert.equal(first.history, 'ShR');
  assert.equal(first.orig_bytes, 0);
  assert.equal(first.resp_bytes, 0);
  near(first.duration, 0.117322);
  assert.equal(first.orig_ip_bytes, 80);
  assert.equal(second.conn_state, 'RSTRH');
  assert.equal(second.history, 'Dr');
  assert.equal(second.orig_bytes, 109);
  assert.equal(second.resp_bytes, 0);
  near(second.duration, 0.000054);
  assert.notEqual(first.uid, second.uid);
  assert.equal(table.stats.flowsExpired, 1);
});

test('connection reuse: a SYN with a new initial sequence number starts a new flow', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'A', 1001, 5001);
  f.tcp(2.0, C, CP, S, 502, 'S', 777777, 0);
  table.finish(3);
  const rows = sink.of('conn');
  assert.equal(rows.length, 2);
  assert.equal(rows[0].history, 'ShA');
  assert.equal(rows[0].conn_state, 'S1');
  assert.equal(rows[1].history, 'S');
  assert.equal(rows[1].conn_state, 'S0');
  assert.equal(table.stats.flowsReused, 1);
  // A retransmitted SYN (same sequence number) is not a reuse.
  const t2 = setup();
  t2.f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  t2.f.tcp(2.0, C, CP, S, 502, 'S', 1000, 0);
  t2.table.finish(3);
  assert.equal(t2.sink.of('conn').length, 1);
  assert.equal(t2.sink.conn(CP).orig_pkts, 2);
});

test('unanswered SYN: the attempt ends after Zeek tcp_attempt_delay, a later SYN is a new flow', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(2.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(7.0, C, CP, S, 502, 'S', 1000, 0);
  table.finish(8);
  const rows = sink.of('conn');
  assert.equal(rows.length, 2);
  assert.equal(rows[0].orig_pkts, 2);
  assert.equal(rows[1].orig_pkts, 1);
});

test('sequence numbers across 2^32: bytes counted through the wrap', () => {
  const { f, sink, table } = setup();
  const isn = 0xfffffff0;
  f.tcp(1.0, C, CP, S, 502, 'S', isn, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, isn + 1);
  f.tcp(1.2, C, CP, S, 502, 'PA', isn + 1, 5001, { data: new Uint8Array(15).fill(1) }); // ends at 2^32
  f.tcp(1.3, C, CP, S, 502, 'PA', 0, 5001, { data: new Uint8Array(20).fill(2) }); // after the wrap
  f.tcp(1.4, S, 502, C, CP, 'A', 5001, 20);
  table.finish(2);
  const r = sink.conn(CP);
  assert.equal(r.orig_bytes, 35);
  assert.equal(r.history, 'ShDa');
  assert.equal(r.missed_bytes, 0);
});

test('RSTOS0, S2, S3 and SHR states', () => {
  const { f, sink, table } = setup();
  // RSTOS0: SYN then the originator's RST, no SYN-ACK.
  f.tcp(1.0, C, 40001, S, 502, 'S', 1000, 0);
  f.tcp(1.1, C, 40001, S, 502, 'R', 1001, 0);
  // S2: established, the originator closes, the responder never does.
  f.tcp(2.0, C, 40002, S, 502, 'S', 1000, 0);
  f.tcp(2.1, S, 502, C, 40002, 'SA', 5000, 1001);
  f.tcp(2.2, C, 40002, S, 502, 'A', 1001, 5001);
  f.tcp(2.3, C, 40002, S, 502, 'FA', 1001, 5001);
  // S3: established, only the responder closes.
  f.tcp(3.0, C, 40003, S, 502, 'S', 1000, 0);
  f.tcp(3.1, S, 502, C, 40003, 'SA', 5000, 1001);
  f.tcp(3.2, C, 40003, S, 502, 'A', 1001, 5001);
  f.tcp(3.3, S, 502, C, 40003, 'FA', 5001, 1001);
  // SHR: SYN-ACK (flipped: sent from the server port) then the responder's FIN, no SYN seen.
  f.tcp(4.0, S, 502, C, 40004, 'SA', 5000, 1001);
  f.tcp(4.1, S, 502, C, 40004, 'FA', 5001, 1001);
  table.finish(10);
  assert.equal(sink.conn(40001).conn_state, 'RSTOS0');
  assert.equal(sink.conn(40001).history, 'SR');
  assert.equal(sink.conn(40002).conn_state, 'S2');
  assert.equal(sink.conn(40002).history, 'ShAF');
  assert.equal(sink.conn(40003).conn_state, 'S3');
  assert.equal(sink.conn(40003).history, 'ShAf');
  assert.equal(sink.conn(40004).conn_state, 'SHR');
  assert.equal(sink.conn(40004).history, '^hf');
});

test('retransmissions are marked on the 1st, 10th and 100th (Zeek scaled history), one letter per side', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.1, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.2, C, CP, S, 502, 'PA', 1001, 5001, { data: 'x' });
  for (let i = 0; i < 100; i++) f.tcp(1.3 + i * 0.001, C, CP, S, 502, 'PA', 1001, 5001, { data: 'x' });
  for (let i = 0; i < 9; i++) f.tcp(1.5 + i * 0.001, S, 502, C, CP, 'A', 5000, 1002, { data: 'y' });
  table.finish(2);
  const r = sink.conn(CP);
  // Originator: 100 retransmissions → T, T (10th), T (100th). Responder: 'y' at seq 5000 lies at or
  // below its last sequence number (the SYN-ACK's): data (d) and retransmission (t); 9 of them → one t.
  assert.equal(r.history, 'ShDTTTdt');
  assert.equal(r.orig_bytes, 1);
});

test('SYN seen after its own SYN-ACK (reversed capture order): flipped and established', () => {
  const { f, sink, table } = setup();
  f.tcp(1.0, S, 6000, C, CP, 'SA', 5000, 1001); // neither port a likely server port: kept as sent
  f.tcp(1.0001, C, CP, S, 6000, 'S', 1000, 0); // the SYN: not a reuse, roles flip
  f.tcp(1.1, C, CP, S, 6000, 'A', 1001, 5001);
  table.finish(2);
  const rows = sink.of('conn');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]['id.orig_h'], C);
  assert.equal(rows[0].history, 'Hs^A');
  assert.equal(rows[0].conn_state, 'S1');
});

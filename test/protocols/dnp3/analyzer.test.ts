import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dnp3DatagramAnalyzer, Dnp3StreamAnalyzer } from '../../../src/protocols/dnp3/analyzer.js';
import { probeDnp3Tcp, probeDnp3Udp } from '../../../src/protocols/dnp3/probe.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { linkFrame, MASTER_DATA, noisyView, OUTSTATION_DATA, request, response } from './frames.js';

const TCP = { orig_h: '10.0.0.1', orig_p: 40000, resp_h: '10.0.0.2', resp_p: 20000, proto: 'tcp' as const };
const UDP = { ...TCP, proto: 'udp' as const };

/** READ of class 0 data. */
const READ_CLASS0 = [
  0xc1, // application control: FIR FIN seq 1
  0x01, // function READ
  0x3c, 0x01, 0x06, // g60v1 class 0, qualifier 0x06 all
];
/** RESPONSE with two binary inputs. */
const RESPONSE_BI = [
  0xc1, // application control
  0x81, // function RESPONSE
  0x02, 0x00, // IIN1 0x02 (class 1 events), IIN2 0
  0x01, 0x02, 0x00, 0x00, 0x01, // g1v2 binary input with status, range 0..1
  0x81, 0x01, // two flag octets
];
/** SELECT of one CROB: index 8, Close / Pulse Off, on-time 500 ms. */
const SELECT_CROB = [
  0xc2, // application control
  0x03, // function SELECT
  0x0c, 0x01, 0x28, 0x01, 0x00, // g12v1, qualifier 0x28, 1 object
  0x08, 0x00, // index 8
  0x42, // control code: Close, Pulse Off
  0x01, // count
  0xf4, 0x01, 0x00, 0x00, // on-time 500
  0x00, 0x00, 0x00, 0x00, // off-time 0
  0x00, // status (request: ignored)
];
/** Its RESPONSE echoing the CROB with status 4 (Not Supported). */
const SELECT_ANSWER = [0xc2, 0x81, 0x00, 0x00, ...SELECT_CROB.slice(2, -1), 0x04];

function stream(limits = {}): { ctx: FakeFlowContext; a: Dnp3StreamAnalyzer } {
  const ctx = new FakeFlowContext('CDnp3', TCP, limits);
  return { ctx, a: new Dnp3StreamAnalyzer(ctx) };
}

test('READ and RESPONSE over TCP: dnp3 row, objects rows, confirmation', () => {
  const { ctx, a } = stream();
  a.deliver(true, noisyView(request(READ_CLASS0)), 1);
  a.deliver(false, noisyView(response(RESPONSE_BI)), 2);
  a.end(3);
  assert.deepEqual(ctx.services, ['dnp3_tcp']);
  const rows = ctx.stream('dnp3');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].ts, 2);
  assert.equal(rows[0].fc_request, 'READ');
  assert.equal(rows[0].fc_reply, 'RESPONSE');
  assert.equal(rows[0].iin, 512);
  const objs = ctx.stream('dnp3_objects');
  assert.deepEqual(objs.map((o) => [o.is_orig, o.function_code, o.object_type, o.object_count, o.range_low, o.range_high]), [
    [true, 'READ', 'Class 0 Data', null, null, null],
    [false, 'RESPONSE', 'Binary Input With Status', 2, 0, 1],
  ]);
  assert.equal(objs[1].source_h, '10.0.0.2');
  assert.deepEqual(ctx.anomalies, []);
});

test('one octet at a time gives the same records', () => {
  const { ctx, a } = stream();
  for (const [orig, bytes] of [[true, request(READ_CLASS0)], [false, response(RESPONSE_BI)]] as const) {
    for (let i = 0; i < bytes.length; i++) a.deliver(orig, bytes.subarray(i, i + 1), 1 + i);
  }
  a.end(100);
  assert.equal(ctx.stream('dnp3').length, 1);
  assert.equal(ctx.stream('dnp3_objects').length, 2);
  assert.deepEqual(ctx.anomalies, []);
});

test('several frames in one chunk; a request without an answer is written at the end', () => {
  const { ctx, a } = stream();
  a.deliver(true, noisyView(request(READ_CLASS0, 1), request([0xc2, 0x0d], 2)), 1); // READ then COLD_RESTART
  a.end(5);
  const rows = ctx.stream('dnp3');
  assert.deepEqual(rows.map((r) => [r.ts, r.fc_request, r.fc_reply, r.iin]), [[1, 'COLD_RESTART', null, null]]);
});

test('an unsolicited response without a request has no fc_request', () => {
  const { ctx, a } = stream();
  a.deliver(false, response([0xf0, 0x82, 0x90, 0x00]), 1); // UNSOLICITED_RESPONSE, IIN1 0x90 (restart, class... )
  a.end(2);
  assert.deepEqual(ctx.stream('dnp3').map((r) => [r.fc_request, r.fc_reply, r.iin]), [[null, 'UNSOLICITED_RESPONSE', 0x9000]]);
});

test('SELECT with a CROB and its answer: dnp3_control rows', () => {
  const { ctx, a } = stream();
  a.deliver(true, request(SELECT_CROB), 1);
  a.deliver(false, response(SELECT_ANSWER), 2);
  a.end(3);
  const c = ctx.stream('dnp3_control');
  assert.deepEqual(c.map((r) => [r.is_orig, r.block_type, r.function_code, r.index_number, r.trip_control_code, r.operation_type, r.clear_bit, r.execute_count, r.on_time, r.off_time, r.status_code]), [
    [true, 'Control Relay Output Block', 'SELECT', 8, 'Close', 'Pulse Off', false, 1, 500, 0, null],
    [false, 'Control Relay Output Block', 'RESPONSE', 8, 'Close', 'Pulse Off', false, 1, 500, 0, 'Not Supported'],
  ]);
  assert.equal(ctx.stream('dnp3')[0].fc_request, 'SELECT');
});

test('a fragment over three transport segments is joined (FIR … FIN, sequence 5, 6, 7)', () => {
  const app = [0xc3, 0x81, 0x00, 0x00, 0x1e, 0x02, 0x01, 0x00, 0x00, 0x63, 0x00]; // g30v2, range 0..99 (16-bit)
  for (let i = 0; i < 100; i++) app.push(0x01, i, 0x00); // 100 × (flag, value)
  const user = app.slice();
  const segs = [user.slice(0, 200), user.slice(200, 300), user.slice(300)];
  const frames = [
    linkFrame(OUTSTATION_DATA, 1024, 1, [0x40 | 5, ...segs[0]]), // FIR, seq 5
    linkFrame(OUTSTATION_DATA, 1024, 1, [6, ...segs[1]]), // seq 6
    linkFrame(OUTSTATION_DATA, 1024, 1, [0x80 | 7, ...segs[2]]), // FIN, seq 7
  ];
  const { ctx, a } = stream();
  a.deliver(false, noisyView(...frames), 1);
  a.end(2);
  const objs = ctx.stream('dnp3_objects');
  assert.deepEqual(objs.map((o) => [o.object_type, o.object_count, o.range_high]), [['16-Bit Analog Input', 100, 99]]);
  assert.deepEqual(ctx.anomalies, []);
});

test('transport: sequence gap, missing FIR and an unfinished fragment are weird', () => {
  const { ctx, a } = stream();
  a.deliver(false, linkFrame(OUTSTATION_DATA, 1024, 1, [0x40 | 1, 0xc0, 0x81]), 1); // FIR seq 1
  a.deliver(false, linkFrame(OUTSTATION_DATA, 1024, 1, [0x80 | 3, 0x00, 0x00]), 2); // FIN seq 3: gap
  a.deliver(false, linkFrame(OUTSTATION_DATA, 1024, 1, [0x80 | 4, 0x00, 0x00]), 3); // no FIR
  a.deliver(false, linkFrame(OUTSTATION_DATA, 1024, 1, [0x40 | 9, 0xc0, 0x81]), 4); // FIR, never finished
  a.end(5);
  assert.deepEqual(ctx.anomalyNames(), ['dnp3.transport_sequence_gap', 'dnp3.first_segment_missing', 'dnp3.fragment_discarded']);
  assert.equal(ctx.stream('dnp3').length, 0);
});

test('a bad user-data CRC drops the frame (violation); the next frame is read', () => {
  const bad = response(RESPONSE_BI);
  bad[12] ^= 0x01; // inside the first data block
  const { ctx, a } = stream();
  a.deliver(false, noisyView(bad, response(RESPONSE_BI, 2)), 1);
  a.end(2);
  assert.deepEqual(ctx.anomalies.map((x) => [x.name, x.grade]), [['dnp3.bad_data_crc', 'violation']]);
  assert.equal(ctx.stream('dnp3').length, 1);
});

test('mid-stream start and gaps: framing is found again at the next good header', () => {
  const whole = response(RESPONSE_BI);
  const { ctx, a } = stream();
  a.deliver(false, noisyView(whole.subarray(7), whole), 1); // the tail of a frame, then a whole one
  a.gap(false, 100, 2);
  a.deliver(false, noisyView(Uint8Array.from([0x05, 0x64, 0x00]), whole), 3); // junk that looks like a start
  a.end(4);
  assert.equal(ctx.stream('dnp3').length, 2);
  assert.ok(ctx.anomalyNames().every((n) => n === 'dnp3.bad_start_octets' || n === 'dnp3.bad_link_length' || n === 'dnp3.bad_header_crc'));
});

test('too many bad headers before any good one is fatal', () => {
  const { ctx, a } = stream();
  for (let i = 0; i < 5 && !a.done; i++) {
    a.gap(true, 1, i);
    a.deliver(true, Uint8Array.from([0x05, 0x64, 0x14, 0xc4, 0, 0, 0, 0, 0, 0, 0x00]), i);
  }
  assert.ok(a.done);
  assert.equal(ctx.anomalies.at(-1)?.name, 'dnp3.too_many_violations');
  assert.deepEqual(ctx.services, []);
});

test('fragments over limits.maxAnalyzerBufferBytes are dropped with a weird', () => {
  const { ctx, a } = stream({ maxAnalyzerBufferBytes: 100 });
  const big = [0xc0, 0x81, 0, 0, ...new Array<number>(150).fill(0)];
  a.deliver(false, linkFrame(OUTSTATION_DATA, 1024, 1, [0x40, ...big.slice(0, 90)]), 1);
  a.deliver(false, linkFrame(OUTSTATION_DATA, 1024, 1, [0x81, ...big.slice(90)]), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), ['dnp3.fragment_too_large']);
  assert.equal(ctx.stream('dnp3').length, 0);
});

test('UDP: several frames per datagram; a frame cut by the datagram end is dropped', () => {
  const ctx = new FakeFlowContext('CDnp3u', UDP);
  const a = new Dnp3DatagramAnalyzer(ctx);
  a.datagram(true, noisyView(request(READ_CLASS0)), 1);
  const r = response(RESPONSE_BI);
  a.datagram(false, noisyView(r, r.subarray(0, 12)), 2);
  a.end(3);
  assert.equal(ctx.stream('dnp3').length, 1);
  assert.deepEqual(ctx.anomalyNames(), ['dnp3.partial_frame_discarded']);
  assert.deepEqual(ctx.services, ['dnp3_udp']);
});

test('probes: a link header with a good CRC, on any port', () => {
  const f = request(READ_CLASS0);
  assert.equal(probeDnp3Tcp(f, true, false), 'yes');
  assert.equal(probeDnp3Tcp(f.subarray(0, 6), true, true), 'maybe');
  assert.equal(probeDnp3Tcp(Uint8Array.from([0x05, 0x65]), true, true), 'no');
  const bad = f.slice();
  bad[9] ^= 0xff;
  assert.equal(probeDnp3Tcp(bad, true, true), 'no');
  assert.equal(probeDnp3Udp(noisyView(f), true, false), 'yes');
  assert.equal(probeDnp3Udp(f.subarray(0, 9), true, true), 'no');
  assert.equal(probeDnp3Tcp(new TextEncoder().encode('GET / HTTP/1.1\r\n'), true, false), 'no');
  assert.equal(MASTER_DATA & 0x80, 0x80);
});

test('mutated streams in random chunks never throw (fixed seed)', () => {
  let seed = 0x2545f491;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const clean = noisyView(request(SELECT_CROB), response(SELECT_ANSWER), response(RESPONSE_BI), request(READ_CLASS0));
  for (let round = 0; round < 300; round++) {
    const b = clean.slice();
    for (let k = rnd(6); k >= 0; k--) b[rnd(b.length)] = rnd(256);
    const { a } = stream();
    let off = 0;
    while (off < b.length && !a.done) {
      const n = 1 + rnd(40);
      a.deliver(round % 2 === 0, b.subarray(off, off + n), off);
      if (rnd(10) === 0) a.gap(round % 2 === 0, 1 + rnd(20), off);
      off += n;
    }
    a.end(off);
  }
  const u = new Dnp3DatagramAnalyzer(new FakeFlowContext('CFuzz', UDP));
  for (let round = 0; round < 200; round++) {
    const b = clean.slice(0, 1 + rnd(clean.length));
    b[rnd(b.length)] = rnd(256);
    u.datagram(rnd(2) === 0, b, round);
  }
  u.end(300);
});

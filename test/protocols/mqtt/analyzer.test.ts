import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Limits } from '../../../src/config/limits.js';
import { MqttAnalyzer } from '../../../src/protocols/mqtt/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import type { Segment } from './capture-builder.js';
import * as F from './fixtures.js';
import { T0, V311_SESSION, V5_SESSION } from './sessions.js';

const ID = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 1883, proto: 'tcp' as const };
const FLOW = { uid: 'CTestUid', 'id.orig_h': '10.0.0.1', 'id.orig_p': 50000, 'id.resp_h': '10.0.0.2', 'id.resp_p': 1883 };

function run(segments: readonly Segment[], opts: { byteByByte?: boolean; limits?: Partial<Limits>; end?: boolean } = {}): FakeFlowContext {
  const ctx = new FakeFlowContext('CTestUid', ID, opts.limits ?? {});
  const a = new MqttAnalyzer(ctx);
  for (const s of segments) {
    if (opts.byteByByte) for (let i = 0; i < s.bytes.length; i++) a.deliver(s.fromClient, F.noisy(s.bytes.subarray(i, i + 1)), s.ts);
    else a.deliver(s.fromClient, F.noisy(s.bytes), s.ts);
  }
  if (opts.end !== false) a.end(segments.length > 0 ? segments[segments.length - 1].ts + 1 : 0);
  return ctx;
}

test('3.1.1 session: connect, subscribe / unsubscribe and QoS 0, 1, 2 publishes as Zeek writes them', () => {
  const ctx = run(V311_SESSION);
  assert.deepEqual(ctx.services, ['mqtt']);
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(ctx.stream('mqtt_connect'), [
    { ts: T0 + 0.1, ...FLOW, proto_name: 'MQTT', proto_version: '3.1.1', client_id: 'crane-1', connect_status: 'Connection Accepted', will_topic: 't/will', will_payload: 'bye' },
  ]);
  assert.deepEqual(ctx.stream('mqtt_subscribe'), [
    { ts: T0 + 0.3, ...FLOW, action: 'MQTT::SUBSCRIBE', topics: ['a/#', 'b/'], qos_levels: [1, 0], granted_qos_level: 1, ack: true },
    { ts: T0 + 1.1, ...FLOW, action: 'MQTT::UNSUBSCRIBE', topics: ['a/#'], qos_levels: null, granted_qos_level: null, ack: true },
  ]);
  const pub = (ts: number, fromClient: boolean, retain: boolean, qos: string, topic: string, payload: string, len: number): object => ({
    ts,
    ...FLOW,
    from_client: fromClient,
    retain,
    qos,
    status: 'ok',
    topic,
    payload,
    payload_len: len,
  });
  assert.deepEqual(ctx.stream('mqtt_publish'), [
    pub(T0 + 0.3, true, true, 'at most once', 'a/b', 'hello\\x0a\\\\', 7), // LF and backslash escaped as Zeek does
    pub(T0 + 0.5, true, false, 'at least once', 't', 'q1', 2), //              written at its PUBACK
    pub(T0 + 0.7, false, false, 'exactly once', 't', 'q2', 2), //              written at PUBCOMP after PUBREC and PUBREL
  ]);
});

test('byte-by-byte delivery gives the same records', () => {
  assert.deepEqual(run(V311_SESSION, { byteByByte: true }).records, run(V311_SESSION).records);
  assert.deepEqual(run(V5_SESSION, { byteByByte: true }).records, run(V5_SESSION).records);
});

test('5.0 session: properties skipped, subscription options give the QoS, a Topic Alias names the topic', () => {
  const ctx = run(V5_SESSION);
  assert.deepEqual(ctx.anomalies, []);
  const [c] = ctx.stream('mqtt_connect');
  assert.deepEqual([c.proto_name, c.proto_version, c.client_id, c.connect_status], ['MQTT', '5.0', 'c5', 'Connection Accepted']);
  const [s, u] = ctx.stream('mqtt_subscribe');
  assert.deepEqual([s.topics, s.qos_levels, s.granted_qos_level, s.ack], [['a/#', 'x'], [1, 2], 1, true]);
  assert.deepEqual([u.action, u.topics, u.ack], ['MQTT::UNSUBSCRIBE', ['x'], true]);
  assert.deepEqual(
    ctx.stream('mqtt_publish').map((r) => [r.topic, r.payload, r.qos, r.status]),
    [
      ['a/b', 'hi', 'at least once', 'ok'],
      ['a/b', 'yo', 'at most once', 'ok'], // empty Topic Name, Topic Alias 1
    ],
  );
});

test('connect_status: 3.1.1 return codes by name, a 5.0 reason code as Zeek writes it', () => {
  const refused = run([
    { fromClient: true, ts: T0, bytes: F.CONNECT_V311 },
    { fromClient: false, ts: T0 + 1, bytes: F.CONNACK_REFUSED },
  ]);
  assert.equal(refused.stream('mqtt_connect')[0].connect_status, 'Refused: not authorized');
  const v5 = run([
    { fromClient: true, ts: T0, bytes: F.CONNECT_V5 },
    { fromClient: false, ts: T0 + 1, bytes: F.CONNACK_V5_NOT_AUTHORIZED },
  ]);
  assert.equal(v5.stream('mqtt_connect')[0].connect_status, 'unknown-return-code-135');
});

test('an exchange left incomplete is written "incomplete_qos" after 5 s or at the end of the flow', () => {
  const ctx = run(
    [
      { fromClient: true, ts: T0, bytes: F.PUBLISH_QOS1 }, //          never acknowledged
      { fromClient: false, ts: T0 + 1, bytes: F.PUBLISH_QOS2 }, //     PUBREC and PUBCOMP, no PUBREL
      { fromClient: true, ts: T0 + 1.1, bytes: F.PUBREC_9 },
      { fromClient: true, ts: T0 + 1.2, bytes: F.PUBCOMP_9 },
      { fromClient: true, ts: T0 + 5.5, bytes: F.PINGREQ }, //          5.5 s: the QoS 1 one expires
      { fromClient: true, ts: T0 + 5.6, bytes: F.SUBSCRIBE_V311 }, //   no SUBACK
    ],
    { end: false },
  );
  assert.deepEqual(ctx.stream('mqtt_publish').map((r) => [r.ts, r.qos, r.status]), [[T0, 'at least once', 'incomplete_qos']]);
  const a = new MqttAnalyzer(ctx);
  a.deliver(true, F.PUBLISH_QOS2, T0 + 7);
  a.end(T0 + 8);
  assert.deepEqual(ctx.stream('mqtt_publish').at(-1)?.status, 'incomplete_qos');
  const done = run([
    { fromClient: true, ts: T0, bytes: F.SUBSCRIBE_V311 },
    { fromClient: false, ts: T0 + 0.1, bytes: F.PUBLISH_QOS2 },
    { fromClient: true, ts: T0 + 0.2, bytes: F.PUBREC_9 },
    { fromClient: true, ts: T0 + 0.3, bytes: F.PUBCOMP_9 },
  ]);
  assert.deepEqual(done.stream('mqtt_publish').map((r) => r.status), ['incomplete_qos']);
  assert.deepEqual(done.stream('mqtt_subscribe').map((r) => [r.ack, r.granted_qos_level]), [[false, null]]);
});

test('payload excerpt: the first 100 bytes escaped as Zeek does, payload_len the whole payload', () => {
  const payload = new Uint8Array(150).fill(0x41);
  payload[0] = 0x00; // escaped \x00
  payload[99] = 0x09; // tab, escaped \x09 (the 100th byte, still kept)
  const pkt = F.concat(F.hex('30 99 01', '00 01 74'), payload); // PUBLISH QoS 0, Remaining Length 153, topic "t"
  const [r] = run([{ fromClient: true, ts: T0, bytes: pkt }]).stream('mqtt_publish');
  assert.equal(r.payload, '\\x00' + 'A'.repeat(98) + '\\x09');
  assert.equal(r.payload_len, 150);
});

test('a PUBLISH longer than the buffer bound is logged from the bytes kept; other oversized packets are skipped', () => {
  const payload = new Uint8Array(1000).fill(0x42);
  const big = F.concat(F.hex('30 eb 07', '00 01 74'), payload); // PUBLISH, Remaining Length 1003
  const bigSub = F.hex('82 8f 03', '00 05', '01 8a', new Array(394).fill('61').join(' '), '00'); // SUBSCRIBE, Remaining Length 399; id 5; a 394-byte filter; QoS 0
  const segs: Segment[] = [];
  for (let i = 0; i < big.length; i += 300) segs.push({ fromClient: true, ts: T0, bytes: big.subarray(i, i + 300) });
  segs.push({ fromClient: true, ts: T0 + 1, bytes: bigSub.subarray(0, 200) });
  segs.push({ fromClient: true, ts: T0 + 1, bytes: F.concat(bigSub.subarray(200), F.PUBLISH_QOS0) });
  for (const byteByByte of [false, true]) {
    const ctx = run(segs, { limits: { maxAnalyzerBufferBytes: 256 }, byteByByte });
    assert.deepEqual(
      ctx.stream('mqtt_publish').map((r) => [r.payload_len, (r.payload as string).length]),
      [
        [1000, 100],
        [7, 11],
      ],
    );
    assert.deepEqual(ctx.stream('mqtt_subscribe'), []);
    assert.ok(ctx.anomalyNames().includes('mqtt.buffer_limit'));
  }
});

test('a gap drops the partial packet; parsing resumes at a chunk that frames as MQTT', () => {
  const ctx = new FakeFlowContext('CTestUid', ID);
  const a = new MqttAnalyzer(ctx);
  a.deliver(true, F.CONNECT_V311, T0);
  a.deliver(true, F.PUBLISH_QOS0.subarray(0, 5), T0 + 1);
  a.gap(true, 100, T0 + 2);
  a.deliver(true, F.noisy(F.hex('61 62 63 64')), T0 + 3); // the middle of something: dropped
  a.deliver(true, F.noisy(F.concat(F.PUBLISH_QOS0, F.PINGREQ)), T0 + 4);
  a.end(T0 + 5);
  assert.deepEqual(ctx.anomalyNames(), ['mqtt.partial_packet_discarded']);
  assert.deepEqual(ctx.stream('mqtt_publish').map((r) => r.ts), [T0 + 4]);
});

test('picked up mid-session: no CONNECT, so the CONNACK-less flow logs publishes only; a lone CONNACK writes what is known', () => {
  const ctx = run([
    { fromClient: true, ts: T0, bytes: F.PUBLISH_QOS0 },
    { fromClient: false, ts: T0 + 1, bytes: F.CONNACK_OK },
  ]);
  assert.equal(ctx.stream('mqtt_publish').length, 1);
  assert.deepEqual(ctx.stream('mqtt_connect'), [
    { ts: T0, ...FLOW, proto_name: null, proto_version: null, client_id: null, connect_status: 'Connection Accepted', will_topic: null, will_payload: null },
  ]);
});

test('violations: a malformed packet is skipped; four before any valid packet stop the analyzer', () => {
  const ok = run([
    { fromClient: true, ts: T0, bytes: F.CONNECT_V311 },
    { fromClient: false, ts: T0, bytes: F.concat(F.hex('40 01', '00'), F.CONNACK_OK) }, // PUBACK with a 1-byte body
  ]);
  assert.deepEqual(ok.anomalies.map((x) => [x.name, x.grade]), [['mqtt.malformed_ack', 'violation']]);
  assert.equal(ok.stream('mqtt_connect').length, 1);
  const ctx = new FakeFlowContext('CTestUid', ID);
  const a = new MqttAnalyzer(ctx);
  a.deliver(true, F.hex('00 00 00 00 00 00 00 00 00 00'), T0); // five packets of reserved type 0
  assert.equal(a.done, true);
  assert.deepEqual(ctx.anomalyNames(), ['mqtt.invalid_packet_type', 'mqtt.invalid_packet_type', 'mqtt.invalid_packet_type', 'mqtt.invalid_packet_type', 'mqtt.too_many_violations']);
  assert.equal(ctx.anomalies.at(-1)?.grade, 'fatal');
  const r = new FakeFlowContext('CTestUid', ID);
  new MqttAnalyzer(r).deliver(true, F.hex('30 80 80 80 80 01'), T0); // Remaining Length of five bytes
  assert.deepEqual(r.anomalyNames(), ['mqtt.invalid_remaining_length']);
});

test('pending tables are bounded by limits.maxPendingRequests', () => {
  const segs: Segment[] = [];
  for (let id = 1; id <= 3; id++) segs.push({ fromClient: true, ts: T0, bytes: F.hex('32 05', '00 01 74', `00 0${id}`) }); // PUBLISH QoS 1, topic "t", id 1..3, no payload
  const ctx = run(segs, { limits: { maxPendingRequests: 2 }, end: false });
  assert.deepEqual(ctx.stream('mqtt_publish').map((r) => r.status), ['incomplete_qos']);
  assert.ok(ctx.anomalyNames().includes('mqtt.pending_limit'));
});

test('mutated sessions in random chunks never throw and keep every bound (seeded, deterministic)', () => {
  let seed = 0x2545f491;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const streams = [V311_SESSION, V5_SESSION].map((s) => [F.concat(...s.filter((x) => x.fromClient).map((x) => x.bytes)), F.concat(...s.filter((x) => !x.fromClient).map((x) => x.bytes))]);
  for (let round = 0; round < 400; round++) {
    const ctx = new FakeFlowContext('CTestUid', ID, { maxAnalyzerBufferBytes: 256, maxPendingRequests: 4 });
    const a = new MqttAnalyzer(ctx);
    const [c, s] = streams[round % 2].map((b) => {
      const m = b.slice();
      for (let k = 0; k < 1 + rand(6); k++) m[rand(m.length)] = rand(256);
      return m;
    });
    let ts = T0;
    for (const [isOrig, b] of [
      [true, c],
      [false, s],
    ] as const) {
      for (let o = 0; o < b.length; ) {
        const n = 1 + rand(40);
        if (rand(20) === 0) a.gap(isOrig, n, ts);
        else a.deliver(isOrig, F.noisy(b.subarray(o, o + n)), ts);
        o += n;
        ts += rand(3);
      }
    }
    a.end(ts);
    for (const { record } of ctx.records) {
      for (const v of Object.values(record)) if (typeof v === 'string') assert.ok(v.length <= ctx.limits.maxStringLength);
      if (record.payload !== undefined) assert.ok((record.payload as string).length <= 4 * 100);
    }
  }
});

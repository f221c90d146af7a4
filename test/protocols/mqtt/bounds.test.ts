import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MqttAnalyzer } from '../../../src/protocols/mqtt/analyzer.js';
import { MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION, MAX_PENDING_TOPIC_UNITS_PER_FLOW, TopicBudget, topicUnits } from '../../../src/protocols/mqtt/topic-budget.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import * as F from './fixtures.js';

const ID = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 1883, proto: 'tcp' as const };
const T0 = 1_700_000_000;

/** Remaining Length as a Variable Byte Integer (3.1.1 §2.2.3). */
function remLen(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

/** A UTF-8 string field: 2-byte length then the bytes (3.1.1 §1.5.3). */
function str(s: string): Uint8Array {
  const b = Buffer.from(s, 'utf8');
  return F.concat(Uint8Array.of(b.length >> 8, b.length & 0xff), b);
}

/** SUBSCRIBE (3.1.1 §3.8) with Packet Identifier `id` and `n` filters "f/<id>/<i>" padded to `width` characters, QoS 1 each. */
function subscribe(id: number, n: number, width: number): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(id >> 8, id & 0xff)]; // Packet Identifier
  for (let i = 0; i < n; i++) parts.push(str(`f/${id}/${i}/`.padEnd(width, 'x')), Uint8Array.of(0x01)); // Topic Filter; requested QoS 1
  const body = F.concat(...parts);
  return F.concat(Uint8Array.of(0x82), remLen(body.length), body); // SUBSCRIBE, flags 0b0010; Remaining Length
}

/** PUBLISH 5.0 QoS 0 with topic `topic` setting Topic Alias `alias`, payload "p" (5.0 §3.3.2.3.4). */
function publishAlias(topic: string, alias: number): Uint8Array {
  const body = F.concat(
    str(topic), //                                     Topic Name
    Uint8Array.of(0x03, 0x23, alias >> 8, alias & 0xff), // Property Length 3; Topic Alias (0x23)
    Uint8Array.of(0x70), //                            payload "p"
  );
  return F.concat(Uint8Array.of(0x30), remLen(body.length), body); // PUBLISH, QoS 0; Remaining Length
}

test('a PUBLISH header claiming 64 KiB followed by 3 bytes holds a small buffer; the packet is still joined whole', () => {
  const ctx = new FakeFlowContext('CBig', ID);
  const a = new MqttAnalyzer(ctx);
  a.deliver(true, F.noisy(F.CONNECT_V311), T0);
  const payload = new Uint8Array(65_000).fill(0x41);
  const body = F.concat(str('t'), payload); // Topic Name "t"; 65 000 bytes of payload
  const pkt = F.concat(Uint8Array.of(0x30), remLen(body.length), body); // PUBLISH QoS 0; Remaining Length 65 003
  a.deliver(true, F.noisy(pkt.subarray(0, 7)), T0 + 1); // fixed header (4 bytes) and 3 bytes of the body
  assert.ok(a.bufferedBytes <= 64, `held ${a.bufferedBytes} bytes after 7 of ${pkt.length}`);
  for (let off = 7; off < pkt.length; off += 1000) {
    a.deliver(true, F.noisy(pkt.subarray(off, Math.min(off + 1000, pkt.length))), T0 + 1);
    const received = Math.min(off + 1000, pkt.length);
    assert.ok(a.bufferedBytes <= Math.max(2 * received, 64), `held ${a.bufferedBytes} bytes after ${received}`);
  }
  assert.equal(a.bufferedBytes, 0, 'a buffer past BUFFER_KEEP_BYTES is released after its packet');
  const [p] = ctx.stream('mqtt_publish');
  assert.equal(p.topic, 't');
  assert.equal(p.payload_len, 65_000);
  assert.equal(p.payload, 'A'.repeat(100));
  assert.deepEqual(ctx.anomalyNames(), []);
});

test('pending SUBSCRIBEs hold at most MAX_PENDING_TOPIC_UNITS_PER_FLOW topic units: the oldest are written early, topics whole', () => {
  const budget = new TopicBudget();
  const ctx = new FakeFlowContext('CSubs', ID);
  const a = new MqttAnalyzer(ctx, budget);
  a.deliver(true, F.noisy(F.CONNECT_V311), T0);
  let max = 0;
  for (let id = 1; id <= 40; id++) {
    a.deliver(true, F.noisy(subscribe(id, 2048, 16)), T0 + 0.001 * id); // never acknowledged, within the 5 s expiry
    max = Math.max(max, a.heldTopicUnits);
  }
  assert.ok(max <= MAX_PENDING_TOPIC_UNITS_PER_FLOW, `held ${max} units`);
  assert.equal(budget.heldUnits, a.heldTopicUnits);
  const early = ctx.stream('mqtt_subscribe');
  assert.ok(early.length > 0, 'some requests written before the end of the flow');
  for (const r of early) {
    assert.equal((r.topics as string[]).length, 2048);
    assert.equal(r.ack, false);
  }
  assert.ok(ctx.anomalyNames().includes('mqtt.topic_budget_exhausted'));
  a.end(T0 + 1);
  assert.equal(ctx.stream('mqtt_subscribe').length, 40, 'every request logged once');
  assert.equal(budget.heldUnits, 0, 'everything given back at the end of the flow');
});

test('the run-wide topic budget cuts the topics of a request that does not fit (weird counts them, qos_levels aligned)', () => {
  const budget = new TopicBudget(10 * topicUnits('f/1/0/'.padEnd(16, 'x')));
  const other = new MqttAnalyzer(new FakeFlowContext('COther', ID), budget);
  other.deliver(true, F.noisy(F.CONNECT_V311), T0);
  other.deliver(true, F.noisy(subscribe(1, 4, 16)), T0); // another flow holds 4 topics of the run's 10
  const ctx = new FakeFlowContext('CCut', ID);
  const a = new MqttAnalyzer(ctx, budget);
  a.deliver(true, F.noisy(F.CONNECT_V311), T0);
  a.deliver(true, F.noisy(subscribe(2, 9, 16)), T0);
  a.end(T0 + 1);
  const [r] = ctx.stream('mqtt_subscribe');
  assert.equal((r.topics as string[]).length, 6);
  assert.deepEqual(r.qos_levels, [1, 1, 1, 1, 1, 1]);
  const w = ctx.anomalies.find((x) => x.name === 'mqtt.topic_budget_exhausted');
  assert.equal(w?.addl, 'SUBSCRIBE 2: 3 of 9 topics not kept');
  other.end(T0 + 1);
  assert.equal(budget.heldUnits, 0);
});

test('Topic Alias tables hold at most MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION units; an alias past it is not remembered', () => {
  const budget = new TopicBudget();
  const ctx = new FakeFlowContext('CAlias', ID);
  const a = new MqttAnalyzer(ctx, budget);
  a.deliver(true, F.noisy(F.CONNECT_V5), T0);
  const long = (i: number): string => `t/${i}/`.padEnd(1000, 'y');
  for (let i = 1; i <= 200; i++) a.deliver(true, F.noisy(publishAlias(long(i), i)), T0);
  assert.ok(a.heldTopicUnits <= MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION, `held ${a.heldTopicUnits} units`);
  assert.ok(ctx.anomalyNames().includes('mqtt.topic_budget_exhausted'));
  a.deliver(true, F.noisy(publishAlias('', 1)), T0); // alias 1 was remembered
  a.deliver(true, F.noisy(publishAlias('', 200)), T0); // alias 200 was not
  const pubs = ctx.stream('mqtt_publish');
  assert.equal(pubs[200].topic, long(1));
  assert.equal(pubs[201].topic, '');
  a.end(T0 + 1);
  assert.equal(budget.heldUnits, 0);
});

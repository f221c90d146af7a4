import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { MQTT_V311, MQTT_V5, type MqttVersion } from '../../../src/sim/mqtt/constants.js';
import { MqttPublishList, type MqttScriptedPublish } from '../../../src/sim/mqtt/publish-list.js';
import { MqttSession, type MqttSessionOptions } from '../../../src/sim/mqtt/session.js';
import { FrameBuilder } from '../../../src/sim/net/frame-builder.js';
import { createHost } from '../../../src/sim/net/host.js';
import { Prng } from '../../../src/sim/random.js';
import { Scheduler } from '../../../src/sim/scheduler.js';
import { haveTshark, tsharkFields, tsharkProblems } from '../tshark.js';
import { parseFrame, Recorder, replayTcp } from '../wire.js';
import { mqttPackets as packets } from './stream.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-mqtt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CLIENT_IP = '10.21.0.10';

function run(version: MqttVersion, list: MqttScriptedPublish[], extra: Partial<MqttSessionOptions>, endTs = Infinity): { rec: Recorder; session: MqttSession } {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const client = createHost({ name: 'cms', mac: '02:00:00:00:00:0a', ip: CLIENT_IP, stack: 'windows' }, new Prng(1));
  const broker = createHost({ name: 'historian', mac: '02:00:00:00:00:14', ip: '10.21.0.20', stack: 'linux' }, new Prng(2));
  const session = new MqttSession(fb, client, broker, new MqttPublishList(list), new Prng(3), {
    connectTs: 1000,
    clientPort: 50000,
    version,
    clientId: 'cms-1',
    keepAliveSec: 10,
    ...extra,
  });
  const s = new Scheduler();
  s.add(session);
  s.run(endTs);
  return { rec, session };
}

const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf8'));
const script: MqttScriptedPublish[] = [
  { ts: 1001, topic: 'cranes/sts-01/state', payload: text('{"hoist_mm":23000}'), qos: 1, contentType: 'application/json', messageExpirySec: 60, utf8Payload: true },
  { ts: 1001.5, topic: 'cranes/sts-01/alarm', payload: text('wind'), qos: 0 },
  { ts: 1030, topic: 'cranes/sts-01/bulk', payload: new Uint8Array(3000).fill(0x41), qos: 1 },
];

test('MQTT 3.1.1 session: handshake, CONNECT, SUBSCRIBE, publishes, keep-alive pings, DISCONNECT and FIN', () => {
  const { rec, session } = run(MQTT_V311, script, { subscriptions: [{ filter: 'cmd/sts-01/#', qos: 1 }] });
  const frames = rec.frames.map((f) => parseFrame(f.data));
  for (let i = 1; i < rec.frames.length; i++) assert.ok(rec.frames[i].ts >= rec.frames[i - 1].ts, `frame ${i} in time order`);
  const { streams } = replayTcp(frames, CLIENT_IP);
  const up = packets(streams[0]);
  const down = packets(streams[1]);
  assert.deepEqual(up.map((p) => p.type), [1, 8, 3, 3, 12, 12, 3, 14], 'CONNECT SUBSCRIBE PUBLISH PUBLISH PINGREQ PINGREQ PUBLISH DISCONNECT');
  assert.deepEqual(down.map((p) => p.type), [2, 9, 4, 13, 13, 4], 'CONNACK SUBACK PUBACK PINGRESP PINGRESP PUBACK');
  assert.equal(up[1].flags, 2, 'SUBSCRIBE reserved flags 0010');
  assert.deepEqual(up[1].body.slice(0, 2), [0, 1], 'SUBSCRIBE packet id 1');
  assert.deepEqual(down[1].body, [0, 1, 1], 'SUBACK id 1 grants QoS 1');
  assert.equal(up[2].flags, 2, 'first PUBLISH QoS 1');
  assert.deepEqual(down[2].body, [0, 2], 'PUBACK echoes packet id 2');
  assert.equal(up[3].flags, 0, 'second PUBLISH QoS 0');
  assert.deepEqual(down[5].body, [0, 3], 'PUBACK of the bulk publish: id 3');
  assert.equal(up[6].body.length, 2 + 18 + 2 + 3000, '3000-byte payload spans several segments');
  assert.equal(Buffer.from(up[3].body.slice(2, 21)).toString(), 'cranes/sts-01/alarm');
  // Pings when the client sent nothing for Keep Alive (10 s) after the QoS 0 publish at 1001.5.
  const pingTs = rec.frames.filter((_, i) => frames[i].tcp?.payload.length === 2 && frames[i].tcp?.payload[0] === 0xc0).map((f) => f.ts);
  assert.deepEqual(pingTs.map((t) => Math.round(t * 10) / 10), [1011.5, 1021.5]);
  const last = frames.slice(-3).map((f) => f.tcp?.flags);
  assert.deepEqual(last, [0x11, 0x11, 0x10], 'client FIN/ACK, broker FIN/ACK, client ACK');
  assert.equal(session.publishes, 3);
  assert.equal(session.pubacks, 2);
  assert.equal(session.pings, 2);
  assert.equal(session.conn.closed, true);
});

test('MQTT session close modes: RST, or stay open and keep pinging', () => {
  const rst = run(MQTT_V311, script.slice(0, 1), { close: 'rst' });
  const lastFrame = parseFrame(rst.rec.frames[rst.rec.frames.length - 1].data);
  assert.equal(lastFrame.tcp?.flags, 0x14, 'RST/ACK ends it, no DISCONNECT');
  const open = run(MQTT_V311, script.slice(0, 1), { close: 'none' }, 1100);
  assert.equal(open.session.pings, 9, 'pings every 10 s from 1011 to 1091');
  assert.equal(open.session.conn.closed, false);
});

function writePcap(name: string, rec: Recorder): string {
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  for (const f of rec.frames) w.writePacket(f.ts, f.data);
  const file = join(dir, name);
  writeFileSync(file, w.bytes());
  return file;
}

test('tshark decodes the MQTT 3.1.1 and 5.0 sessions: message types, version, topics; nothing malformed', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  for (const version of [MQTT_V311, MQTT_V5]) {
    const { rec } = run(version, script, { subscriptions: [{ filter: 'cmd/#', qos: 1 }], sessionExpirySec: version === MQTT_V5 ? 600 : undefined });
    const file = writePcap(`mqtt-${version}.pcap`, rec);
    assert.deepEqual(tsharkProblems(file), []);
    const rows = tsharkFields(file, 'mqtt', ['mqtt.msgtype', 'mqtt.ver', 'mqtt.topic']);
    const types = rows.flatMap((r) => r[0].split(','));
    assert.deepEqual(types, ['1', '2', '8', '9', '3', '4', '3', '12', '13', '12', '13', '3', '4', '14']);
    assert.equal(rows[0][1], String(version), 'mqtt.ver on CONNECT');
    const topics = rows.map((r) => r[2]).filter((x) => x !== '');
    assert.deepEqual(topics, ['cmd/#', 'cranes/sts-01/state', 'cranes/sts-01/alarm', 'cranes/sts-01/bulk']);
    if (version === MQTT_V5) {
      const ct = tsharkFields(file, 'mqtt.msgtype == 3', ['mqtt.property_id', 'mqtt.property.content_type']);
      assert.equal(ct[0][1], 'application/json');
    }
  }
});

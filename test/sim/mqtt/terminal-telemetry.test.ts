import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { haveTshark, tsharkFields } from '../tshark.js';
import { parseFrame, type Recorded, Recorder, replayTcp } from '../wire.js';
import { mqttPackets, publishOf } from './stream.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-telemetry-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DURATION = 120;

/** The MQTT connection's frames (TCP port 1883), parsed. */
function mqttFrames(frames: Recorded[]): ReturnType<typeof parseFrame>[] {
  return frames.map((f) => parseFrame(f.data)).filter((f) => f.tcp !== null && (f.tcp.srcPort === 1883 || f.tcp.dstPort === 1883));
}

interface State {
  crane: string;
  ts: number;
  hoist_mm: number;
  trolley_mm: number;
  gantry_mm: number;
  load_kg: number;
  wind_ms: number;
  twistlocks: string;
  moves: number;
}

test('the CMS publishes each crane state to the historian over MQTT 3.1.1, counted in the truth', () => {
  const rec = new Recorder();
  const { truth, site } = generateTerminal(rec, { cranes: 2, seed: 5, durationSec: DURATION });
  const cms = site.assets.find((a) => a.role === 'cms')?.ip as string;
  const historian = site.assets.find((a) => a.role === 'historian')?.ip as string;
  const frames = mqttFrames(rec.frames);
  assert.ok(frames.every((f) => (f.ipSrc === cms && f.ipDst === historian) || (f.ipSrc === historian && f.ipDst === cms)), 'CMS ↔ historian only');
  const { streams } = replayTcp(frames, cms);
  const up = mqttPackets(streams[0]);
  assert.equal(up[0].type, 1, 'CONNECT first');
  assert.equal(up[0].body[6], 4, 'protocol level 4');
  const pubs = up.filter((p) => p.type === 3).map((p) => publishOf(p, false));
  assert.deepEqual(
    truth.mqttPublishes.map((t) => t.topic),
    ['terminal/nlrtm/crane/sts-01/state', 'terminal/nlrtm/crane/sts-02/state'],
  );
  for (const t of truth.mqttPublishes) {
    const mine = pubs.filter((p) => p.topic === t.topic);
    assert.equal(mine.length, t.publishes, `${t.topic} count`);
    assert.ok(t.publishes >= Math.floor((DURATION - 10) / 5.1) && t.publishes <= DURATION, `${t.publishes} publishes in ${DURATION} s: every 1–5 s`);
    let prev = 0;
    for (const p of mine) {
      const s = JSON.parse(p.payload) as State;
      assert.equal(s.crane, t.craneId);
      assert.deepEqual(Object.keys(s), ['crane', 'ts', 'hoist_mm', 'trolley_mm', 'gantry_mm', 'load_kg', 'wind_ms', 'twistlocks', 'moves']);
      assert.ok(s.load_kg >= 15_000 && s.load_kg <= 15_000 + 60_000 || s.load_kg === 0, `load ${s.load_kg} kg`);
      assert.ok(s.wind_ms >= 0 && s.wind_ms < 40, `wind ${s.wind_ms} m/s`);
      assert.ok(s.twistlocks === 'locked' || s.twistlocks === 'unlocked');
      if (prev > 0) assert.ok(s.ts - prev >= 950 && s.ts - prev <= 5150, `gap ${s.ts - prev} ms`);
      prev = s.ts;
    }
  }
  const acks = mqttPackets(streams[1]).filter((p) => p.type === 4).length;
  assert.ok(acks >= pubs.length - 1 && acks <= pubs.length, 'each QoS 1 publish is acknowledged (the last may be in flight at the end)');
});

test('site option historian_mqtt_version 5.0: tshark sees MQTT 5 with JSON content type; counts agree', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  const site = buildTerminalSite(1);
  site.site.historian_mqtt_version = '5.0';
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  const { truth } = generateTerminal(w, { site, seed: 2, durationSec: 60 });
  const file = join(dir, 'v5.pcap');
  writeFileSync(file, w.bytes());
  const connect = tsharkFields(file, 'mqtt.msgtype == 1', ['mqtt.ver', 'mqtt.clientid']);
  assert.deepEqual(connect, [['5', 'cranewatch-cms-nlrtm']]);
  const pubs = tsharkFields(file, 'mqtt.msgtype == 3', ['mqtt.topic', 'mqtt.property.content_type']);
  assert.equal(pubs.length, truth.mqttPublishes[0].publishes);
  assert.ok(pubs.every((r) => r[0] === 'terminal/nlrtm/crane/sts-01/state' && r[1] === 'application/json'));
});

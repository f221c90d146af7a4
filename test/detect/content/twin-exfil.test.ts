import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { ContainerLeakTap } from '../../../src/detect/content/leak-tap.js';
import { DetectionEngine } from '../../../src/detect/engine.js';
import { createDetectors } from '../../../src/detect/registry.js';
import { SinkFanout, type LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { SitePolicy } from '../../../src/policy/site-policy.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import type { TruthCovertModbus, TruthExfil } from '../../../src/sim/terminal/truth.js';
import { MemorySink } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-leak-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Simulate, then analyze with the site's detectors and the leak tap; the logs and findings. */
async function run(name: string, scenarios: Array<{ name: string; params: Record<string, unknown> }>, durationSec: number) {
  const file = join(dir, `${name}.pcap`);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed: 11, durationSec, cranes: 2, scenarios });
  w.close();
  const policy = new SitePolicy(r.site);
  const out = new MemorySink();
  const engine = new DetectionEngine(createDetectors(policy), policy, out);
  const tap = new ContainerLeakTap(policy, new SinkFanout([out, engine]));
  await analyzeCaptures([file], { sink: new SinkFanout([out, engine]), payloadTap: tap });
  tap.finish();
  engine.finish();
  return { truth: r.truth, out, tap };
}

const CHANNELS = ['http', 'https', 'dns', 'mqtt'] as const;
const ENCODINGS = ['plain', 'base64', 'hex', 'gzip'] as const;
const SCENARIOS: Array<{ name: string; params: Record<string, unknown> }> = [];
for (const [i, channel] of CHANNELS.entries()) {
  for (const [j, encoding] of ENCODINGS.entries()) {
    const n = i * ENCODINGS.length + j;
    SCENARIOS.push({
      name: 'container-exfil',
      params: { channel, encoding, format: n % 2 === 0 ? 'json' : 'csv', crane: n % 2 === 0 ? 'STS-01' : 'STS-02', start: 60 + n, duration: 1100, rate: 200, dest: `203.0.113.${10 + n}` },
    });
  }
}
SCENARIOS.push({ name: 'covert-modbus', params: { crane: 'STS-01', start: 100, duration: 1000, rate: 200 } });

const attackP = run('attack', SCENARIOS, 1200);

test('every clear-channel × encoding leak is a container_data_exfil finding with the truth’s containers; https only egress', async () => {
  const { truth, out } = await attackP;
  const findings = out.get('findings');
  const records = out.get('container_data');
  const rates: string[] = [];
  for (const s of truth.scenarios) {
    const x = s.exfil as TruthExfil | undefined;
    if (x === undefined) continue;
    const tag = `${x.channel}/${x.encoding}/${x.format}`;
    assert.ok(x.containers.length > 0, `${tag}: the scenario leaked something`);
    const got = new Set<string>();
    for (const r of records) if (r['id.resp_h'] === x.dst && r['id.orig_h'] === x.src) for (const n of r.numbers as string[]) got.add(n);
    const f = findings.find((f) => f.detector === 'container_data_exfil' && (f.hosts as string[])[1] === x.dst);
    const egress = findings.some((f) => f.detector === 'egress_violation' && (f.hosts as string[]).includes(x.dst));
    assert.ok(egress, `${tag}: egress_violation`);
    if (x.channel === 'https') {
      assert.equal(got.size, 0, `${tag}: nothing readable in TLS`);
      assert.equal(f, undefined, `${tag}: no container finding`);
      continue;
    }
    assert.ok(f, `${tag}: a container_data_exfil finding`);
    assert.equal(f.severity, 'critical');
    assert.deepEqual((f.hosts as string[]).slice(0, 2), [x.src, x.dst]);
    assert.ok((f.techniques as string[]).includes('T0882'));
    for (const n of got) assert.ok(x.containers.includes(n), `${tag}: ${n} was leaked`);
    const rate = got.size / x.containers.length;
    rates.push(`${tag} ${got.size}/${x.containers.length}`);
    if (x.channel !== 'dns') assert.deepEqual([...got].sort(), [...x.containers].sort(), `${tag}: every leaked container recovered`);
    else assert.ok(rate >= 0.9, `${tag}: DNS recovery ${rate}`);
    const uids = new Set(records.filter((r) => r['id.resp_h'] === x.dst).map((r) => r.uid as string));
    assert.ok((f.evidence_uids as string[]).every((u) => uids.has(u)), `${tag}: evidence names container_data flows`);
  }
  console.log(`recovered: ${rates.join('; ')}`);
});

test('covert-modbus: the dead drop writes and the pickups are covert_channel_modbus findings naming the reader', async () => {
  const { truth, out } = await attackP;
  const s = truth.scenarios.find((x) => x.covert !== undefined);
  const c = s?.covert as TruthCovertModbus;
  assert.ok(c.containers.length > 0);
  const findings = out.get('findings').filter((f) => f.detector === 'covert_channel_modbus');
  const writer = findings.find((f) => (f.hosts as string[])[0] === c.writer);
  const reader = findings.find((f) => (f.hosts as string[])[0] === c.reader);
  assert.ok(writer, 'the writer is a finding');
  assert.ok(reader, 'the reader is a finding');
  assert.equal(reader.severity, 'critical');
  assert.ok((writer.techniques as string[]).includes('T0855') && (writer.techniques as string[]).includes('T0882'));
  assert.match(reader.msg as string, new RegExp(`hidden there by ${c.writer.replace(/\./g, '\\.')}`));
  assert.equal(out.get('container_data').filter((r) => r['id.resp_p'] === 502).length, 0, 'PLC flows are not tapped');
});

test('a clean twin run: no container_data, no findings of the two detectors, the OCR’s posts to the TOS not counted', async () => {
  const { out, tap } = await run('clean', [], 900);
  assert.deepEqual(out.get('container_data'), [] as LogRecord[]);
  assert.ok(tap.tapped > 0, 'some flows (DNS, NTP, MQTT to the historian) were inspected');
  assert.equal(tap.heldBytes, 0, 'nothing held after the run');
  const ours = out.get('findings').filter((f) => f.detector === 'container_data_exfil' || f.detector === 'covert_channel_modbus');
  assert.deepEqual(ours, [] as LogRecord[]);
});

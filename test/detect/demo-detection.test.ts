import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AssetBuilder } from '../../src/assets/asset-builder.js';
import { DetectionEngine } from '../../src/detect/engine.js';
import { createDetectors } from '../../src/detect/registry.js';
import { SinkFanout } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { validateSite } from '../../src/policy/site-file.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { writeDemoCapture } from '../../src/sim/demo.js';
import { demoSiteFile } from '../../src/sim/demo-site-file.js';
import { MemorySink } from './helpers.js';

test('the demo capture with its site file: the two planted problems are the two incidents, the HMI’s write raises nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-detect-'));
  const pcap = join(dir, 'demo.pcap');
  const { truth } = writeDemoCapture(pcap);
  const policy = new SitePolicy(validateSite(demoSiteFile()));
  const out = new MemorySink();
  const engine = new DetectionEngine(createDetectors(policy), policy, out);
  const assets = new AssetBuilder();
  await analyzeCaptures([pcap], { sink: new SinkFanout([out, engine, assets]), onArp: (a, ts) => assets.observeArp(a, ts) });
  for (const r of assets.records()) engine.write('assets', r);
  engine.finish();

  const laptop = truth.unexpectedWrite.src;
  const modem = truth.outsideFlow.src;
  const findings = out.get('findings');
  const incidents = out.get('incidents');
  assert.equal(incidents.length, 2, JSON.stringify(incidents.map((i) => i.title)));
  const byActor = new Map(incidents.map((i) => [(i.hosts as string[])[0], i]));
  assert.deepEqual([...byActor.keys()].sort(), [laptop, modem].sort());
  assert.equal(byActor.get(laptop)?.severity, 'critical');
  assert.equal(byActor.get(modem)?.severity, 'critical');

  const detectors = (actor: string): string[] => findings.filter((f) => (f.hosts as string[])[0] === actor).map((f) => f.detector as string).sort();
  assert.deepEqual(detectors(laptop), ['conduit_violation', 'recon_scan', 'rogue_device', 'unauthorized_client', 'unauthorized_write']);
  assert.deepEqual(detectors(modem), ['egress_violation', 'rogue_device']);
  assert.ok(!findings.some((f) => (f.hosts as string[]).includes(truth.legitimateWrite.src)), 'the HMI’s authorized setpoint write is not a finding');

  // Evidence leads to the records: the write's uid is the laptop's modbus_detailed row.
  const write = findings.find((f) => f.detector === 'unauthorized_write');
  const uid = (write?.evidence_uids as string[])[0];
  const row = out.get('modbus_detailed').find((r) => r.uid === uid && r.function_code === 6 && r.source_h === laptop);
  assert.ok(row, 'evidence uid names the write');
  assert.deepEqual(row.request_values, [truth.unexpectedWrite.value]);
  assert.ok(findings.every((f) => f.attack_version === 'v17' && (f.techniques as string[]).length > 0 && f.incident_id !== ''));
});

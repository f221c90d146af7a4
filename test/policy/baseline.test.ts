import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { DetectionEngine } from '../../src/detect/engine.js';
import { createDetectors } from '../../src/detect/registry.js';
import { SinkFanout } from '../../src/events/record.js';
import { AssetBuilder } from '../../src/assets/asset-builder.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { learnSite } from '../../src/eval/labelled-run.js';
import { readSiteFile } from '../../src/policy/site-file.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { generateTerminal } from '../../src/sim/terminal/terminal.js';
import { MemorySink } from '../detect/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-baseline-'));

/** A twin capture written to a file. */
function twin(name: string, seed: number, durationSec: number, scenarios: Array<{ name: string; params: Record<string, unknown> }> = []): string {
  const path = join(dir, name);
  const w = PcapWriter.toFile(path, { linkType: LinkType.ETHERNET });
  generateTerminal(w, { seed, durationSec, cranes: 2, scenarios });
  w.close();
  return path;
}

async function findingsOf(capture: string, policy: SitePolicy) {
  const out = new MemorySink();
  const engine = new DetectionEngine(createDetectors(policy), policy, out);
  const assets = new AssetBuilder();
  await analyzeCaptures([capture], { sink: new SinkFanout([engine, assets]), onArp: (a, ts) => assets.observeArp(a, ts) });
  for (const r of assets.records()) engine.write('assets', r);
  engine.finish();
  return out.get('findings');
}

test('a site learned from clean twin traffic raises nothing on more clean traffic and catches an attack', async () => {
  const learn = twin('learn.pcap', 5, 1800);
  const site = await learnSite([learn], 'NLRTM');
  assert.ok(site.baseline !== undefined && site.baseline.flows.length > 5);
  assert.equal(site.cranes.length, 2, 'each polled Modbus server is a crane');
  assert.ok(site.cranes.every((c) => (c.clients ?? []).some((cl) => cl.functions.includes(3))), 'the CMS reads every PLC');
  assert.ok(site.cranes.some((c) => (c.clients ?? []).some((cl) => cl.writes.length > 0)), 'the HMI’s writes are learned');
  assert.ok(site.cranes.every((c) => Object.values(c.registers).some((r) => r.access === 'read')), 'polled registers are in the maps');
  assert.ok(site.container_data.approved_destinations.assets.length > 0, 'where the OCR and CMS send container numbers is learned');
  assert.ok(site.zones.some((z) => z.id === 'other-private' && z.kind === 'enterprise'));
  const hmis = site.assets.filter((a) => a.role === 'hmi');
  assert.deepEqual(hmis.map((a) => [a.name, a.crane]), [['hmi-10-20-1-20', 'PLC-10-20-1-10'], ['hmi-10-20-2-20', 'PLC-10-20-2-10']], 'a client writing to one PLC is its crane\u2019s HMI');
  assert.deepEqual(site.assets.filter((a) => a.role === 'cms').map((a) => a.name), ['cms-10-21-0-10'], 'the reader of every PLC is the CMS');
  const policy = new SitePolicy(site);

  const clean = twin('clean.pcap', 5, 1800);
  assert.deepEqual((await findingsOf(clean, policy)).map((f) => f.title), [], 'learned traffic raises nothing');

  const attack = twin('attack.pcap', 5, 1800, [{ name: 'unauthorized-write', params: { action: 'stop-command', start: 600, duration: 120 } }]);
  const f = await findingsOf(attack, policy);
  const detectors = new Set(f.map((x) => x.detector));
  // The attacker's enterprise subnet was never seen while learning: the learned `other-private` zone
  // holds it (private, not the outside), so it is an unknown device crossing zones without a conduit.
  for (const d of ['unauthorized_write', 'unauthorized_client', 'baseline_deviation', 'conduit_violation', 'rogue_device']) assert.ok(detectors.has(d), `${d} in ${[...detectors].join(', ')}`);
  assert.ok(!detectors.has('external_remote_access'), 'a private address is not called the outside');
});

test('cranewatch baseline writes a valid, commented draft and refuses to replace a file without --force', () => {
  const learn = twin('cli.pcap', 6, 300);
  const out = join(dir, 'site.yaml');
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'baseline', ...args], { encoding: 'utf8' });
  const r = cli(learn, '--out', out, '--unlocode', 'NLRTM', '--no-progress');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Learned \d+ assets \(2 Modbus servers as cranes, \d+ Modbus clients\), \d+ zones, \d+ conduits and \d+ flows -> /);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /^# CraneWatch site file/);
  assert.match(text, /# Flows learned from clean traffic by `cranewatch baseline`/);
  assert.equal(readSiteFile(out).site.unlocode, 'NLRTM');
  writeFileSync(out, 'keep me');
  const again = cli(learn, '--out', out, '--unlocode', 'NLRTM');
  assert.equal(again.status, 2);
  assert.match(again.stderr, /^cranewatch: --out .* already exists; give --force to replace it\n$/);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  const bad = cli(learn, '--out', join(dir, 'x.yaml'), '--unlocode', 'XX123');
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /unlocode/);
  assert.equal(cli(learn, '--out', out, '--unlocode', 'NLRTM', '--force').status, 0);
  const own = cli(learn, '--out', learn, '--unlocode', 'NLRTM', '--force');
  assert.equal(own.status, 2, 'even --force never writes over an input capture');
  assert.match(own.stderr, /is also an input capture/);
});

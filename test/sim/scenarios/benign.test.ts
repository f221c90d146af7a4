import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { runListScenarios, runSimulate } from '../../../src/cli/simulate.js';
import { maintenanceWindows } from '../../../src/policy/maintenance-window.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import type { TerminalTruth } from '../../../src/sim/terminal/truth.js';
import { Recorder, parseFrame } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-benign-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

test('maintenanceWindows: the twin site\'s Tuesday 06:00–10:00 Europe/Amsterdam, winter and summer time', () => {
  const site = buildTerminalSite(2);
  // Fri 14 March → Fri 21 March 2025 (CET, UTC+1): one window, Tue 18 March 05:00–09:00 UTC.
  assert.deepEqual(maintenanceWindows(site, 'STS-01', utc(2025, 3, 14, 8), utc(2025, 3, 21, 8)), [{ startTs: utc(2025, 3, 18, 5), endTs: utc(2025, 3, 18, 9) }]);
  // July (CEST, UTC+2): 04:00–08:00 UTC.
  assert.deepEqual(maintenanceWindows(site, 'STS-02', utc(2025, 7, 1, 7), utc(2025, 7, 1, 7, 30)), [{ startTs: utc(2025, 7, 1, 4), endTs: utc(2025, 7, 1, 8) }]);
  assert.deepEqual(maintenanceWindows(site, 'STS-01', utc(2025, 3, 14, 8), utc(2025, 3, 17, 8)), []);
  const one = { ...site, maintenance_windows: [{ from: '2025-03-14T09:00:00Z', to: '2025-03-14T09:30:00Z', cranes: ['STS-02'], description: '' }] };
  assert.deepEqual(maintenanceWindows(one, 'STS-02', utc(2025, 3, 14, 8), utc(2025, 3, 14, 10)), [{ startTs: utc(2025, 3, 14, 9), endTs: utc(2025, 3, 14, 9, 30) }]);
  assert.deepEqual(maintenanceWindows(one, 'STS-01', utc(2025, 3, 14, 8), utc(2025, 3, 14, 10)), []);
});

test('maintenance-write-in-window: the vendor engineer writes inside the window, through the VPN gateway, and nothing is expected', () => {
  const rec = new Recorder();
  const start = utc(2025, 3, 18, 5, 30);
  const { truth } = generateTerminal(rec, { seed: 4, durationSec: 2400, cranes: 2, startTs: start, scenarios: [{ name: 'maintenance-write-in-window', params: { duration: 900, intensity: 3, crane: 'STS-02' } }] });
  const s = truth.scenarios[0];
  assert.deepEqual([s.id, s.kind, s.benign, s.expected, s.techniques], ['maintenance-write-in-window#1', 'benign', true, [], []]);
  assert.deepEqual(s.maintenanceWindow, { startTs: utc(2025, 3, 18, 5), endTs: utc(2025, 3, 18, 9) });
  const writes = truth.modbusWrites.filter((w) => w.scenario === s.id);
  assert.deepEqual(writes.map((w) => [w.functionCode, w.signal, w.values[0], w.craneId]), [[6, 'hoist_speed_limit_pct', 90, 'STS-02'], [6, 'hoist_speed_limit_pct', 90, 'STS-02'], [6, 'hoist_speed_limit_pct', 100, 'STS-02']]);
  for (const w of writes) assert.ok(w.ts > s.maintenanceWindow!.startTs && w.ts < s.maintenanceWindow!.endTs);
  const engineer = truth.hosts.find((h) => h.name === 'vendor-engineer');
  const vpn = truth.hosts.find((h) => h.role === 'vpn_gateway');
  assert.ok(engineer !== undefined && vpn !== undefined);
  assert.equal(engineer.inventoried, false);
  assert.match(engineer.ip, /^10\.50\.0\.1[01]\d$/);
  const frames = rec.frames.map((f) => parseFrame(f.data)).filter((f) => f.ipSrc === engineer.ip);
  assert.ok(frames.length > 10);
  for (const f of frames) assert.deepEqual([f.src, f.ttl], [vpn.mac, 127], 'routed through the VPN gateway');
  assert.equal(s.modbusRequests, 9);
});

test('crane-idle-at-shift-change: no traffic of its own, the hold is its span', () => {
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  const { truth } = generateTerminal(w, { seed: 4, durationSec: 1500, cranes: 1, scenarios: [{ name: 'crane-idle-at-shift-change', params: { start: '300', duration: '700' } }] });
  const s = truth.scenarios[0];
  assert.deepEqual([s.benign, s.expected, s.modbusRequests, s.modbusWrites, s.hosts.attackers], [true, [], 0, 0, []]);
  assert.deepEqual([s.startTs, s.endTs], [truth.startTs + 300, truth.startTs + 1000]);
  assert.deepEqual(s.holds, [{ craneId: 'STS-01', fromTs: truth.startTs + 300, untilTs: truth.startTs + 1000, mode: 2 }]);
  assert.equal(truth.modbusWrites.filter((x) => x.scenario !== undefined).length, 0);
});

/** Run with stdout captured. */
async function captured(fn: () => number | Promise<number>): Promise<{ code: number; out: string }> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await fn(), out };
  } finally {
    process.stdout.write = orig;
  }
}

test('CLI: --list-scenarios text and JSON; --scenario specs reach the truth file', async () => {
  const text = await captured(() => runListScenarios());
  assert.equal(text.code, 0);
  assert.match(text.out, /^Scenarios \(ATT&CK for ICS v17\)/);
  assert.match(text.out, /\nrecon \(attack\)\n/);
  assert.match(text.out, /variant=unit-id-sweep \(unit-id-sweep\|function-code-sweep\|register-scan\|port-scan\)/);
  const json = JSON.parse((await captured(() => runListScenarios(true))).out) as { attackVersion: string; scenarios: Array<{ name: string; params: Array<{ key: string; default: unknown }> }> };
  assert.equal(json.attackVersion, 'v17');
  assert.deepEqual(json.scenarios.find((s) => s.name === 'fleet-stop')?.params.find((p) => p.key === 'spread'), { key: 'spread', default: 4, choices: null, min: 0.1, max: 60 });

  const out = join(dir, 'cli.pcap');
  const truthFile = join(dir, 'cli.json');
  const r = await captured(() => runSimulate({ out, truth: truthFile, cranes: '2', durationSec: '10m', seed: '3', progress: false, json: true, scenarios: ['fleet-stop:start=60,duration=120', 'recon:variant=function-code-sweep,start=200,duration=60,intensity=10'] }));
  assert.equal(r.code, 0);
  assert.deepEqual((JSON.parse(r.out) as { scenarios: string[] }).scenarios, ['fleet-stop#1', 'recon#1']);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as TerminalTruth;
  assert.deepEqual(truth.scenarios.map((s) => [s.id, s.params.start]), [['fleet-stop#1', 60], ['recon#1', 200]]);
  await assert.rejects(runSimulate({ out, force: true, durationSec: '10m', scenarios: ['recon:start=590'] }), /^CwError: scenario recon#1: start \+ duration = 1190 s runs past the end of the run \(600 s\)$/);
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { runAnalyze } from '../../src/cli/analyze.js';
import { CraneTracker } from '../../src/crane/state/crane-tracker.js';
import { DetectionEngine, type Finding } from '../../src/detect/engine.js';
import { createDetectors } from '../../src/detect/registry.js';
import { SinkFanout, type LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { writeSiteFile } from '../../src/policy/site-file.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { findScenario } from '../../src/sim/scenarios/registry.js';
import { generateTerminal, type TerminalOptions } from '../../src/sim/terminal/terminal.js';
import type { TerminalTruth } from '../../src/sim/terminal/truth.js';
import { MemorySink } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-crane-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The detectors of the crane model: their findings are what these runs judge. */
const CRANE_DETECTORS = new Set(['sensor_integrity', 'unexpected_stop', 'fleet_stop', 'crane_silence']);

interface Run {
  truth: TerminalTruth;
  out: MemorySink;
  findings: Finding[];
}

let n = 0;
/** Simulate the twin terminal (4 cranes), then analyze the capture with its site: pipeline + crane tracker + detectors. */
async function simulate(opts: Omit<TerminalOptions, 'cranes'>): Promise<Run> {
  const file = join(dir, `run${n++}.pcap`);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const { truth, site } = generateTerminal(w, { cranes: 4, seed: 3, ...opts });
  w.close();
  const policy = new SitePolicy(site);
  const out = new MemorySink();
  const engine = new DetectionEngine(createDetectors(policy), policy, out);
  const tracker = new CraneTracker(policy, new SinkFanout([out, engine]));
  await analyzeCaptures([file], { sink: new SinkFanout([out, engine, tracker]) });
  tracker.finish();
  engine.finish();
  return { truth, out, findings: engine.list().filter((f) => CRANE_DETECTORS.has(f.detector)) };
}

const describe = (fs: Finding[]): string => fs.map((f) => `${f.detector} ${f.key} @${f.firstTs}`).join('; ') || 'none';

test('clean run: reconstructed container moves match the truth; no crane finding', async () => {
  const run = await simulate({ durationSec: 1_800 });
  const { truth } = run;
  const interval = new Map(truth.polls.map((p) => [p.craneId, p.intervalSec]));
  // Moves locked after the capture started and unlocked before it ended are visible whole.
  const expected = truth.moves.filter((m) => m.lockTs > truth.startTs + 1 && m.unlockTs < truth.endTs - 1);
  const got = run.out.get('container_move');
  assert.ok(expected.length > 40, `${expected.length} moves`);
  assert.equal(got.length, expected.length);
  for (const m of expected) {
    const g = got.find((x) => x.crane === m.craneId && Math.abs((x.lock_ts as number) - m.lockTs) < 2);
    assert.ok(g !== undefined, `move ${m.craneId}#${m.seq} found`);
    const poll = (interval.get(m.craneId) as number) + 0.05;
    assert.ok(Math.abs((g.lock_ts as number) - m.lockTs) <= poll, `lock within one poll interval (${(g.lock_ts as number) - m.lockTs})`);
    assert.ok(Math.abs((g.unlock_ts as number) - m.unlockTs) <= poll, `unlock within one poll interval (${(g.unlock_ts as number) - m.unlockTs})`);
    assert.ok(Math.abs((g.gross_kg as number) - m.grossKg) <= 0.02 * m.grossKg, `gross ${g.gross_kg} vs ${m.grossKg}`);
    assert.equal(g.kind, m.kind);
    assert.equal(g.move_counter, m.seq, "the PLC's counter of completed cycles");
  }
  const states = run.out.get('crane_state');
  for (const id of ['STS-01', 'STS-02', 'STS-03', 'STS-04']) {
    const mine = states.filter((s) => s.crane === id);
    assert.ok(mine.length > 1_000 && mine.length <= 1_801, `${id}: ${mine.length} samples, at most one a second`);
  }
  assert.deepEqual(run.findings, [], describe(run.findings));
});

/** The finding of `detector` naming crane `crane` (and signal, for sensor findings), or a failed assertion. */
function finding(run: Run, detector: string, crane: string, signal?: string): Finding {
  const f = run.findings.find((x) => x.detector === detector && x.cranes.includes(crane) && (signal === undefined || x.key.includes(`:${signal}:`)));
  assert.ok(f !== undefined, `${detector} on ${crane}${signal ? ` naming ${signal}` : ''}; got ${describe(run.findings)}`);
  return f;
}

test('fleet-stop: one fleet_stop finding and an unexpected_stop per crane, at the scenario time', async () => {
  const run = await simulate({ durationSec: 1_500, scenarios: [{ name: 'fleet-stop', params: {} }] });
  const s = run.truth.scenarios[0];
  const fleet = run.findings.filter((f) => f.detector === 'fleet_stop');
  assert.equal(fleet.length, 1, describe(run.findings));
  assert.ok(fleet[0].firstTs >= s.startTs && fleet[0].firstTs <= s.startTs + 60);
  assert.deepEqual([...fleet[0].cranes].sort(), ['STS-01', 'STS-02', 'STS-03', 'STS-04']);
  for (const id of ['STS-01', 'STS-02', 'STS-03', 'STS-04']) {
    const f = finding(run, 'unexpected_stop', id);
    assert.ok(f.firstTs >= s.startTs && f.firstTs <= s.endTs + 5, `${id} at ${f.firstTs - s.startTs} s`);
    assert.ok(f.techniques.some((t) => t.id === 'T0881'), 'caused by a command');
    assert.equal(f.hosts[0], s.hosts.attackers[0]);
  }
  assert.ok(!run.findings.some((f) => f.detector === 'sensor_integrity'), describe(run.findings));
});

test('unauthorized-write stop-command: the target crane stops unexpectedly at the scenario time', async () => {
  const run = await simulate({ durationSec: 1_500, scenarios: [{ name: 'unauthorized-write', params: { action: 'stop-command' } }] });
  const s = run.truth.scenarios[0];
  const f = finding(run, 'unexpected_stop', s.craneIds[0]);
  assert.ok(f.firstTs >= s.startTs && f.firstTs <= s.endTs + 5, `${f.firstTs - s.startTs} s after the start`);
  assert.equal(run.findings.filter((x) => x.detector === 'fleet_stop').length, 0);
});

test('benign: a crane idle at shift change and a quay-wide gust raise no crane finding', async () => {
  const idle = await simulate({ durationSec: 2_400, scenarios: [{ name: 'crane-idle-at-shift-change', params: {} }] });
  assert.deepEqual(idle.findings, [], describe(idle.findings));
  if (findScenario('benign-gust') === undefined) return;
  const gust = await simulate({ durationSec: 1_500, scenarios: [{ name: 'benign-gust', params: { duration: 120 } }] });
  assert.ok(gust.truth.scenarios[0].holds.length > 0, 'the gust stopped cranes');
  assert.deepEqual(gust.findings, [], describe(gust.findings));
});

/** Sensor scenarios: name, params, the crane and signal the finding must name, and other detections expected. */
const SENSOR_CASES: Array<[string, Record<string, unknown>, string, string, string[]]> = [
  ['sensor-wind-spoof', {}, 'STS-02', 'wind_speed_ms', ['unexpected_stop']],
  ['sensor-encoder-freeze', {}, 'STS-01', 'hoist_position_mm', []],
  ['sensor-encoder-freeze', { signal: 'trolley', crane: 'STS-03' }, 'STS-03', 'trolley_position_mm', []],
  ['sensor-encoder-drift', {}, 'STS-01', 'hoist_position_mm', []],
  ['sensor-load-stuck', {}, 'STS-01', 'load_kg', []],
  ['sensor-twistlock-mismatch', {}, 'STS-01', 'twistlock_locked', []],
  ['sensor-twistlock-mismatch', { variant: 'locked-no-load', crane: 'STS-04' }, 'STS-04', 'twistlock_locked', []],
];

for (const [name, params, crane, signal, also] of SENSOR_CASES) {
  test(`${name} ${JSON.stringify(params)}: sensor_integrity names ${crane} and ${signal} during the fault`, async (t) => {
    if (findScenario(name) === undefined) {
      t.skip(`scenario ${name} is not in this build`);
      return;
    }
    const run = await simulate({ durationSec: 1_500, scenarios: [{ name, params }] });
    const s = run.truth.scenarios[0];
    const f = finding(run, 'sensor_integrity', crane, signal);
    assert.ok(f.firstTs >= s.startTs && f.firstTs <= s.endTs, `${f.firstTs - s.startTs} s after the start`);
    assert.equal(f.severity, 'high');
    assert.ok(f.evidence.length > 0 && f.evidence[0].stream === 'modbus_detailed');
    for (const d of also) finding(run, d, crane);
    const elsewhere = run.findings.filter((x) => !x.cranes.includes(crane));
    assert.deepEqual(elsewhere, [], `nothing on the other cranes: ${describe(elsewhere)}`);
  });
}

test('cranewatch analyze --site writes crane_state and container_move logs and the crane findings', async () => {
  const file = join(dir, 'cli.pcap');
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const { site } = generateTerminal(w, { cranes: 4, seed: 5, durationSec: 900, scenarios: [{ name: 'fleet-stop', params: { start: 300, duration: 300 } }] });
  w.close();
  const siteFile = join(dir, 'site.yaml');
  writeSiteFile(siteFile, site);
  const out = join(dir, 'logs');
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await runAnalyze([file], { out, site: siteFile, progress: false, json: true });
  } finally {
    process.stdout.write = write;
  }
  const lines = (stream: string): LogRecord[] =>
    readFileSync(join(out, `${stream}.log`), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as LogRecord);
  assert.ok(lines('crane_state').length > 500);
  assert.ok(lines('container_move').length > 10);
  const detectors = new Set(lines('findings').map((f) => f.detector));
  for (const d of ['fleet_stop', 'unexpected_stop', 'unauthorized_write']) assert.ok(detectors.has(d), `${d} in ${[...detectors].join(', ')}`);
});

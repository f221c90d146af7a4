import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listScenarios } from '../../src/sim/scenarios/registry.js';
import { twinRun } from '../helpers/twin-eval.js';

// Every twin scenario with its defaults, seed 1, the twin's IP plan: attacks and faults detected by an
// expected detector, nothing else raised (benign surprises and a clean run included). The full sweep
// (variants, three seeds, two IP plans) is scripts/detection-report.ts → docs/DETECTION.md.
test('every twin scenario is detected and nothing else is raised (seed 1)', async () => {
  const failures: string[] = [];
  for (const name of [null, ...listScenarios().map((d) => d.name)]) {
    const r = await twinRun(name, 1);
    const s = r.score.scenarios[0];
    if (s !== undefined && s.kind !== 'benign' && !s.detected) failures.push(`${name}: missed (${s.missed.join(', ')})`);
    for (const f of r.score.falsePositives) failures.push(`${name ?? 'clean'}: false positive ${f.detector} ${f.title}`);
  }
  assert.deepEqual(failures, []);
});

test('the same holds in another IP plan (172.16.0.0/12) for scenarios that add hosts', async () => {
  for (const name of ['unauthorized-write', 'vendor-vpn-off-hours', 'maintenance-write-in-window', 'cellular-modem']) {
    const r = await twinRun(name, 2, 'one-seven-two');
    const s = r.score.scenarios[0];
    assert.ok(s.kind === 'benign' || s.detected, `${name} detected`);
    assert.deepEqual(r.score.falsePositives, [], name);
  }
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LogRecord } from '../../src/events/record.js';
import { DETECTION_GRACE_SEC, scoreFindings, type ScoringTruth } from '../../src/eval/truth-score.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const T = 1_741_939_200;
const truth: ScoringTruth = {
  startTs: T,
  endTs: T + 7200,
  scenarios: [
    { id: 'write#1', scenario: 'unauthorized-write', kind: 'attack', startTs: T + 100, endTs: T + 160, hosts: { attackers: ['10.40.0.9'], targets: ['10.20.1.10'] }, craneIds: ['STS-01'], expected: ['unauthorized_write', 'rogue_device'] },
    { id: 'recon#1', scenario: 'recon', kind: 'attack', startTs: T + 1000, endTs: T + 1100, hosts: { attackers: ['10.40.0.7'], targets: ['10.20.2.10'] }, craneIds: ['STS-02'], expected: ['recon_scan'] },
    { id: 'gust#1', scenario: 'benign-gust', kind: 'benign', startTs: T + 3000, endTs: T + 3100, hosts: { attackers: [], targets: [] }, craneIds: ['STS-01', 'STS-02'], expected: [] },
  ],
};
const f = (id: string, detector: string, ts: number, hosts: string[], cranes: string[] = [], last = ts): LogRecord => ({ finding_id: id, detector, ts, last_ts: last, hosts, cranes, title: `${detector} ${id}` });

describe('scoreFindings', () => {
  it('detected when an expected detector matches in time and hosts; time to detect from the scenario start; the rest are false positives', () => {
    const s = scoreFindings(truth, [
      f('F1', 'rogue_device', T + 100.5, ['10.40.0.9']),
      f('F2', 'unauthorized_write', T + 101.2, ['10.40.0.9', '10.20.1.10'], ['STS-01']),
      f('F3', 'conduit_violation', T + 102, ['10.40.0.9', '10.20.1.10']), // matched, not expected: not a false positive
      f('F4', 'recon_scan', T + 1100 + DETECTION_GRACE_SEC + 1, ['10.40.0.7']), // too late
      f('F5', 'sensor_integrity', T + 3050, ['10.20.1.10'], ['STS-01']), // during the gust
      f('F6', 'egress_violation', T + 5000, ['10.20.3.10', '203.0.113.9']),
    ]);
    const byId = Object.fromEntries(s.scenarios.map((x) => [x.id, x]));
    assert.equal(byId['write#1'].detected, true);
    assert.equal(byId['write#1'].timeToDetectSec, 0.5);
    assert.deepEqual(byId['write#1'].raised, ['unauthorized_write', 'rogue_device']);
    assert.deepEqual(byId['write#1'].findings.sort(), ['F1', 'F2', 'F3']);
    assert.equal(byId['recon#1'].detected, false);
    assert.deepEqual(byId['recon#1'].missed, ['recon_scan']);
    assert.deepEqual(byId['gust#1'].findings, ['F5']);
    assert.equal(s.recall, 0.5);
    assert.deepEqual(s.falsePositives.map((x) => [x.finding_id, x.benignScenario]), [['F4', null], ['F5', 'gust#1'], ['F6', null]]);
    assert.equal(s.falsePositivesPerHour, 1.5);
    assert.equal(s.medianTimeToDetectSec, 0.5);
  });
});

describe('cranewatch eval', () => {
  it('simulates → evaluates: every scenario detected, the benign one quiet; bad truth is one clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-eval-'));
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8' });
    const sim = cli('simulate', '--cranes', '2', '--duration', '30m', '--seed', '4', '--out', join(dir, 'c.pcap'), '--truth', join(dir, 't.json'), '--site-out', join(dir, 's.yaml'), '--scenario', 'unauthorized-write:action=setpoint-change,start=200', '--scenario', 'crane-idle-at-shift-change:start=600');
    assert.equal(sim.status, 0, sim.stderr);
    const r = cli('eval', '--truth', join(dir, 't.json'), '--site', join(dir, 's.yaml'), join(dir, 'c.pcap'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const score = JSON.parse(r.stdout) as ReturnType<typeof scoreFindings>;
    assert.equal(score.recall, 1);
    assert.deepEqual(score.falsePositives, []);
    assert.ok((score.medianTimeToDetectSec ?? 99) < 5);
    const bad = cli('eval', '--truth', join(dir, 's.yaml'), '--findings', join(dir, 'none.log'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^cranewatch: --truth .*s\.yaml: not JSON/);
    const missing = cli('eval', '--truth', join(dir, 't.json'), '--findings', join(dir, 'none.log'));
    assert.equal(missing.status, 3, 'a missing findings log is an error, not an empty score');
    writeFileSync(join(dir, 'conn.log'), '{"ts":1,"uid":"C1"}\n');
    const notFindings = cli('eval', '--truth', join(dir, 't.json'), '--findings', join(dir, 'conn.log'));
    assert.equal(notFindings.status, 2);
    assert.match(notFindings.stderr, /conn\.log:1: not a findings record/);
  });
});

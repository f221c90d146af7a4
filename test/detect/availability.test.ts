import assert from 'node:assert/strict';
import { test } from 'node:test';
import { craneSilenceDetector, fleetStopDetector, unexpectedStopDetector } from '../../src/detect/detectors/availability.js';
import type { Detector } from '../../src/detect/detector.js';
import type { Finding } from '../../src/detect/engine.js';
import type { LogRecord } from '../../src/events/record.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import type { Site } from '../../src/policy/site-schema.js';
import { buildTerminalSite } from '../../src/sim/terminal/terminal-site.js';
import { conn, detailed, runDetector } from './helpers.js';

const T0 = 1_741_939_200; // 2025-03-14T08:00:00Z, a Friday: outside the twin's Tuesday window
const site: Site = buildTerminalSite(4);
const policy = new SitePolicy(site);

/** A crane_state record of crane `n` at T0 + `t` (semi-automatic, calm, hanging at 20 m unless overridden). */
function state(n: number, t: number, f: Record<string, unknown> = {}): [string, LogRecord] {
  return [
    'crane_state',
    {
      ts: T0 + t,
      crane: `STS-0${n}`,
      plc_h: `10.20.${n}.10`,
      uid: `CPoll${n}`,
      hoist_position_mm: 20_000,
      trolley_position_mm: 50_000,
      gantry_position_mm: 100_000,
      twistlock_locked: false,
      wind_speed_ms: 6,
      operating_mode: 2,
      emergency_stop: false,
      ...f,
    } as LogRecord,
  ];
}

/** A crane that cycles (moves, locks and unlocks) from `from` to `to` seconds, one sample a second. */
function cycling(n: number, from: number, to: number, f: (t: number) => Record<string, unknown> = () => ({})): Array<[string, LogRecord]> {
  const rows: Array<[string, LogRecord]> = [];
  for (let t = from; t < to; t++) rows.push(state(n, t, { hoist_position_mm: 20_000 + (t % 20) * 300, twistlock_locked: t % 40 >= 20, ...f(t) }));
  return rows;
}

/** Samples of crane `n` standing still from `from` to `to`. */
function standing(n: number, from: number, to: number, f: Record<string, unknown> = {}): Array<[string, LogRecord]> {
  const rows: Array<[string, LogRecord]> = [];
  for (let t = from; t < to; t++) rows.push(state(n, t, { hoist_position_mm: 25_000, ...f }));
  return rows;
}

/** Runs a detector over the records in time order (as the pipeline delivers them). */
function run(make: (p: SitePolicy) => Detector | null, records: Array<[string, LogRecord]>, p = policy): Finding[] {
  const d = make(p);
  assert.ok(d !== null);
  const sorted = [...records].sort((a, b) => (a[1].ts as number) - (b[1].ts as number));
  return runDetector(d, p, sorted);
}

/** A stop write of operating_mode := 0 from `src` to crane `n`'s PLC. */
function stopWrite(n: number, t: number, src = '10.40.9.15'): [string, LogRecord] {
  return ['modbus_detailed', detailed(T0 + t, src, `10.20.${n}.10`, 6, 11, 1, { request_values: [0], uid: `CAttack${n}` })];
}

test('unexpected_stop: mode 0 right after a write is a commanded stop (critical, T0826 T0881 T0813, the write as evidence)', () => {
  const fs = run(unexpectedStopDetector, [...cycling(1, 0, 30), stopWrite(1, 30.2), state(1, 30.5, { operating_mode: 0 }), state(1, 31.5, { operating_mode: 0 })]);
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.detector, 'unexpected_stop');
  assert.equal(f.key, `STS-01:stop:${T0 + 31}`);
  assert.equal(f.severity, 'critical');
  assert.equal(f.firstTs, T0 + 30.5);
  assert.deepEqual(f.techniques.map((t) => t.id), ['T0826', 'T0881', 'T0813']);
  assert.deepEqual(f.hosts, ['10.40.9.15', '10.20.1.10']);
  assert.deepEqual(f.evidence, [{ stream: 'modbus_detailed', uid: 'CAttack1' }]);
  assert.match(f.explanation, /^STS-01 switched to mode 0 \(off\) 0\.3 s after 10\.40\.9\.15 sent a command/);
});

test('unexpected_stop: an emergency stop with no command is a stop (high, T0826 only); a write long before is not its cause', () => {
  const fs = run(unexpectedStopDetector, [stopWrite(2, 0), ...cycling(2, 1, 60), state(2, 60, { emergency_stop: true })]);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].severity, 'high');
  assert.deepEqual(fs[0].techniques.map((t) => t.id), ['T0826']);
  assert.match(fs[0].explanation, /reported its emergency stop active outside any maintenance window, with no command seen/);
});

test('unexpected_stop: a stop inside the crane\u2019s maintenance window is planned work', () => {
  const s = structuredClone(site);
  s.maintenance_windows.push({ from: '2025-03-14T07:50:00Z', to: '2025-03-14T09:00:00Z', cranes: ['STS-01'], description: 'hoist brake service' });
  const p = new SitePolicy(s);
  assert.equal(run(unexpectedStopDetector, [...cycling(1, 0, 30), state(1, 31, { operating_mode: 0 })], p).length, 0);
  assert.equal(run(unexpectedStopDetector, [...cycling(2, 0, 30), state(2, 31, { operating_mode: 0 })], p).length, 1, 'the window is for STS-01 only');
});

test('unexpected_stop: an idle crane in semi-automatic mode is not stopped; a wind stop no neighbour shares is', () => {
  const idle = [...cycling(1, 0, 100), ...standing(1, 100, 1_000)];
  for (let t = 0; t < 1_000; t++) idle.push(state(2, t, { wind_speed_ms: 7 }));
  assert.deepEqual(run(unexpectedStopDetector, idle), []);

  const spoofed = [...cycling(1, 0, 100, () => ({ wind_speed_ms: 6 })), ...standing(1, 100, 400, { wind_speed_ms: 28 })];
  for (let t = 0; t < 400; t++) spoofed.push(state(2, t, { wind_speed_ms: 7 }), state(3, t, { wind_speed_ms: 6.5 }));
  const fs = run(unexpectedStopDetector, spoofed);
  assert.equal(fs.length, 1);
  assert.ok(fs[0].firstTs > T0 + 220 && fs[0].firstTs < T0 + 223, `after 120 s of standstill (${fs[0].firstTs - T0})`);
  assert.match(fs[0].explanation, /held by its wind interlock on a 28 m\/s reading \(stop at 20 m\/s\) while the other cranes read 6\.8 m\/s/);

  const gale = [...cycling(1, 0, 100, () => ({ wind_speed_ms: 15 })), ...standing(1, 100, 400, { wind_speed_ms: 28 })];
  for (let t = 0; t < 400; t++) gale.push(state(2, t, { wind_speed_ms: t < 100 ? 15 : 27 }));
  assert.deepEqual(run(unexpectedStopDetector, gale), [], 'every crane feels the gale: a wind stop, not a fault');

  const raised = [...cycling(1, 0, 100), ...standing(1, 100, 400, { wind_speed_ms: 28, wind_stop_threshold_ms: 30 })];
  for (let t = 0; t < 400; t++) raised.push(state(2, t, { wind_speed_ms: 7 }));
  assert.deepEqual(run(unexpectedStopDetector, raised), [], 'below its own wind-stop setpoint the crane is not held by the wind');
});

test('fleet_stop: three of four cranes stopped within a minute is one critical finding; two, or spread out, is none', () => {
  const rows: Array<[string, LogRecord]> = [];
  for (let n = 1; n <= 4; n++) rows.push(state(n, 0));
  for (let n = 1; n <= 3; n++) rows.push(stopWrite(n, 10 + n), state(n, 10.5 + n, { operating_mode: 0 }));
  const fs = run(fleetStopDetector, rows);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].detector, 'fleet_stop');
  assert.equal(fs[0].severity, 'critical');
  assert.deepEqual(fs[0].cranes, ['STS-01', 'STS-02', 'STS-03']);
  assert.equal(fs[0].hosts[0], '10.40.9.15', 'the commanding host first');
  assert.deepEqual(fs[0].techniques.map((t) => t.id), ['T0826', 'T0881', 'T0813']);

  const two: Array<[string, LogRecord]> = [];
  for (let n = 1; n <= 4; n++) two.push(state(n, 0));
  two.push(state(1, 10, { operating_mode: 0 }), state(2, 12, { emergency_stop: true }));
  assert.deepEqual(run(fleetStopDetector, two), []);

  const spread: Array<[string, LogRecord]> = [];
  for (let n = 1; n <= 4; n++) spread.push(state(n, 0));
  for (let n = 1; n <= 3; n++) spread.push(state(n, n * 100, { operating_mode: 0 }));
  assert.deepEqual(run(fleetStopDetector, spread), []);
  assert.equal(fleetStopDetector(new SitePolicy(buildTerminalSite(1))), null, 'one crane is no fleet');
});

test('crane_silence: a regularly polled PLC that stops answering for over 30 s, seen by the clock of other traffic or at the end', () => {
  const rows: Array<[string, LogRecord]> = [];
  for (let t = 0; t < 120; t += 0.5) {
    if (t < 60) rows.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.1.10', 3, 0, 17, { uid: 'CCms1' })]);
    rows.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.2.10', 3, 1000, 17, { uid: 'CCms2' })]);
  }
  const fs = run(craneSilenceDetector, rows);
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.detector, 'crane_silence');
  assert.deepEqual(f.cranes, ['STS-01']);
  assert.ok(Math.abs(f.firstTs - (T0 + 59.5 + 30)) < 1e-6, `${f.firstTs - T0}`);
  assert.deepEqual(f.techniques.map((t) => t.id), ['T0829', 'T0826']);
  assert.deepEqual(f.evidence, [{ stream: 'modbus_detailed', uid: 'CCms1' }]);

  // Only a conn record's end tells the clock that time went on.
  const quiet: Array<[string, LogRecord]> = [];
  for (let t = 0; t < 20; t++) quiet.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.3.10', 3, 0, 17)]);
  quiet.push(['conn', conn(T0, '10.21.0.10', '10.21.0.20', 1883, 'S1', 'tcp', { duration: 300 })]);
  assert.deepEqual(run(craneSilenceDetector, quiet).map((x) => x.key), ['STS-03:silent']);

  // Polled too rarely to expect answers, or answering to the end: no silence.
  const rare: Array<[string, LogRecord]> = [];
  for (let t = 0; t < 600; t += 60) rare.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.1.10', 3, 0, 17)]);
  for (let t = 0; t < 600; t += 0.5) rare.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.2.10', 3, 0, 17)]);
  assert.deepEqual(run(craneSilenceDetector, rare), []);
});

test('site thresholds: standstill, a crane\u2019s own wind-stop limit and the silence time come from the site file', () => {
  const tuned = new SitePolicy({
    ...site,
    thresholds: { ...site.thresholds, standstill_sec: 300, crane_silence_sec: 90 },
    cranes: site.cranes.map((c) => (c.id === 'STS-01' ? { ...c, thresholds: { wind_stop_ms: 30 } } : c)),
  });
  const spoofed = [...cycling(1, 0, 100, () => ({ wind_speed_ms: 6 })), ...standing(1, 100, 700, { wind_speed_ms: 28 })];
  for (let t = 0; t < 700; t++) spoofed.push(state(2, t, { wind_speed_ms: 7 }), state(3, t, { wind_speed_ms: 6.5 }));
  assert.deepEqual(run(unexpectedStopDetector, spoofed, tuned), [], 'a 30 m/s limit does not hold STS-01 on 28 m/s');
  const windy = spoofed.map(([s, r]): [string, LogRecord] => [s, r.crane === 'STS-01' && (r.ts as number) >= T0 + 100 ? { ...r, wind_speed_ms: 33 } : r]);
  const fs = run(unexpectedStopDetector, windy, tuned);
  assert.equal(fs.length, 1);
  assert.ok(fs[0].firstTs > T0 + 400 && fs[0].firstTs < T0 + 403, `after 300 s of standstill (${fs[0].firstTs - T0})`);
  assert.match(fs[0].explanation, /\(stop at 30 m\/s\)/);

  const rows: Array<[string, LogRecord]> = [];
  for (let t = 0; t < 200; t += 0.5) {
    if (t < 60) rows.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.1.10', 3, 0, 17, { uid: 'CCms1' })]);
    rows.push(['modbus_detailed', detailed(T0 + t, '10.21.0.10', '10.20.2.10', 3, 1000, 17, { uid: 'CCms2' })]);
  }
  const silent = run(craneSilenceDetector, rows, tuned);
  assert.equal(silent.length, 1);
  assert.ok(Math.abs(silent[0].firstTs - (T0 + 59.5 + 90)) < 1e-6, `${silent[0].firstTs - T0}`);
});

test('unexpected_stop: two stops of one crane an hour apart are two findings, each with its own cause', () => {
  const rows = [...cycling(2, 0, 100, () => ({ wind_speed_ms: 6 })), ...standing(2, 100, 400, { wind_speed_ms: 28 })];
  for (let t = 0; t < 4_000; t++) rows.push(state(3, t, { wind_speed_ms: 7 }), state(4, t, { wind_speed_ms: 6.5 }));
  rows.push(...cycling(2, 400, 3_600), stopWrite(2, 3_600.2, '10.40.20.230'), state(2, 3_600.5, { operating_mode: 0 }));
  const fs = run(unexpectedStopDetector, rows);
  assert.deepEqual(
    fs.map((f) => [f.severity, f.title, f.count]),
    [
      ['high', 'STS-02 stopped by a wind reading no other crane shares', 1],
      ['critical', 'STS-02 stopped by a network command', 1],
    ],
  );
  assert.match(fs[0].explanation, /held by its wind interlock/);
  assert.deepEqual(fs[1].hosts, ['10.40.20.230', '10.20.2.10']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sensorIntegrityDetector } from '../../src/detect/detectors/sensor-integrity.js';
import type { Finding } from '../../src/detect/engine.js';
import type { LogRecord } from '../../src/events/record.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { buildTerminalSite } from '../../src/sim/terminal/terminal-site.js';
import { runDetector } from './helpers.js';

const policy = new SitePolicy(buildTerminalSite(4));
const T0 = 1_741_939_200;

/**
 * A crane_state record of crane `n` at T0 + `t` (a crane hanging empty at 20 m, calm, semi-automatic,
 * unless overridden; no speed signals unless given).
 */
function state(n: number, t: number, f: Record<string, unknown> = {}): [string, LogRecord] {
  return [
    'crane_state',
    {
      ts: T0 + t,
      crane: `STS-0${n}`,
      plc_h: `10.20.${n}.10`,
      unit: 1,
      uid: `CPoll${n}`,
      hoist_position_mm: 20_000,
      trolley_position_mm: 50_000,
      gantry_position_mm: 100_000,
      load_kg: 15_000,
      spreader_kg: 15_000,
      twistlock_locked: false,
      spreader_landed: false,
      wind_speed_ms: 6,
      operating_mode: 2,
      emergency_stop: false,
      ...f,
    } as LogRecord,
  ];
}

function run(records: Array<[string, LogRecord]>): Finding[] {
  const d = sensorIntegrityDetector(policy);
  assert.ok(d !== null);
  return runDetector(d, policy, records);
}

const keys = (fs: Finding[]): string[] => fs.map((f) => f.key);

test('physical limits: hoist above 60 m, negative load, wind above 70 m/s — one finding per episode', () => {
  const fs = run([
    state(1, 0),
    state(1, 10, { hoist_position_mm: 65_000 }),
    state(1, 11, { hoist_position_mm: 65_000 }),
    state(1, 60, { hoist_position_mm: 20_000 }),
    state(1, 120, { hoist_position_mm: 61_000 }),
    state(2, 0, { load_kg: -300 }),
    state(3, 0, { wind_speed_ms: 75 }),
    state(4, 0, { trolley_position_mm: 130_000 }),
  ]);
  assert.deepEqual(keys(fs).sort(), ['STS-01:hoist_position_mm:range', 'STS-02:load_kg:range', 'STS-03:wind_speed_ms:range', 'STS-04:trolley_position_mm:range']);
  const hoist = fs.find((f) => f.key === 'STS-01:hoist_position_mm:range')!;
  assert.equal(hoist.count, 2);
  assert.equal(hoist.severity, 'high');
  assert.deepEqual(hoist.cranes, ['STS-01']);
  assert.deepEqual(hoist.hosts, ['10.20.1.10']);
  assert.deepEqual(hoist.evidence, [{ stream: 'modbus_detailed', uid: 'CPoll1' }]);
  assert.deepEqual(hoist.techniques.map((t) => t.id), ['T0832']);
  assert.match(hoist.explanation, /STS-01's PLC reports hoist_position_mm = 65000 mm, outside/);
});

test('impossible rates: a position faster than 6 m/s; the wind jumping 15 m/s in a second (spoof-like); real motion is fine', () => {
  const fs = run([
    state(1, 0),
    state(1, 1, { hoist_position_mm: 21_500 }),
    state(1, 2, { hoist_position_mm: 31_500 }),
    state(1, 60, { hoist_position_mm: 1_000 }),
    state(2, 0, { wind_speed_ms: 6 }),
    state(2, 1, { wind_speed_ms: 27.5 }),
    state(3, 0, { gantry_position_mm: 100_000 }),
    state(3, 1, { gantry_position_mm: 100_700 }),
  ]);
  assert.deepEqual(keys(fs), ['STS-02:wind_speed_ms:jump', 'STS-01:hoist_position_mm:rate']);
  assert.equal(fs[1].count, 1, 'a change across a 58 s gap is not a rate');
  assert.deepEqual(fs[0].techniques.map((t) => t.id), ['T0856', 'T0832']);
});

test('stuck encoder: unchanged while its own speed says moving, or across a whole container move; an idle crane is not stuck', () => {
  const moving: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 40; t++) moving.push(state(1, t, { hoist_speed_mm_s: t < 5 ? 0 : 1_400, trolley_speed_mm_s: 100, trolley_position_mm: 50_000 + t * 100 }));
  const across: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 45; t++) {
    const locked = t >= 5 && t < 40;
    across.push(state(2, t, { twistlock_locked: locked, spreader_landed: t === 5 || t === 40, hoist_position_mm: 30_000 + t * 200, load_kg: t === 5 || t === 40 ? 0 : locked ? 30_000 : 15_000 }));
  }
  const idle: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 900; t += 1) idle.push(state(3, t));
  const fs = run([...moving, ...across, ...idle]);
  assert.deepEqual(keys(fs), ['STS-01:hoist_position_mm:stuck', 'STS-02:trolley_position_mm:stuck']);
  assert.match(fs[0].explanation, /hoist drive reported moving: the hoist encoder is frozen/);
  assert.match(fs[1].explanation, /locked, carried and set down a container/);
});

test('drift: the position creeps while the drive reports standing', () => {
  const rows: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 12; t++) rows.push(state(1, t, { hoist_position_mm: 20_000 + 40 * t, hoist_speed_mm_s: 0 }));
  // The same creep with the drive reporting motion is real motion.
  for (let t = 0; t <= 12; t++) rows.push(state(2, t, { hoist_position_mm: 20_000 + 40 * t, hoist_speed_mm_s: 40 }));
  const fs = run(rows);
  assert.deepEqual(keys(fs), ['STS-01:hoist_position_mm:drift']);
});

test('load stuck to the kilogram for over 60 s while the twistlocks lock and unlock', () => {
  const rows: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 70; t++) rows.push(state(1, t, { twistlock_locked: t >= 10 && t < 50, spreader_landed: t === 10 || t === 50 }));
  const fs = run(rows);
  assert.ok(keys(fs).includes('STS-01:load_kg:stuck'), keys(fs).join());
});

test('a box hanging from unlocked twistlocks: the twistlock signal is judged wrong after two samples', () => {
  const fs = run([state(1, 0, { load_kg: 40_000 }), state(1, 1, { load_kg: 40_000 }), state(2, 0, { load_kg: 40_000 }), state(2, 1, { load_kg: 15_000 })]);
  assert.deepEqual(keys(fs), ['STS-01:twistlock_locked:unlocked_under_load']);
});

test('an empty lift with the twistlocks locked: the next landing tells the load cell from the twistlocks', () => {
  const lift = (n: number, landedLoad: number): Array<[string, LogRecord]> => {
    const rows: Array<[string, LogRecord]> = [];
    for (let t = 0; t < 6; t++) rows.push(state(n, t, { twistlock_locked: true, hoist_position_mm: 10_000 + t * 1_000, load_kg: 15_000 + t }));
    rows.push(state(n, 10, { twistlock_locked: true, spreader_landed: true, hoist_position_mm: 4_000, load_kg: landedLoad }));
    return rows;
  };
  const fs = run([...lift(1, 0), ...lift(2, 15_005)]);
  assert.deepEqual(keys(fs).sort(), ['STS-01:twistlock_locked:locked_no_load', 'STS-02:load_kg:locked_no_load']);
  assert.equal(fs[0].firstTs, T0 + 3, 'reported at the lift, not at the landing');
});

test('wind against the neighbours: one crane 8 m/s off the agreeing others for over 10 s; a quay-wide gust is not', () => {
  const spoof: Array<[string, LogRecord]> = [];
  const gust: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 15; t++) {
    for (let n = 1; n <= 4; n++) spoof.push(state(n, t, { wind_speed_ms: n === 2 ? 28 : 6 + n * 0.5 }));
    for (let n = 1; n <= 4; n++) gust.push(state(n, 100 + t, { wind_speed_ms: 20 + t + n * 0.3 }));
  }
  const fs = run([...spoof, ...gust]);
  assert.deepEqual(keys(fs), ['STS-02:wind_speed_ms:neighbours']);
  assert.deepEqual(fs[0].techniques.map((t) => t.id), ['T0856', 'T0832']);
  assert.match(fs[0].explanation, /STS-02's anemometer has read 28 m\/s for 1[01] s while 3 neighbouring cranes agree on 7\.\d m\/s/);
  // Neighbours that disagree among themselves prove nothing.
  const split: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 15; t++) for (let n = 1; n <= 4; n++) split.push(state(n, t, { wind_speed_ms: [28, 6, 18, 9][n - 1] }));
  assert.deepEqual(keys(run(split)), []);
});

test('load/twistlock checks wait for the learned tare; a tared load cell (tare 0) is judged on its own scale', () => {
  const unknown = [state(1, 0, { load_kg: 40_000, spreader_kg: null }), state(1, 1, { load_kg: 40_000, spreader_kg: null })];
  assert.deepEqual(keys(run(unknown)), []);
  const tared = [state(1, 0, { load_kg: 25_000, spreader_kg: 0 }), state(1, 1, { load_kg: 25_000, spreader_kg: 0 })];
  assert.deepEqual(keys(run(tared)), ['STS-01:twistlock_locked:unlocked_under_load']);
  // A tared cell reads about 0 with a box-less spreader whether landed or not: without a landed signal, no empty-lift judgement.
  const rows: Array<[string, LogRecord]> = [];
  for (let t = 0; t < 6; t++) rows.push(state(2, t, { twistlock_locked: true, spreader_landed: null, spreader_kg: 0, load_kg: 0, hoist_position_mm: 10_000 + t * 1_000 }));
  assert.deepEqual(keys(run(rows)), []);
});

test('a normal working crane raises nothing', () => {
  const rows: Array<[string, LogRecord]> = [];
  for (let t = 0; t <= 120; t++) {
    const phase = t % 60;
    const locked = phase >= 10 && phase < 40;
    const landed = phase === 10 || phase === 40;
    rows.push(
      state(1, t, {
        hoist_position_mm: 20_000 + (phase < 30 ? phase : 60 - phase) * 500,
        hoist_speed_mm_s: 500,
        trolley_speed_mm_s: 1_000,
        trolley_position_mm: 40_000 + (phase < 30 ? phase : 60 - phase) * 1_000,
        twistlock_locked: locked,
        spreader_landed: landed,
        load_kg: landed ? 0 : locked ? 35_000 : 15_000,
        wind_speed_ms: 6 + Math.sin(t / 10),
      }),
    );
  }
  assert.deepEqual(keys(run(rows)), []);
});

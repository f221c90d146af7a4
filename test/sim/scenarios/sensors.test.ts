import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { CwError } from '../../../src/errors.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { registerWords, type Site, type SiteCrane } from '../../../src/policy/site-schema.js';
import { CRANE_SIGNALS, createCraneModel, Sig } from '../../../src/sim/terminal/crane-model.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { QuayWind } from '../../../src/sim/terminal/wind.js';
import { haveTshark, tsharkProblems } from '../tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-sensors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 11;
const DURATION = 1200;
/** Fault windows, seconds into the run. */
const SPOOF = { crane: 'STS-02', start: 300, duration: 300 };
const FREEZE = { crane: 'STS-03', start: 200, duration: 300 };
const DRIFT = { crane: 'STS-04', start: 250, duration: 300, rate: -35 };
const STUCK = { crane: 'STS-01', start: 150, duration: 300, value: 12_340 };
const TWIST = { crane: 'STS-01', start: 600, duration: 400 };
const SCENARIOS = [
  { name: 'sensor-wind-spoof', params: { crane: SPOOF.crane, start: SPOOF.start, duration: SPOOF.duration } },
  { name: 'sensor-encoder-freeze', params: { crane: FREEZE.crane, start: FREEZE.start, duration: FREEZE.duration, signal: 'hoist' } },
  { name: 'sensor-encoder-drift', params: { crane: DRIFT.crane, start: String(DRIFT.start), duration: DRIFT.duration, signal: 'trolley', rate: String(DRIFT.rate) } },
  { name: 'sensor-load-stuck', params: { crane: STUCK.crane, start: STUCK.start, duration: STUCK.duration, value: STUCK.value } },
  { name: 'sensor-twistlock-mismatch', params: { crane: TWIST.crane, start: TWIST.start, duration: TWIST.duration, variant: 'unlocked-under-load' } },
];
const MAPPED = ['hoist_position_mm', 'trolley_position_mm', 'gantry_position_mm', 'load_kg', 'twistlock_locked', 'wind_speed_ms', 'operating_mode', 'hoist_speed_mm_s', 'trolley_speed_mm_s'] as const;
type Signal = (typeof MAPPED)[number];

/** One CMS poll answer decoded with the site's register map: ts (s into the run) and engineering values. */
interface Row {
  t: number;
  v: Record<Signal, number>;
}

function simulate(name: string, scenarios: typeof SCENARIOS) {
  const file = join(dir, name);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed: SEED, durationSec: DURATION, cranes: 4, scenarios });
  w.close();
  return { file, ...r };
}

/** Engineering value of `name` in a block read starting at `base` (word order of the crane's map). */
function decode(crane: SiteCrane, base: number, values: readonly number[], name: Signal): number {
  const r = crane.registers[name];
  const o = r.address - base;
  let raw: number;
  if (registerWords(r.type) === 1) raw = r.type === 'i16' ? (values[o] << 16) >> 16 : values[o];
  else {
    const [hi, lo] = crane.word_order === 'low_first' ? [values[o + 1], values[o]] : [values[o], values[o + 1]];
    raw = r.type === 'i32' ? ((hi << 16) | lo) : hi * 65536 + lo;
  }
  return raw * r.scale;
}

/** The CMS's block reads of every PLC (the project's analyzer, `modbus_detailed` response values), by crane id. */
async function polls(file: string, site: Site, startTs: number): Promise<Map<string, Row[]>> {
  const detailed: LogRecord[] = [];
  await analyzeCaptures([file], {
    sink: {
      write(stream: string, record: LogRecord): void {
        if (stream === 'modbus_detailed') detailed.push(record);
      },
      async close(): Promise<void> {},
    },
  });
  const cms = site.assets.find((a) => a.role === 'cms')?.ip;
  const out = new Map<string, Row[]>();
  for (const c of site.cranes) {
    const plc = site.assets.find((a) => a.name === c.plc)?.ip;
    const base = Math.min(...Object.values(c.registers).map((r) => r.address));
    const rows: Row[] = [];
    for (const d of detailed) {
      if (d['id.orig_h'] !== cms || d['id.resp_h'] !== plc || d.func !== 'READ_HOLDING_REGISTERS' || d.address !== base) continue;
      const values = d.response_values as number[];
      const v = {} as Record<Signal, number>;
      for (const s of MAPPED) v[s] = decode(c, base, values, s);
      rows.push({ t: (d.ts as number) - startTs, v });
    }
    out.set(c.id, rows);
  }
  return out;
}

const base = simulate('base.pcap', []);
const faulty = simulate('faulty.pcap', SCENARIOS);
const A = await polls(base.file, base.site, base.truth.startTs);
const B = await polls(faulty.file, faulty.site, faulty.truth.startTs);
/** Slack at the window edges: a poll's row carries its request time, the PLC samples when it answers (≤ 10 ms later). */
const EDGE = 0.02;
const inside = (t: number, w: { start: number; duration: number }): boolean => t >= w.start + EDGE && t < w.start + w.duration - EDGE;
const near = (t: number, w: { start: number; duration: number }): boolean => t >= w.start - EDGE && t < w.start + w.duration + EDGE;

test('the faulty run polls at the same instants as the clean one (sensor faults add no traffic)', () => {
  for (const id of ['STS-01', 'STS-02', 'STS-03', 'STS-04']) {
    const a = A.get(id) as Row[];
    const b = B.get(id) as Row[];
    assert.ok(a.length > 2000, `${id}: ${a.length} polls`);
    assert.deepEqual(
      b.map((r) => r.t),
      a.map((r) => r.t),
      id,
    );
  }
});

test('faults show exactly in their window, only on the target crane and signal', () => {
  const faults: Record<string, Array<{ signal: Signal; w: { start: number; duration: number } }>> = {
    'STS-01': [
      { signal: 'load_kg', w: STUCK },
      { signal: 'twistlock_locked', w: TWIST },
    ],
    'STS-03': [{ signal: 'hoist_position_mm', w: FREEZE }],
    'STS-04': [{ signal: 'trolley_position_mm', w: DRIFT }],
  };
  for (const [id, list] of Object.entries(faults)) {
    const a = A.get(id) as Row[];
    const b = B.get(id) as Row[];
    const changed = new Set<Signal>();
    for (let i = 0; i < a.length; i++) {
      for (const s of MAPPED) {
        if (a[i].v[s] === b[i].v[s]) continue;
        const f = list.find((x) => x.signal === s);
        assert.ok(f !== undefined && near(a[i].t, f.w), `${id} ${s} differs at ${a[i].t} s outside any fault of it`);
        changed.add(s);
      }
    }
    assert.deepEqual([...changed].sort(), list.map((f) => f.signal).sort(), `${id}: the faulted signals (and only they) differ`);
  }
  // The spoofed crane's neighbours read the real wind, untouched.
  for (const id of ['STS-01', 'STS-03']) {
    const a = A.get(id) as Row[];
    const b = B.get(id) as Row[];
    for (let i = 0; i < a.length; i++) assert.equal(b[i].v.wind_speed_ms, a[i].v.wind_speed_ms, `${id} wind at ${a[i].t}`);
  }
});

test('freeze holds the position it had at the start while the crane moves', () => {
  const a = (A.get('STS-03') as Row[]).filter((r) => inside(r.t, FREEZE));
  const b = (B.get('STS-03') as Row[]).filter((r) => inside(r.t, FREEZE));
  const frozen = new Set(b.map((r) => r.v.hoist_position_mm));
  assert.equal(frozen.size, 1, 'one reported hoist position throughout the window');
  const trueRange = Math.max(...a.map((r) => r.v.hoist_position_mm)) - Math.min(...a.map((r) => r.v.hoist_position_mm));
  assert.ok(trueRange > 10_000, `the hoist really travelled ${trueRange} mm`);
  const first = a[0];
  assert.ok(Math.abs(first.v.hoist_position_mm - [...frozen][0]) <= 3000 * (first.t - FREEZE.start + EDGE), 'frozen at (about) its value at the start');
  assert.ok(b.some((r) => r.v.hoist_speed_mm_s !== 0), 'the hoist speed keeps telling the truth');
});

test('drift adds rate × (t − start) to the true position', () => {
  const a = A.get('STS-04') as Row[];
  const b = B.get('STS-04') as Row[];
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (!inside(a[i].t, DRIFT)) continue;
    const off = b[i].v.trolley_position_mm - a[i].v.trolley_position_mm;
    const want = DRIFT.rate * (a[i].t - DRIFT.start);
    if (a[i].v.trolley_position_mm + want < 0) continue; // u32 register clamps at 0
    assert.ok(Math.abs(off - want) <= 2, `offset ${off} mm vs ${want.toFixed(1)} mm at ${a[i].t} s`);
    n++;
  }
  assert.ok(n > 400, `${n} drifted polls checked`);
});

test('stuck load cell and unlocked twistlocks under load', () => {
  const a = A.get('STS-01') as Row[];
  const b = B.get('STS-01') as Row[];
  let boxes = 0;
  for (let i = 0; i < a.length; i++) {
    if (inside(a[i].t, STUCK)) assert.equal(b[i].v.load_kg, STUCK.value, `load at ${a[i].t}`);
    if (inside(a[i].t, TWIST)) {
      assert.equal(b[i].v.twistlock_locked, 0, `twistlocks at ${a[i].t}`);
      if (a[i].v.twistlock_locked === 1 && b[i].v.load_kg > 15_000 + 2000) boxes++;
    }
  }
  assert.ok(a.some((r) => inside(r.t, STUCK) && r.v.load_kg !== STUCK.value), 'the true load did change');
  assert.ok(boxes > 50, `${boxes} polls show a box hanging from "unlocked" twistlocks`);
});

test('wind spoof: the crane reads ~28 m/s, its neighbours the real wind, and it stands still until the reading is calm', () => {
  const a = A.get(SPOOF.crane) as Row[];
  const b = B.get(SPOOF.crane) as Row[];
  const hold = faulty.truth.scenarios[0].holds[0];
  const from = hold.fromTs - faulty.truth.startTs;
  const until = hold.untilTs - faulty.truth.startTs;
  assert.ok(from > SPOOF.start && from <= SPOOF.start + 0.2, `stops one interlock scan after the spoof starts (${from})`);
  assert.ok(Math.abs(until - (SPOOF.start + SPOOF.duration + 30)) <= 0.2, `resumes 30 s after the reading is calm (${until})`);
  for (let i = 0; i < a.length; i++) {
    const t = a[i].t;
    if (t < SPOOF.start - EDGE) assert.deepEqual(b[i].v, a[i].v, `same crane before the spoof (${t})`);
    if (inside(t, SPOOF)) {
      assert.ok(Math.abs(b[i].v.wind_speed_ms - 28) <= 1, `spoofed wind ${b[i].v.wind_speed_ms} at ${t}`);
      assert.ok(a[i].v.wind_speed_ms < 16, 'the real wind is a breeze');
      for (const n of ['STS-01', 'STS-03']) assert.ok(Math.abs((B.get(n) as Row[])[i].v.wind_speed_ms - b[i].v.wind_speed_ms) > 10, `${n} reads calm air at ${t}`);
    }
  }
  const held = b.filter((r) => r.t > from + EDGE && r.t < until - EDGE);
  assert.ok(held.length > 500);
  for (const s of ['hoist_position_mm', 'trolley_position_mm', 'gantry_position_mm'] as const) assert.equal(new Set(held.map((r) => r.v[s])).size, 1, `${s} constant while stopped`);
  assert.ok(held.every((r) => r.v.hoist_speed_mm_s === 0 && r.v.trolley_speed_mm_s === 0 && r.v.operating_mode === 2));
  const moving = a.filter((r) => r.t > from && r.t < until);
  assert.ok(new Set(moving.map((r) => r.v.hoist_position_mm)).size > 100, 'without the spoof the crane would have worked');
  const later = b.filter((r) => r.t > until + 1);
  assert.ok(new Set(later.map((r) => r.v.hoist_position_mm)).size > 100, 'it works again after the stop');
});

test('truth: kinds, techniques, expected detections and the faulty signals', () => {
  const s = faulty.truth.scenarios;
  assert.deepEqual(
    s.map((x) => [x.id, x.kind, x.benign, x.techniques.map((t) => t.id), x.expected]),
    [
      ['sensor-wind-spoof#1', 'attack', false, ['T0856', 'T0832', 'T0826'], ['sensor_integrity', 'unexpected_stop']],
      ['sensor-encoder-freeze#1', 'fault', false, [], ['sensor_integrity']],
      ['sensor-encoder-drift#1', 'fault', false, [], ['sensor_integrity']],
      ['sensor-load-stuck#1', 'fault', false, [], ['sensor_integrity']],
      ['sensor-twistlock-mismatch#1', 'fault', false, [], ['sensor_integrity']],
    ],
  );
  const t0 = faulty.truth.startTs;
  assert.deepEqual(
    s.map((x) => x.sensorFaults?.map((f) => [f.craneId, f.signal, f.kind, f.fromTs - t0, f.untilTs - t0, f.value, f.ratePerSec])),
    [
      [['STS-02', 'wind_speed_ms', 'spoof', 300, 600, 28, null]],
      [['STS-03', 'hoist_position_mm', 'freeze', 200, 500, null, null]],
      [['STS-04', 'trolley_position_mm', 'drift', 250, 550, null, -35]],
      [['STS-01', 'load_kg', 'stuck', 150, 450, 12_340, null]],
      [['STS-01', 'twistlock_locked', 'stuck', 600, 1000, 0, null]],
    ],
  );
  assert.equal(s[1].startTs - t0, 200);
  assert.equal(s[1].endTs - t0, 500);
  assert.deepEqual(s[0].craneIds, ['STS-02']);
  assert.deepEqual(s[0].hosts.targets, ['10.20.2.10']);
  assert.equal(s[0].holds.length, 1);
  assert.ok(s.every((x) => x.modbusRequests === 0), 'no traffic of their own');
  assert.equal(base.truth.scenarios.length, 0);
});

test('a spoof below the wind-stop threshold stops nothing and expects no stop', () => {
  const r = generateTerminal({ writePacket() {} }, { seed: SEED, durationSec: 300, cranes: 2, scenarios: [{ name: 'sensor-wind-spoof', params: { crane: 'STS-01', start: 60, duration: 60, level: 15 } }] });
  const s = r.truth.scenarios[0];
  assert.deepEqual(s.holds, []);
  assert.deepEqual(s.expected, ['sensor_integrity']);
  assert.deepEqual(s.techniques.map((t) => t.id), ['T0856', 'T0832']);
});

test('determinism: the same seed and faults give a byte-identical capture and truth', () => {
  const again = simulate('again.pcap', SCENARIOS);
  const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
  assert.equal(sha(again.file), sha(faulty.file));
  assert.deepEqual(again.truth, faulty.truth);
});

test('CraneModel sensor faults: no fault, same samples; a fault set later changes nothing before it; late faults refused', () => {
  const START = 1_741_939_200;
  const clean = createCraneModel(5, 'STS-01', 0, new QuayWind(5), START);
  const f = createCraneModel(5, 'STS-01', 0, new QuayWind(5), START);
  f.addSensorFault('x#1', 'load_kg', START + 300, START + 400, { kind: 'stuck', value: 1 });
  f.addSensorFault('x#1', 'hoist_position_mm', START + 200, START + 250, { kind: 'freeze' });
  const a = new Float64Array(CRANE_SIGNALS.length);
  const b = new Float64Array(CRANE_SIGNALS.length);
  let frozen = NaN;
  for (let t = START; t < START + 500; t += 0.37) {
    clean.sample(t, a);
    f.sample(t, b);
    const inLoad = t >= START + 300 && t < START + 400;
    const inFreeze = t >= START + 200 && t < START + 250;
    for (let s = 0; s < CRANE_SIGNALS.length; s++) {
      if (s === Sig.LOAD && inLoad) assert.equal(b[s], 1);
      else if (s === Sig.HOIST && inFreeze) {
        if (Number.isNaN(frozen)) frozen = b[s];
        assert.equal(b[s], frozen);
      } else assert.equal(b[s], a[s], `signal ${CRANE_SIGNALS[s]} at ${t - START}`);
    }
  }
  assert.deepEqual(f.sensorFaults().map((x) => x.signal), ['hoist_position_mm', 'load_kg']);
  assert.throws(() => f.addSensorFault('x#2', 'load_kg', START + 600, START + 700, { kind: 'freeze' }), (e: unknown) => e instanceof CwError && /before the crane runs/.test(e.message));
  assert.throws(() => clean.addSensorFault('x#2', 'load_kg', START + 1, START + 1, { kind: 'freeze' }), (e: unknown) => e instanceof CwError && /must end after it starts/.test(e.message));
});

test('parameters: bad drift rate or variant are refused by name', () => {
  const run = (name: string, params: Record<string, unknown>) => () => generateTerminal({ writePacket() {} }, { seed: 1, durationSec: 1500, cranes: 2, scenarios: [{ name, params }] });
  const config = (re: RegExp) => (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && re.test(e.message);
  assert.throws(run('sensor-encoder-drift', { rate: 0 }), config(/^scenario sensor-encoder-drift: rate: expected a non-zero drift rate$/));
  assert.throws(run('sensor-encoder-freeze', { signal: 'gantry' }), config(/signal: expected hoist or trolley/));
  assert.throws(run('sensor-twistlock-mismatch', { variant: 'open' }), config(/variant: expected unlocked-under-load or locked-no-load/));
  assert.throws(run('sensor-wind-spoof', { crane: 'STS-09' }), config(/no crane STS-09/));
});

test('tshark: no malformed frames or warnings in the faulty capture', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  assert.deepEqual(tsharkProblems(faulty.file), []);
});

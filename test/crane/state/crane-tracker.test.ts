import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CraneTracker } from '../../../src/crane/state/crane-tracker.js';
import type { LogRecord } from '../../../src/events/record.js';
import { SitePolicy } from '../../../src/policy/site-policy.js';
import { ModbusAnalyzer } from '../../../src/protocols/modbus/analyzer.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { MemorySink } from '../../detect/helpers.js';
import { FakeFlowContext } from '../../protocols/modbus/fake-context.js';

// The twin's site: STS-01 (holding 0…, high word first) and STS-02 (holding 1000…, low word first).
const site = buildTerminalSite(2);
const policy = new SitePolicy(site);
const T0 = 1_741_939_200;

/** Process values of one poll, engineering units. */
interface State {
  hoist: number;
  trolley: number;
  gantry?: number;
  load: number;
  locked: 0 | 1;
  landed: 0 | 1;
  wind?: number;
  mode?: number;
  moves?: number;
}

/** The 17 holding registers the CMS polls (terminal-site.ts map: i32 hoist, u32 trolley, u32 gantry, load ×10 kg …). */
function registers(s: State, lowFirst: boolean): number[] {
  const w32 = (v: number): number[] => {
    const u = v >>> 0;
    return lowFirst ? [u & 0xffff, u >>> 16] : [u >>> 16, u & 0xffff];
  };
  return [
    ...w32(s.hoist),
    ...w32(s.trolley),
    ...w32(s.gantry ?? 100_000),
    Math.round(s.load / 10),
    s.locked,
    s.landed,
    40,
    Math.round((s.wind ?? 6) / 0.1),
    s.mode ?? 2,
    0,
    ...w32(s.moves ?? 7),
    0,
    0,
  ];
}

/** A matched fc 3 poll row of crane `n` (1-based) at `ts` (seconds after T0). */
function poll(n: number, ts: number, s: State, extra: Record<string, unknown> = {}): LogRecord {
  const base = n === 2 ? 1000 : 0;
  return {
    ts: T0 + ts,
    uid: `CPoll${n}`,
    unit: 1,
    function_code: 3,
    address: base,
    quantity: 17,
    response_values: registers(s, n === 2),
    matched: true,
    exception_code: null,
    source_h: '10.21.0.10',
    destination_h: `10.20.${n}.10`,
    ...extra,
  } as LogRecord;
}

/** One discharge of a 24 t box by crane `n`: hanging empty, land, lock, lift, trolley landside, land, unlock, lift. */
function discharge(n: number, t: number): LogRecord[] {
  const rows: LogRecord[] = [];
  const add = (dt: number, s: State): void => {
    rows.push(poll(n, t + dt, s));
  };
  add(0, { hoist: 20_000, trolley: 80_000, load: 15_000, locked: 0, landed: 0 });
  add(1, { hoist: 9_000, trolley: 80_000, load: 0, locked: 0, landed: 1 });
  add(2, { hoist: 9_000, trolley: 80_000, load: 0, locked: 1, landed: 1 });
  add(3, { hoist: 10_000, trolley: 80_000, load: 39_000, locked: 1, landed: 0 });
  add(4, { hoist: 14_000, trolley: 78_000, load: 39_000, locked: 1, landed: 0 });
  add(5, { hoist: 20_000, trolley: 60_000, load: 39_000, locked: 1, landed: 0 });
  add(6, { hoist: 12_000, trolley: 30_000, load: 39_000, locked: 1, landed: 0 });
  add(7, { hoist: 4_000, trolley: 30_000, load: 0, locked: 1, landed: 1 });
  add(8, { hoist: 4_000, trolley: 30_000, load: 0, locked: 0, landed: 1, moves: 8 });
  add(9, { hoist: 6_000, trolley: 30_000, load: 15_000, locked: 0, landed: 0, moves: 8 });
  return rows;
}

function track(rows: LogRecord[], opts = {}, p = policy): MemorySink {
  const out = new MemorySink();
  const t = new CraneTracker(p, out, opts);
  for (const r of rows) t.write('modbus_detailed', r);
  t.finish();
  return out;
}

test('a discharge becomes one container_move: times, gross mass, positions, kind, counter', () => {
  for (const n of [1, 2]) {
    const out = track(discharge(n, 10));
    const moves = out.get('container_move');
    assert.equal(moves.length, 1, `crane ${n}`);
    const m = moves[0];
    assert.equal(m.crane, `STS-0${n}`);
    assert.equal(m.plc_h, `10.20.${n}.10`);
    assert.equal(m.lock_ts, T0 + 12);
    assert.equal(m.unlock_ts, T0 + 18);
    assert.equal(m.ts, m.lock_ts);
    assert.equal(m.duration, 6);
    assert.equal(m.gross_kg, 24_000);
    assert.equal(m.load_kg, 39_000);
    assert.equal(m.spreader_kg, 15_000);
    assert.equal(m.kind, 'discharge');
    assert.deepEqual([m.hoist_lock_mm, m.trolley_lock_mm, m.gantry_lock_mm], [9_000, 80_000, 100_000]);
    assert.deepEqual([m.hoist_unlock_mm, m.trolley_unlock_mm], [4_000, 30_000]);
    assert.equal(m.move_counter, 8);
    assert.equal(m.spreader_size_ft, 40);
    assert.equal(m.container, null);
    assert.match(String(m.move_id), /^M[0-9A-Za-z]+$/);
  }
});

test('a load (trolley seaward) is kind load; the spreader tare is learned, the option is its fallback', () => {
  const rows = discharge(1, 0).map((r) => {
    const v = [...(r.response_values as number[])];
    // Mirror the trolley: 80 m → 110 − 80 = 30 m and so on, so it travels seaward.
    const tr = 110_000 - (v[2] * 65_536 + v[3]);
    v[2] = tr >>> 16;
    v[3] = tr & 0xffff;
    return { ...r, response_values: v };
  });
  const m = track(rows, { spreaderKg: 12_000 }).get('container_move')[0];
  assert.equal(m.kind, 'load');
  assert.equal(m.spreader_kg, 15_000, 'the tare learned from the empty leg wins over the option');
  assert.equal(m.gross_kg, 24_000);
  // Without an empty leg before the lock (the capture starts with the spreader landed), the option applies.
  const late = track(rows.slice(1), { spreaderKg: 12_000 }).get('container_move')[0];
  assert.deepEqual([late.spreader_kg, late.gross_kg], [12_000, 27_000]);
  // Without the option, the crane's own spreader_kg from the site file's thresholds applies.
  const own = new SitePolicy({ ...site, cranes: site.cranes.map((c) => (c.id === 'STS-01' ? { ...c, thresholds: { spreader_kg: 11_000 } } : c)) });
  const fromSite = track(rows.slice(1), {}, own).get('container_move')[0];
  assert.deepEqual([fromSite.spreader_kg, fromSite.gross_kg], [11_000, 28_000]);
  const siteWide = track(rows.slice(1)).get('container_move')[0];
  assert.deepEqual([siteWide.spreader_kg, siteWide.gross_kg], [15_000, 24_000], 'the site-wide default');
});

test('a load cell tared without the headblock: the empty leg reads 0, so the gross mass is the hanging reading', () => {
  const rows = discharge(1, 0).map((r) => {
    const v = [...(r.response_values as number[])];
    v[6] = Math.max(0, v[6] - 1_500);
    return { ...r, response_values: v };
  });
  const out = track(rows);
  const m = out.get('container_move')[0];
  assert.deepEqual([m.spreader_kg, m.load_kg, m.gross_kg], [0, 24_000, 24_000]);
  assert.equal(out.get('crane_state').at(-1)?.spreader_kg, 0, 'crane_state carries the learned tare');
});

test('no move: lock and unlock without a lift, a lock first seen locked, another unit id, an unknown PLC', () => {
  const reseat = [
    poll(1, 0, { hoist: 9_000, trolley: 80_000, load: 0, locked: 0, landed: 1 }),
    poll(1, 1, { hoist: 9_000, trolley: 80_000, load: 0, locked: 1, landed: 1 }),
    poll(1, 2, { hoist: 9_000, trolley: 80_000, load: 0, locked: 0, landed: 1 }),
  ];
  assert.equal(track(reseat).get('container_move').length, 0);
  assert.equal(track(discharge(1, 0).slice(2)).get('container_move').length, 0, 'the lock happened before the capture');
  const otherUnit = track(discharge(1, 0).map((r) => ({ ...r, unit: 2 })));
  assert.equal(otherUnit.get('crane_state').length, 0);
  const stranger = track(discharge(1, 0).map((r) => ({ ...r, destination_h: '10.20.9.10' })));
  assert.equal(stranger.get('crane_state').length + stranger.get('container_move').length, 0);
});

test('crane_state: decoded values with units, at most one per second while changing, one a minute when constant', () => {
  const rows: LogRecord[] = [];
  for (let i = 0; i < 40; i++) rows.push(poll(1, i * 0.25, { hoist: 20_000 + i * 100, trolley: 50_000, load: 15_000, locked: 0, landed: 0 }));
  for (let i = 0; i < 600; i++) rows.push(poll(1, 10 + i * 0.25, { hoist: 24_000, trolley: 50_000, load: 15_000, locked: 0, landed: 0 }));
  const states = track(rows).get('crane_state');
  const ts = states.map((s) => (s.ts as number) - T0);
  assert.deepEqual(ts, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 70, 130], 'one per second while the hoist moves, then one a minute');
  const s = states[1];
  assert.equal(s.crane, 'STS-01');
  assert.equal(s.plc_h, '10.20.1.10');
  assert.equal(s.unit, 1);
  assert.equal(s.uid, 'CPoll1');
  assert.equal(s.hoist_position_mm, 20_400);
  assert.equal(s.load_kg, 15_000);
  assert.equal(s.twistlock_locked, false);
  assert.equal(s.wind_speed_ms, 6);
  assert.equal(s.operating_mode, 2);
  assert.equal(s.operating_mode_name, 'semi_automatic');
  assert.equal(s.emergency_stop, false);
  assert.equal(s.move_counter, 7);
  assert.equal(s.wind_stop_threshold_ms, null, 'the setpoint was never read');
  assert.deepEqual(s.other_signals, []);
});

test('finish writes the latest changed values; a sample period of 5 s thins the records', () => {
  const rows = [0, 0.5, 1.5, 2].map((t, i) => poll(1, t, { hoist: 1_000 * i, trolley: 0, load: 15_000, locked: 0, landed: 0 }));
  const states = track(rows).get('crane_state');
  assert.deepEqual(states.map((s) => [(s.ts as number) - T0, s.hoist_position_mm]), [
    [0, 0],
    [1.5, 2_000],
    [2, 3_000],
  ]);
  assert.equal(track(rows, { sampleSec: 5 }).get('crane_state').length, 2);
  assert.throws(() => new CraneTracker(policy, new MemorySink(), { sampleSec: 0 }), { code: 'CW_ERR_CONFIG' });
});

test('setpoint writes update the image: a write of wind_stop_threshold_ms shows in the next sample', () => {
  const rows = [
    poll(1, 0, { hoist: 0, trolley: 0, load: 15_000, locked: 0, landed: 0 }),
    { ts: T0 + 0.5, uid: 'CHmi', unit: 1, function_code: 6, address: 100, quantity: 1, request_values: [250], response_values: [250], matched: true, source_h: '10.20.1.20', destination_h: '10.20.1.10' } as LogRecord,
    { ts: T0 + 1.5, uid: 'CHmi', unit: 1, function_code: 6, address: 100, quantity: 1, request_values: [300], matched: true, exception_code: 'ILLEGAL_DATA_VALUE', source_h: '10.20.1.20', destination_h: '10.20.1.10' } as LogRecord,
  ];
  const states = track(rows).get('crane_state');
  assert.equal(states.at(-1)?.wind_stop_threshold_ms, 25);
});

// Wire bytes through the Modbus analyzer into the tracker. MBAP: transaction id, protocol id, length, unit id.
const REQUEST = [
  ['0007', 'MBAP transaction id 7'],
  ['0000', 'protocol id 0 (Modbus)'],
  ['0006', 'length: 6 bytes follow'],
  ['01', 'unit id 1'],
  ['03', 'function 3, Read Holding Registers'],
  ['0000', 'starting address 0'],
  ['0011', 'quantity 17 registers'],
];
const RESPONSE = [
  ['0007', 'MBAP transaction id 7'],
  ['0000', 'protocol id 0'],
  ['0025', 'length: 37 bytes follow'],
  ['01', 'unit id 1'],
  ['03', 'function 3'],
  ['22', 'byte count 34'],
  ['FFFF D8F0', 'hoist_position_mm i32 high word first: -10 000 mm'],
  ['0001 1170', 'trolley_position_mm u32: 70 000 mm'],
  ['0001 86A0', 'gantry_position_mm u32: 100 000 mm'],
  ['0D48', 'load_kg ×10: 3400 → 34 000 kg'],
  ['0001', 'twistlock_locked 1'],
  ['0000', 'spreader_landed 0'],
  ['002D', 'spreader_size_ft 45'],
  ['007B', 'wind_speed_ms ×0.1: 123 → 12.3 m/s'],
  ['0003', 'operating_mode 3 (remote)'],
  ['0000', 'emergency_stop 0'],
  ['0000 0010', 'move_counter u32: 16'],
  ['FE0C', 'hoist_speed_mm_s i16: -500 mm/s'],
  ['00C8', 'trolley_speed_mm_s i16: 200 mm/s'],
];

/** The hex of a commented fixture as bytes inside a larger buffer (non-zero byteOffset). */
function bytes(fields: string[][]): Uint8Array {
  const hex = fields.map((f) => f[0]).join('').replace(/\s/g, '');
  const outer = new Uint8Array(hex.length / 2 + 11);
  for (let i = 0; i < hex.length / 2; i++) outer[5 + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return outer.subarray(5, 5 + hex.length / 2);
}

test('round trip: Modbus/TCP bytes → analyzer → modbus_detailed → crane_state', () => {
  const ctx = new FakeFlowContext('CWire', { orig_h: '10.21.0.10', orig_p: 50123, resp_h: '10.20.1.10', resp_p: 502, proto: 'tcp' });
  const a = new ModbusAnalyzer(ctx);
  const req = bytes(REQUEST);
  const resp = bytes(RESPONSE);
  assert.ok(req.byteOffset > 0 && resp.byteOffset > 0);
  a.deliver(true, req, T0 + 1);
  a.deliver(false, resp, T0 + 1.01);
  const rows = ctx.stream('modbus_detailed');
  assert.equal(rows.length, 1);
  const out = track(rows);
  const s = out.get('crane_state')[0];
  assert.deepEqual(
    [s.hoist_position_mm, s.trolley_position_mm, s.gantry_position_mm, s.load_kg, s.twistlock_locked, s.spreader_landed, s.spreader_size_ft],
    [-10_000, 70_000, 100_000, 34_000, true, false, 45],
  );
  assert.deepEqual([s.wind_speed_ms, s.operating_mode, s.operating_mode_name, s.emergency_stop, s.move_counter, s.hoist_speed_mm_s, s.trolley_speed_mm_s], [12.3, 3, 'remote', false, 16, -500, 200]);
  assert.equal(s.uid, 'CWire');
  assert.equal(s.ts, T0 + 1);
});

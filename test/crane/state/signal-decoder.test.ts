import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegisterImage, TABLE_INDEX } from '../../../src/crane/state/register-image.js';
import { compileSignals, coveredItems, decodeRaw, decodeSignal } from '../../../src/crane/state/signal-decoder.js';
import { CRANE_ROLES, Role, signalMeaning } from '../../../src/crane/state/signal-roles.js';
import type { LogRecord } from '../../../src/events/record.js';
import type { SiteCrane } from '../../../src/policy/site-schema.js';
import { CRANE_SIGNALS } from '../../../src/sim/terminal/crane-model.js';
import { DEMO_REGISTER_MAP } from '../../../src/sim/demo-site.js';

/** A crane with the given registers (defaults as the site schema fills them). */
function crane(wordOrder: 'high_first' | 'low_first', registers: Record<string, Partial<SiteCrane['registers'][string]>>): SiteCrane {
  const regs: SiteCrane['registers'] = {};
  for (const [k, r] of Object.entries(registers)) regs[k] = { address: 0, table: 'holding', type: 'u16', scale: 1, unit: '', access: 'read', description: '', ...r };
  return { id: 'STS-01', plc: 'plc', unit_id: 1, word_order: wordOrder, registers: regs };
}

function image(values: number[], table = 3, address = 0): RegisterImage {
  const img = new RegisterImage(1000);
  img.apply({ ts: 1, uid: 'C1', function_code: table, address, quantity: values.length, matched: true, response_values: values } as LogRecord);
  return img;
}

test('roles: the twin names and the demo names map to the same roles; unit suffixes are optional', () => {
  for (const name of CRANE_SIGNALS) assert.ok(signalMeaning(name, '').role >= 0, `${name} has a role`);
  const demo = Object.fromEntries(DEMO_REGISTER_MAP.signals.map((s) => [s.name, CRANE_ROLES[signalMeaning(s.name, s.unit).role] ?? '-']));
  assert.deepEqual(demo, {
    hoist_position: 'hoist_position',
    trolley_position: 'trolley_position',
    gantry_position: 'gantry_position',
    load: 'load',
    twistlock_state: 'twistlock_locked',
    spreader_size: 'spreader_size',
    wind_speed: 'wind_speed',
    operating_mode: 'operating_mode',
    emergency_stop: 'emergency_stop',
    wind_stop_threshold: 'wind_stop_threshold',
    hoist_speed_limit: '-',
  });
  assert.equal(signalMeaning('wind_speed_ms', 'm/s').role, Role.WIND);
  assert.equal(signalMeaning('hoist_speed_mm_s', 'mm/s').role, Role.HOIST_SPEED);
  assert.equal(signalMeaning('hoist_speed_limit_pct', '%').role, -1, 'a setpoint is a plain signal');
  assert.equal(signalMeaning('load_interlock_bypass', '').role, -1);
});

test('units: the unit text, else the suffix, converts to the canonical unit (mm, kg, m/s)', () => {
  assert.deepEqual(signalMeaning('hoist_position_m', ''), { role: Role.HOIST, factor: 1000 });
  assert.deepEqual(signalMeaning('hoist_position', 'cm'), { role: Role.HOIST, factor: 10 });
  assert.deepEqual(signalMeaning('load_t', ''), { role: Role.LOAD, factor: 1000 });
  assert.deepEqual(signalMeaning('load', 'kg'), { role: Role.LOAD, factor: 1 });
  assert.equal(signalMeaning('wind_speed', 'km/h').factor, 1 / 3.6);
  assert.deepEqual(signalMeaning('operating_mode', ''), { role: Role.MODE, factor: 1 });
});

test('u16, i16 and scale; bool from coils and from a register', () => {
  const c = crane('high_first', {
    load_kg: { address: 0, type: 'u16', scale: 10, unit: 'kg' },
    hoist_speed_mm_s: { address: 1, type: 'i16' },
    wind_speed_ms: { address: 2, type: 'u16', scale: 0.1, unit: 'm/s' },
    twistlock_locked: { address: 3, type: 'u16' },
    spreader_landed: { address: 5, table: 'coil', type: 'bool' },
  });
  const s = compileSignals(c);
  const img = image([2_350, 0xfe0c, 123, 7]);
  img.apply({ ts: 1, uid: 'C1', function_code: 1, address: 5, quantity: 1, matched: true, response_values: [1] } as LogRecord);
  const by = (n: string): number | null => decodeSignal(img, s.find((x) => x.name === n)!);
  assert.equal(by('load_kg'), 23_500);
  assert.equal(by('hoist_speed_mm_s'), -500);
  assert.equal(by('wind_speed_ms'), 12.3, 'scale 0.1 gives a clean decimal');
  assert.equal(by('twistlock_locked'), 7, 'a u16 register keeps its value');
  assert.equal(by('spreader_landed'), 1);
});

test('32-bit values in both word orders, signed and unsigned', () => {
  const regs = { hoist_position_mm: { address: 0, type: 'i32' as const }, trolley_position_mm: { address: 2, type: 'u32' as const } };
  // -12 345 mm = 0xFFFF CFC7; 80 000 mm = 0x0001 3880.
  const hi = compileSignals(crane('high_first', regs));
  const imgHi = image([0xffff, 0xcfc7, 0x0001, 0x3880]);
  assert.deepEqual(hi.map((x) => decodeSignal(imgHi, x)), [-12_345, 80_000]);
  const lo = compileSignals(crane('low_first', regs));
  const imgLo = image([0xcfc7, 0xffff, 0x3880, 0x0001]);
  assert.deepEqual(lo.map((x) => decodeSignal(imgLo, x)), [-12_345, 80_000]);
  // Read in the wrong order, the value is a different number: the word order matters.
  assert.notEqual(decodeSignal(imgLo, hi[1]), 80_000);
  // u32 above 2^31 stays positive.
  assert.equal(decodeSignal(image([0x8000, 0x0000, 0x8000, 0x0001]), hi[1]), 0x80000001);
});

test('a signal whose registers were never read is unknown; half a 32-bit value too', () => {
  const s = compileSignals(crane('high_first', { hoist_position_mm: { address: 10, type: 'i32' }, load_kg: { address: 20 } }));
  const img = image([5], 3, 10);
  assert.equal(decodeSignal(img, s[0]), null);
  assert.ok(Number.isNaN(decodeRaw(img, s[1])));
  assert.deepEqual([...coveredItems(s)].sort((a, b) => a - b), [TABLE_INDEX.holding * 65_536 + 10, TABLE_INDEX.holding * 65_536 + 11, TABLE_INDEX.holding * 65_536 + 20]);
});

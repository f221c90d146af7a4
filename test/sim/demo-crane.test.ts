import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DemoCrane } from '../../src/sim/demo-crane.js';
import { DemoRegister } from '../../src/sim/demo-site.js';
import { RegisterBank } from '../../src/sim/modbus/register-bank.js';
import { Prng } from '../../src/sim/random.js';

const i32 = (h: Uint16Array, a: number): number => ((h[a] << 16) | h[a + 1]) | 0;
const u32 = (h: Uint16Array, a: number): number => ((h[a] << 16) | h[a + 1]) >>> 0;

test('the demo crane moves plausibly: ranges, speeds, locks and loads agree, cycles of 80-130 s', () => {
  const bank = new RegisterBank({ coils: 0, discreteInputs: 0, inputRegisters: 0, holdingRegisters: 128 });
  const crane = new DemoCrane(new Prng(4), 1000, 152_300, 6.5);
  const h = bank.holdingRegisters;
  let prev: { t: number; hoist: number; trolley: number } | null = null;
  let lockChanges = 0;
  let lastLock = -1;
  let trolleyAbove65535 = false;
  for (let t = 1000; t < 1600; t += 0.25) {
    crane.update(t, bank);
    const hoist = i32(h, DemoRegister.HOIST_POSITION);
    const trolley = u32(h, DemoRegister.TROLLEY_POSITION);
    assert.equal(u32(h, DemoRegister.GANTRY_POSITION), 152_300);
    assert.ok(hoist >= -9_000 && hoist <= 30_000, `hoist ${hoist} mm`);
    assert.ok(trolley >= 24_000 && trolley <= 92_000, `trolley ${trolley} mm`);
    if (trolley > 65_535) trolleyAbove65535 = true;
    const locked = h[DemoRegister.TWISTLOCK_STATE];
    const load = h[DemoRegister.LOAD];
    if (load > 0) assert.equal(locked, 1, 'load only on locked twistlocks');
    assert.ok(load === 0 || (load >= 3_000 && load <= 32_000));
    assert.ok([20, 40, 45].includes(h[DemoRegister.SPREADER_SIZE]));
    const wind = h[DemoRegister.WIND_SPEED] / 10;
    assert.ok(wind >= 3 && wind <= 10, `wind ${wind} m/s`);
    assert.equal(h[DemoRegister.OPERATING_MODE], 2);
    assert.equal(h[DemoRegister.EMERGENCY_STOP], 0);
    if (prev) {
      const dt = t - prev.t;
      assert.ok(Math.abs(hoist - prev.hoist) / dt <= 3_001, 'hoist at most 3 m/s');
      assert.ok(Math.abs(trolley - prev.trolley) / dt <= 4_001, 'trolley at most 4 m/s');
    }
    if (lastLock >= 0 && locked !== lastLock) lockChanges++;
    lastLock = locked;
    prev = { t, hoist, trolley };
  }
  assert.ok(trolleyAbove65535, 'the trolley position needs both registers');
  assert.ok(crane.moves >= 4 && crane.moves <= 8, `${crane.moves} moves in 600 s`);
  assert.ok(lockChanges >= 2 * crane.moves - 2);
});

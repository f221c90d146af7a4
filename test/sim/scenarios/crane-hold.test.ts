import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwError } from '../../../src/errors.js';
import { CRANE_SIGNALS, createCraneModel, MODE_OFF, Sig } from '../../../src/sim/terminal/crane-model.js';
import { QuayWind } from '../../../src/sim/terminal/wind.js';

const START = 1_741_939_200;

function model() {
  return createCraneModel(5, 'STS-01', 0, new QuayWind(5), START);
}

test('holdUntil: the crane freezes with speeds 0 and the hold mode, then carries on where it stopped', () => {
  const free = model();
  const held = model();
  const from = START + 400;
  const until = START + 1000;
  held.holdUntil(from, until, MODE_OFF, 1);
  const a = new Float64Array(CRANE_SIGNALS.length);
  const b = new Float64Array(CRANE_SIGNALS.length);
  // Before the hold both cranes are the same crane.
  for (let t = START; t < from; t += 0.5) {
    free.sample(t, a);
    held.sample(t, b);
    assert.deepEqual([...b], [...a], `t=${t - START}`);
  }
  held.sample(from - 1e-6, b);
  const frozen = [b[Sig.HOIST], b[Sig.TROLLEY], b[Sig.GANTRY]];
  for (let t = from + 0.25; t < until; t += 0.5) {
    held.sample(t, b);
    assert.ok(Math.abs(b[Sig.HOIST] - frozen[0]) <= 1 && Math.abs(b[Sig.TROLLEY] - frozen[1]) <= 1 && b[Sig.GANTRY] === frozen[2], `still at t=${t - START}`);
    assert.equal(b[Sig.HOIST_SPEED], 0);
    assert.equal(b[Sig.TROLLEY_SPEED], 0);
    assert.equal(b[Sig.MODE], MODE_OFF);
    assert.equal(b[Sig.ESTOP], 1);
  }
  // After the hold: the free crane's state of (t − 600 s), apart from the wind (wall time).
  const d = until - from;
  for (let t = until + 0.1; t < until + 600; t += 0.7) {
    held.sample(t, b);
    free.sample(t - d, a);
    for (const s of [Sig.HOIST, Sig.TROLLEY, Sig.GANTRY, Sig.LOAD, Sig.LOCKED, Sig.MODE, Sig.MOVES]) assert.equal(b[s], a[s], `signal ${s} at t=${t - START}`);
  }
});

test('holdUntil: moves read after the hold shift by its length; earlier ones do not; late holds are refused', () => {
  const free = model();
  const held = model();
  held.holdUntil(START + 300, START + 420, MODE_OFF);
  let shifted = 0;
  for (let k = 0; k < 12; k++) {
    const m = free.move(k);
    const h = held.move(k);
    if (m.endTs <= START + 300) assert.deepEqual(h, m, `move ${k} is over before the hold`);
    if (m.startTs >= START + 300) {
      assert.ok(Math.abs(h.startTs - m.startTs - 120) < 1e-6 && Math.abs(h.unlockTs - m.unlockTs - 120) < 1e-6, `move ${k} shifted`);
      shifted++;
    }
    assert.equal(h.cargo.number, m.cargo.number, "same box");
  }
  assert.ok(shifted >= 6);
  assert.throws(() => held.holdUntil(START + 2000, START + 2100, MODE_OFF), (e: unknown) => e instanceof CwError && /before the crane runs/.test(e.message));
  assert.throws(() => model().holdUntil(START + 10, START + 10, MODE_OFF), (e: unknown) => e instanceof CwError && /must end after it starts/.test(e.message));
});

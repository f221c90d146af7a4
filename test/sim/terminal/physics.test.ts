import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseContainerNumber } from '../../../src/crane/iso6346.js';
import { CYCLE_MAX_S, CYCLE_MIN_S, DRIVE_ACCEL_MM_S2, GANTRY_MM_S, HOIST_EMPTY_MM_S, HOIST_LOADED_MM_S, TROLLEY_MM_S } from '../../../src/sim/terminal/crane-cycle.js';
import { CRANE_SIGNALS, createCraneModel, Sig, SPREADER_KG } from '../../../src/sim/terminal/crane-model.js';
import { moveDuration, movePosition, moveVelocity } from '../../../src/sim/terminal/motion.js';
import { QuayWind } from '../../../src/sim/terminal/wind.js';

const START = 1_741_939_200;
const DT = 0.05;

test('trapezoid: reaches the target in moveDuration, never above v, triangle for short moves', () => {
  // 30 m at 3 m/s, 0.8 m/s²: 30/3 + 3/0.8 = 13.75 s.
  assert.equal(moveDuration(30_000, 3_000, 800), 13.75);
  // 2 m is too short to reach 3 m/s: 2·sqrt(2000/800) = 3.1623 s.
  assert.ok(Math.abs(moveDuration(-2_000, 3_000, 800) - 2 * Math.sqrt(2.5)) < 1e-12);
  assert.equal(movePosition(5_000, 35_000, 3_000, 800, 13.75), 35_000);
  assert.equal(movePosition(5_000, 35_000, 3_000, 800, -1), 5_000);
  assert.ok(Math.abs(movePosition(5_000, 35_000, 3_000, 800, 13.75 / 2) - 20_000) < 1e-6, 'symmetric: halfway at half time');
  for (let t = 0; t < 14; t += 0.01) assert.ok(Math.abs(moveVelocity(0, -30_000, 3_000, 800, t)) <= 3_000 + 1e-9);
  assert.ok(moveVelocity(0, -30_000, 3_000, 800, 5) < 0, 'downward move has negative speed');
});

/** Sample 3 h of `cranes` cranes every 50 ms straight from the model (the values a PLC would serve). */
function run(cranes: number, hours: number) {
  const wind = new QuayWind(7);
  const models = Array.from({ length: cranes }, (_, i) => createCraneModel(7, `STS-0${i + 1}`, i, wind, START));
  const v = new Float64Array(CRANE_SIGNALS.length);
  const prev = models.map(() => new Float64Array(CRANE_SIGNALS.length));
  const prevSpeed = models.map(() => [0, 0, 0]);
  const stats = { maxHoistLoaded: 0, maxHoistEmpty: 0, maxTrolley: 0, maxGantry: 0, maxAccel: 0, maxJumpMm: 0, loadWithoutLock: 0, outsideEnvelope: 0, windGap: 0, samples: 0 };
  const winds: number[] = [];
  for (let k = 0; k * DT < hours * 3600; k++) {
    const ts = START + k * DT;
    winds.length = 0;
    models.forEach((m, i) => {
      m.sample(ts, v);
      const p = prev[i];
      if (k > 0) {
        const hs = (v[Sig.HOIST] - p[Sig.HOIST]) / DT;
        const xs = (v[Sig.TROLLEY] - p[Sig.TROLLEY]) / DT;
        const gs = (v[Sig.GANTRY] - p[Sig.GANTRY]) / DT;
        const loaded = v[Sig.LOCKED] === 1 && p[Sig.LOCKED] === 1;
        if (loaded) stats.maxHoistLoaded = Math.max(stats.maxHoistLoaded, Math.abs(hs));
        else stats.maxHoistEmpty = Math.max(stats.maxHoistEmpty, Math.abs(hs));
        stats.maxTrolley = Math.max(stats.maxTrolley, Math.abs(xs));
        stats.maxGantry = Math.max(stats.maxGantry, Math.abs(gs));
        if (k > 1) {
          const [ph, px] = prevSpeed[i];
          stats.maxAccel = Math.max(stats.maxAccel, Math.abs(hs - ph) / DT, Math.abs(xs - px) / DT);
        }
        prevSpeed[i] = [hs, xs, gs];
        stats.maxJumpMm = Math.max(stats.maxJumpMm, Math.abs(v[Sig.HOIST] - p[Sig.HOIST]), Math.abs(v[Sig.TROLLEY] - p[Sig.TROLLEY]));
      }
      if (v[Sig.LOAD] > SPREADER_KG && v[Sig.LOCKED] !== 1) stats.loadWithoutLock++;
      const g = m.planner.geometry;
      if (v[Sig.HOIST] > g.liftHeightMm || v[Sig.TROLLEY] < 0 || v[Sig.TROLLEY] > g.backreachMm + g.railGaugeMm + g.outreachMm) stats.outsideEnvelope++;
      winds.push(v[Sig.WIND]);
      p.set(v);
    });
    for (let i = 1; i < winds.length; i++) stats.windGap = Math.max(stats.windGap, Math.abs(winds[i] - winds[i - 1]));
    stats.samples++;
  }
  return { models, stats };
}

const { models, stats } = run(4, 3);

test('physics: no teleporting — speeds and accelerations within the drive limits at every 50 ms sample', () => {
  const tol = 1.02; // integer-mm rounding of positions over 50 ms
  assert.ok(stats.maxHoistLoaded <= HOIST_LOADED_MM_S * tol + 40, `hoist loaded ${stats.maxHoistLoaded} mm/s`);
  assert.ok(stats.maxHoistLoaded > HOIST_LOADED_MM_S * 0.9, 'loaded hoist reaches about its rated speed');
  assert.ok(stats.maxHoistEmpty <= HOIST_EMPTY_MM_S * tol + 40, `hoist empty ${stats.maxHoistEmpty} mm/s`);
  assert.ok(stats.maxTrolley <= TROLLEY_MM_S * tol + 40, `trolley ${stats.maxTrolley} mm/s`);
  assert.ok(stats.maxGantry <= GANTRY_MM_S * tol + 40, `gantry ${stats.maxGantry} mm/s`);
  // Finite differences of rounded positions: allow the rounding noise (2 mm / DT²).
  assert.ok(stats.maxAccel <= DRIVE_ACCEL_MM_S2 + 2 / DT / DT + 50, `acceleration ${stats.maxAccel} mm/s²`);
  assert.ok(stats.maxJumpMm <= TROLLEY_MM_S * DT + 5, `largest step between samples ${stats.maxJumpMm} mm`);
  assert.equal(stats.loadWithoutLock, 0, 'a box hangs only on locked twistlocks');
  assert.equal(stats.outsideEnvelope, 0, 'the spreader stays below the lift height and within back- and outreach');
});

test('physics: cycles last 90–140 s, 25–40 moves an hour per crane, geometry in range', () => {
  const wind = new QuayWind(7);
  for (let i = 0; i < models.length; i++) {
    const m = createCraneModel(7, models[i].id, i, wind, START);
    const g = m.planner.geometry;
    assert.ok(g.liftHeightMm >= 40_000 && g.liftHeightMm <= 58_000);
    assert.ok(g.outreachMm >= 60_000 && g.outreachMm <= 75_000);
    let k = 0;
    let mv = m.move(0);
    while (mv.endTs < START) mv = m.move(++k);
    let count = 0;
    for (; mv.startTs < START + 3 * 3600; mv = m.move(++k)) {
      const d = mv.endTs - mv.startTs;
      assert.ok(d >= CYCLE_MIN_S - 1e-6 && d <= CYCLE_MAX_S + 1e-6, `${m.id} move ${mv.seq}: cycle ${d.toFixed(1)} s`);
      assert.ok(mv.pickLanded[0] <= mv.lockTs && mv.lockTs < mv.pickLanded[1], 'twistlocks lock while landed at the pick');
      assert.ok(mv.placeLanded[0] <= mv.unlockTs && mv.unlockTs < mv.placeLanded[1], 'unlock while landed at the place');
      assert.ok(mv.cargo.grossKg >= 2_000 && mv.cargo.grossKg <= 50_000, `gross ${mv.cargo.grossKg} kg`);
      assert.equal(parseContainerNumber(mv.cargo.number).ok, true, mv.cargo.number);
      assert.ok([20, 40, 45].includes(mv.cargo.sizeFt));
      assert.equal(mv.vessel.bay % 2 === 1, mv.cargo.sizeFt === 20, 'odd bays hold 20-ft boxes');
      count++;
    }
    const perHour = count / 3;
    assert.ok(perHour >= 25 && perHour <= 40, `${m.id}: ${perHour} moves/h`);
  }
});

test('physics: wind varies smoothly and neighbouring cranes agree within ~1.5 m/s', () => {
  assert.ok(stats.windGap < 1.5, `largest difference between neighbours ${stats.windGap.toFixed(2)} m/s`);
  const w = new QuayWind(7);
  let maxStep = 0;
  for (let t = 0; t < 3600; t += 0.25) maxStep = Math.max(maxStep, Math.abs(w.speedMs(START + t + 0.25, 100_000, 1) - w.speedMs(START + t, 100_000, 1)));
  assert.ok(maxStep < 0.2, `wind changes at most ${maxStep.toFixed(3)} m/s per 250 ms`);
  assert.notEqual(new QuayWind(8).speedMs(START, 0, 0), w.speedMs(START, 0, 0), 'another seed, another wind');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProcessConsistency, type ProcessRelations } from '../../src/detect/process/consistency.js';
import type { FindingReport } from '../../src/detect/finding.js';
import { CwError } from '../../src/errors.js';

/** Signals: 0 pump status (0/1), 1 pump flow, 2 tank level, 3 spare. */
const SIGNALS = ['S_P', 'F_P', 'L_T', 'X'];
const RELATIONS: ProcessRelations = {
  statusFlow: [{ status: 'S_P', flow: 'F_P' }],
  statusLevel: [{ status: 'S_P', level: 'L_T' }],
  rate: ['L_T'],
  stuck: [{ signal: 'L_T', movers: ['F_P'] }],
};
const H = 3600;
const LEARN = 48 * H;

/**
 * A checker that learned 48 hourly samples of a tank cycling between 1 m and 4 m: pump ON (flow
 * 30) below 2.5 m filling 0.5 m/h, OFF (flow 0) above it draining 0.5 m/h. Learned: highest level
 * ON 2.5, lowest OFF 1.5 (the pump stops once above 2.5 and starts once below 1.5), largest step 0.5 m.
 */
function trained(relations: ProcessRelations = RELATIONS): { c: ProcessConsistency; reports: FindingReport[]; out: { report(f: FindingReport): void } } {
  const reports: FindingReport[] = [];
  const out = { report: (f: FindingReport): void => void reports.push(f) };
  const c = new ProcessConsistency(SIGNALS, relations, { process: 'plant', learnUntil: LEARN, minStateSamples: 4 });
  let level = 1;
  let on = true;
  for (let h = 0; h < 48; h++) {
    if (on && level > 2.5) on = false;
    if (!on && level < 1.5) on = true;
    assert.equal(c.observe(h * H, Float64Array.of(on ? 1 : 0, on ? 30 : 0, level, 0), out), 0);
    level += on ? 0.5 : -0.5;
  }
  return { c, reports, out };
}

test('learns envelopes and steps, reports nothing while learning or on consistent samples', () => {
  const { c, reports, out } = trained();
  assert.equal(c.observe(LEARN, Float64Array.of(1, 30, 2, 0), out), 0);
  const t = c.thresholds();
  assert.equal(t.highestOn[0], 2.5);
  assert.equal(t.lowestOff[0], 1.5);
  assert.equal(t.maxStep[0], 0.5);
  assert.equal(t.stuckSamples[0], 6);
  assert.equal(reports.length, 0);
});

test('status vs flow: ON without flow and OFF with flow, spoof-like, once per episode', () => {
  const { c, reports, out } = trained();
  assert.equal(c.observe(LEARN, Float64Array.of(1, 0.1, 2, 0), out), 1); // ON, ~zero flow
  assert.equal(c.observe(LEARN + H, Float64Array.of(1, 0, 2, 0), out), 1); // same episode
  assert.equal(c.observe(LEARN + 2 * H, Float64Array.of(0, 25, 2, 0), out), 1); // OFF with flow
  assert.deepEqual(reports.map((r) => r.key), ['plant:S_P:on_without_flow', 'plant:S_P:flow_while_off']);
  assert.deepEqual(reports[0].techniques.map((t) => t.id), ['T0856', 'T0832']);
  assert.equal(reports[0].severity, 'high');
  assert.equal(reports[0].ts, LEARN);
  c.observe(LEARN + 3 * H, Float64Array.of(1, 30, 2, 0), out); // clears
  c.observe(LEARN + 4 * H, Float64Array.of(1, 0, 2, 0), out); // new episode
  assert.equal(reports.length, 3);
});

test('status vs level: ON above the learned highest-ON level, OFF below the lowest-OFF level', () => {
  const { c, reports, out } = trained({ ...RELATIONS, rate: [] });
  assert.equal(c.observe(LEARN, Float64Array.of(1, 30, 2.5, 0), out), 0); // at the envelope: fine
  assert.equal(c.observe(LEARN + H, Float64Array.of(1, 30, 2.9, 0), out), 1); // pump runs with a full tank
  assert.equal(c.observe(LEARN + 2 * H, Float64Array.of(0, 0, 2.5, 0), out), 0);
  assert.equal(c.observe(LEARN + 3 * H, Float64Array.of(0, 0, 2.1, 0), out), 0);
  assert.equal(c.observe(LEARN + 4 * H, Float64Array.of(0, 0, 1.6, 0), out), 0);
  assert.equal(c.observe(LEARN + 5 * H, Float64Array.of(0, 0, 1.1, 0), out), 1); // pump off with a low tank
  assert.deepEqual(reports.map((r) => r.key), ['plant:S_P/L_T:on_above_level', 'plant:S_P/L_T:off_below_level']);
  assert.match(reports[0].explanation, /S_P ON with L_T at 2\.9/);
});

test('impossible rate: a step beyond learned × 1.25, fault-like; gaps are not steps', () => {
  const { c, reports, out } = trained();
  c.observe(LEARN, Float64Array.of(1, 30, 1.5, 0), out);
  assert.equal(c.observe(LEARN + H, Float64Array.of(1, 30, 2.1, 0), out), 0); // 0.6 ≤ 0.625
  assert.equal(c.observe(LEARN + 2 * H, Float64Array.of(1, 30, 1.4, 0), out), 1); // 0.7 > 0.625
  assert.equal(reports[0].key, 'plant:L_T:rate');
  assert.deepEqual(reports[0].techniques.map((t) => t.id), ['T0832']);
  assert.equal(c.observe(LEARN + 10 * H, Float64Array.of(1, 30, 2.4, 0), out), 0); // 8 h polling gap
});

test('stuck: level unchanged 6 samples while the flow moves; not when the flow stands still', () => {
  const { c, reports, out } = trained();
  let held = 0;
  for (let i = 0; i <= 6; i++) held = c.observe(LEARN + i * H, Float64Array.of(1, 30 + (i % 2), 2, 0), out);
  assert.equal(held, 1);
  assert.deepEqual(reports.map((r) => r.key), ['plant:L_T:stuck']);
  const b = trained();
  for (let i = 0; i <= 8; i++) assert.equal(b.c.observe(LEARN + i * H, Float64Array.of(1, 30, 2, 0), b.out), 0);
});

test('values may be a sub-view of a larger buffer (non-zero byteOffset); NaN reads as absent', () => {
  const { c, reports, out } = trained();
  const big = new Float64Array(16);
  big.set([1, 0, 2, 0], 5); // ON without flow at offset 5
  const view = big.subarray(5, 9);
  assert.equal(view.byteOffset, 40);
  assert.equal(c.observe(LEARN, view, out), 1);
  assert.equal(reports[0].key, 'plant:S_P:on_without_flow');
  assert.equal(c.observe(LEARN + H, Float64Array.of(Number.NaN, Number.NaN, Number.NaN, 0), out), 0);
});

test('relations naming unknown signals and bad options are config errors', () => {
  const bad = { ...RELATIONS, rate: ['L_T9'] };
  assert.throws(
    () => new ProcessConsistency(SIGNALS, bad, { process: 'p', learnUntil: 0 }),
    (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && e.message.includes('L_T9'),
  );
  assert.throws(() => new ProcessConsistency(SIGNALS, RELATIONS, { process: 'p', learnUntil: 0, rateMargin: 0.5 }), CwError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBaplie } from '../../../src/crane/edifact/baplie.js';
import { Berth } from '../../../src/sim/terminal/berth.js';
import { CYCLE_MAX_S, CYCLE_MIN_S, GANTRY_MM_S } from '../../../src/sim/terminal/crane-cycle.js';
import { CRANE_SIGNALS, createCraneModel, Sig } from '../../../src/sim/terminal/crane-model.js';
import type { FrameSink } from '../../../src/sim/net/frame-sink.js';
import { generateTerminal, TERMINAL_START_TS } from '../../../src/sim/terminal/terminal.js';
import type { TruthMove, TruthVesselCall } from '../../../src/sim/terminal/truth.js';
import { inHull, vesselCall, type VesselHull } from '../../../src/sim/terminal/vessel.js';
import { QuayWind } from '../../../src/sim/terminal/wind.js';

const DAYS_2 = 2 * 86_400;

/** Counts frames and drops them: the truth is what these tests read. */
class DropSink implements FrameSink {
  frames = 0;
  writePacket(): void {
    this.frames++;
  }
  close(): void {}
}

// Two days of two cranes (one berth): ~11 s on this machine with the frames built and dropped.
const sink = new DropSink();
const run = generateTerminal(sink, { cranes: 2, seed: 5, durationSec: DAYS_2 });
const { truth } = run;
const callOf = (m: TruthMove): TruthVesselCall => truth.vesselCalls.find((c) => c.voyage === m.vessel.voyage) as TruthVesselCall;

test('vessel calls: finite hulls of real size classes, a new vessel after each departure', () => {
  const calls = truth.vesselCalls;
  assert.ok(calls.length >= 3, `${calls.length} calls in 2 days`);
  assert.equal(new Set(calls.map((c) => c.voyage)).size, calls.length, 'each call its own voyage');
  assert.equal(new Set(calls.map((c) => `${c.name}|${c.imo}`)).size, calls.length, 'each call another vessel');
  const ranges: Record<string, { bays40: [number, number]; rows: [number, number]; deck: [number, number]; hold: [number, number] }> = {
    feeder: { bays40: [7, 10], rows: [9, 13], deck: [3, 5], hold: [4, 6] },
    panamax: { bays40: [14, 17], rows: [13, 13], deck: [4, 6], hold: [6, 8] },
    'post-panamax': { bays40: [17, 20], rows: [15, 19], deck: [6, 8], hold: [8, 9] },
    ulcv: { bays40: [22, 24], rows: [21, 21], deck: [8, 9], hold: [10, 11] },
  };
  for (const c of calls) {
    const r = ranges[c.hull.vesselClass];
    const within = (v: number, [lo, hi]: [number, number]): boolean => v >= lo && v <= hi;
    assert.ok(within(c.hull.bays40, r.bays40) && within(c.hull.rows, r.rows) && within(c.hull.deckTiers, r.deck) && within(c.hull.holdTiers, r.hold), JSON.stringify(c.hull));
    assert.equal(c.hull.rows % 2, 1, 'odd rows: 00 on the centre line');
    // The cranes' bays: even 40-ft bays of the hull, neighbouring within a crane, a bay at least between cranes.
    const all = c.cranes.flatMap((x) => x.bays);
    for (const b of all) assert.ok(b % 4 === 2 && b <= 4 * c.hull.bays40 - 2, `bay ${b} of ${c.hull.bays40} 40-ft bays`);
    for (const x of c.cranes) for (let i = 1; i < x.bays.length; i++) assert.equal(x.bays[i] - x.bays[i - 1], 4);
    for (let i = 1; i < c.cranes.length; i++) assert.ok(c.cranes[i].bays[0] - c.cranes[i - 1].bays.at(-1)! >= 8, 'a free bay between cranes');
  }
  for (let i = 1; i < calls.length; i++) {
    const prev = calls[i - 1];
    assert.ok(prev.departureTs !== null, `call ${prev.call} departed`);
    const gap = calls[i].arrivalTs - prev.departureTs;
    assert.ok(gap >= 2 * 3600 && gap <= 10 * 3600, `berth idle ${(gap / 3600).toFixed(1)} h`);
  }
  assert.equal(calls[0].call, 1);
  assert.ok(calls[0].arrivalTs < TERMINAL_START_TS, 'the first vessel is alongside at the start');
});

test('vessel calls: every move inside its own vessel hull and its time alongside; whole calls moved in full', () => {
  const byCall = new Map<string, TruthMove[]>();
  for (const m of truth.moves) {
    const c = callOf(m);
    assert.ok(c !== undefined, `${m.container}: voyage ${m.vessel.voyage} is a call of the truth`);
    assert.equal(m.vessel.name, c.name);
    assert.equal(m.vessel.imo, c.imo);
    const cell = m.from.type === 'vessel' ? m.from : m.to;
    assert.equal(cell.type, 'vessel');
    if (cell.type !== 'vessel') continue;
    const hull = { ...c.hull, deckMm: 0 } satisfies VesselHull;
    assert.ok(inHull(hull, cell.bay, cell.row, cell.tier), `${m.craneId}#${m.seq} ${cell.code} outside ${JSON.stringify(c.hull)}`);
    const bays = c.cranes.find((x) => x.craneId === m.craneId)?.bays ?? [];
    assert.ok(bays.includes(cell.bay % 2 === 1 ? cell.bay + 1 : cell.bay), `${cell.code} in ${m.craneId}'s bays ${bays}`);
    assert.ok(m.startTs > c.arrivalTs && (c.departureTs === null || m.endTs < c.departureTs), `${m.craneId}#${m.seq} while ${c.name} is alongside`);
    const d = m.endTs - m.startTs;
    assert.ok(d >= CYCLE_MIN_S - 1e-6 && d <= CYCLE_MAX_S + 1e-6, `${m.craneId}#${m.seq}: cycle ${d.toFixed(1)} s`);
    const list = byCall.get(c.voyage) ?? [];
    list.push(m);
    byCall.set(c.voyage, list);
  }
  // Calls that arrived and departed within the run: every planned move is in the truth.
  const whole = truth.vesselCalls.filter((c) => c.call > 1 && c.departureTs !== null);
  assert.ok(whole.length >= 2);
  for (const c of whole) assert.equal(byCall.get(c.voyage)?.length, c.plannedMoves, `${c.name} ${c.voyage}`);
});

test('vessel calls: a BAPLIE per call with exactly the boxes its cranes take off, COARRI reports per call', () => {
  assert.equal(run.baplies.length, truth.vesselCalls.length);
  assert.equal(truth.baplieMessages.length, truth.vesselCalls.length, 'each arrival forwarded by the EDI gateway');
  for (const [i, c] of truth.vesselCalls.entries()) {
    const b = run.baplies[i];
    assert.equal(b.vessel.voyage, c.voyage);
    assert.equal(truth.baplieMessages[i].voyage, c.voyage);
    assert.ok(truth.baplieMessages[i].ts >= Math.max(c.arrivalTs, truth.startTs), 'sent on arrival');
    const parsed = parseBaplie(b.text);
    assert.ok(parsed.ok);
    assert.equal(parsed.plans[0].containers.length, c.plannedMoves / 2, 'one box per worked cell');
    if (c.call > 1 && c.departureTs !== null) {
      const off = truth.moves.filter((m) => m.vessel.voyage === c.voyage && m.from.type === 'vessel').map((m) => m.container).sort();
      assert.deepEqual(off, parsed.plans[0].containers.map((x) => x.number).sort(), `${c.voyage}: the boxes taken off are the plan's`);
    }
    const reports = truth.coarriReports.filter((r) => r.voyage === c.voyage);
    assert.ok(reports.some((r) => r.documentCode === '98') && reports.some((r) => r.documentCode === '46'), `${c.voyage}: discharge and loading reports`);
    for (const r of reports) assert.equal(r.call, c.call);
  }
});

test('restows: a few per cent of the moves, each box taken ashore and reloaded into its own cell, reported as shifters', () => {
  const legs = truth.moves.filter((m) => m.kind === 'restow');
  const share = legs.length / truth.moves.length;
  assert.ok(share >= 0.01 && share <= 0.08, `restow share ${(100 * share).toFixed(1)} %`);
  const ashore = legs.filter((m) => m.from.type === 'vessel');
  const back = legs.filter((m) => m.to.type === 'vessel');
  assert.ok(back.length >= 10);
  for (const m of back) {
    const first = ashore.find((x) => x.container === m.container && x.craneId === m.craneId);
    assert.ok(first !== undefined && first.from.type === 'vessel' && m.to.type === 'vessel');
    assert.equal(m.to.code, first.from.code, `${m.container} back into its cell`);
    assert.ok(first.unlockTs < m.lockTs);
    // A restowed box stays on board: from a previous port to a next one, neither of them here.
    assert.notEqual(m.portOfDischarge, truth.site.unlocode);
    assert.notEqual(m.portOfLoading, truth.site.unlocode);
  }
  const reportedRestows = truth.coarriReports.reduce((n, r) => n + r.restows, 0);
  assert.ok(reportedRestows > 0 && reportedRestows <= legs.length);
  const wo = truth.workOrders.filter((o) => o.kind === 'restow');
  assert.ok(wo.length > 0, 'work orders carry the restow kind');
});

test('vessel calls: the crane idles between calls and gantries back home without a jump', () => {
  const wind = new QuayWind(5);
  const berth = new Berth(5, 1, 2, TERMINAL_START_TS);
  const models = [createCraneModel(5, 'STS-01', 0, wind, TERMINAL_START_TS, berth), createCraneModel(5, 'STS-02', 1, wind, TERMINAL_START_TS, berth)];
  const v = new Float64Array(CRANE_SIGNALS.length);
  const DT = 1;
  for (const m of models) {
    let prevG = Number.NaN;
    let prevMoves = Number.NaN;
    let maxStep = 0;
    let idleSec = 0;
    for (let t = TERMINAL_START_TS; t < TERMINAL_START_TS + DAYS_2; t += DT) {
      m.sample(t, v);
      if (!Number.isNaN(prevG)) maxStep = Math.max(maxStep, Math.abs(v[Sig.GANTRY] - prevG));
      if (v[Sig.MOVES] === prevMoves && v[Sig.HOIST_SPEED] === 0 && v[Sig.TROLLEY_SPEED] === 0 && v[Sig.LOCKED] === 0) idleSec += DT;
      prevG = v[Sig.GANTRY];
      prevMoves = v[Sig.MOVES];
    }
    assert.ok(maxStep <= GANTRY_MM_S * DT * 1.02 + 5, `${m.id}: gantry step ${maxStep} mm in ${DT} s`);
    assert.ok(idleSec > 4 * 3600, `${m.id} idle ${(idleSec / 3600).toFixed(1)} h between calls`);
  }
  // The berth's calls depend on the seed, berth and call number only.
  assert.deepEqual(vesselCall(5, 1, 2), vesselCall(5, 1, 2));
  assert.notEqual(vesselCall(5, 1, 2).voyage, vesselCall(5, 1, 3).voyage);
});

test('a vessel named for its carrier (MAERSK, MSC, CMA CGM, ONE) sails for it', () => {
  const brands: Record<string, string> = { 'MAERSK ': 'MSK', 'MSC ': 'MSC', 'CMA CGM ': 'CMA', 'ONE ': 'ONE' };
  let branded = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const v = vesselCall(seed, 1, 1);
    const brand = Object.keys(brands).find((p) => v.name.startsWith(p));
    if (brand === undefined) continue;
    branded++;
    assert.equal(v.carrier, brands[brand], `${v.name}`);
  }
  assert.ok(branded > 20, `${branded} branded vessels in 200 seeds`);
});

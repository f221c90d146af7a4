import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { type CraneStateView, medianOf, newCraneStateView, readCraneState } from './crane-state-view.js';

/** Plausible hoist range of an STS crane, mm: 25 m down into a hold to 60 m above the quay. */
export const HOIST_RANGE_MM: readonly [number, number] = [-25_000, 60_000];
/** Plausible trolley range, mm from the landside end stop: backreach plus gauge plus outreach stay under 120 m. */
export const TROLLEY_RANGE_MM: readonly [number, number] = [0, 120_000];
/** Highest wind an anemometer can plausibly report, m/s (beyond any recorded gust). */
export const MAX_WIND_MS = 70;
/** Fastest any crane drive moves, mm/s: a position changing faster between samples is not real. */
export const MAX_AXIS_SPEED_MM_S = 6_000;
/** Largest real change of the wind reading within the jump window, m/s. */
export const MAX_WIND_JUMP_MS = 15;
/** Window of the wind-jump check: samples at most this far apart, s. */
const WIND_JUMP_WINDOW_SEC = 2;
/** Rate checks ignore samples further apart than this, s (a gap in polling is not a jump). */
const RATE_WINDOW_SEC = 5;
/** A position unchanged this long while its crane works is stuck, s. */
export const STUCK_POSITION_SEC = 30;
/** A load unchanged to the unit this long while the twistlocks lock and unlock is stuck, s. */
export const STUCK_LOAD_SEC = 60;
/** Speed a drive reports while it moves, mm/s. */
const MOVING_SPEED_MM_S = 200;
/** Samples with the axis's own speed signal moving that make an unchanged position stuck. */
const MOVING_SAMPLES = 5;
/** Load above the empty spreader's reading that means a box is hanging, kg. */
export const HANGING_BOX_KG = 2_000;
/** A lift whose load stays within this of the spreader mass carries no box, kg. */
const EMPTY_LIFT_KG = 500;
/** Hoist travel between two samples that makes a sample part of a lift, mm. */
const LIFT_STEP_MM = 200;
/** Consecutive samples a load/twistlock contradiction must last before it is reported. */
const UNLOCKED_LOAD_SAMPLES = 2;
const EMPTY_LIFT_SAMPLES = 3;
/** Axis speed below which the drive reads as standing, mm/s. */
const STANDING_SPEED_MM_S = 20;
/** Position creep while the axis's own speed reads standing that makes it drift: distance (mm) over at least this long (s). */
export const DRIFT_MM = 300;
const DRIFT_SEC = 5;
/** Neighbour wind check (the difference itself is the site's `wind_disagreement_ms`): how long (s), the others' own agreement (m/s), freshness (s). */
const WIND_NEIGHBOUR_SEC = 10;
const WIND_NEIGHBOUR_AGREE_MS = 3;
const WIND_FRESH_SEC = 5;

/** Checks, one episode flag each per crane. */
const Check = {
  RANGE_HOIST: 0,
  RANGE_TROLLEY: 1,
  RANGE_LOAD: 2,
  RANGE_WIND: 3,
  STUCK_HOIST: 4,
  STUCK_TROLLEY: 5,
  LOAD_STUCK: 6,
  LOAD_UNLOCKED: 7,
  LOCKED_EMPTY: 8,
  WIND_NEIGHBOURS: 9,
  DRIFT_HOIST: 10,
  DRIFT_TROLLEY: 11,
} as const;
const CHECKS = 12;

/** What a reading's fault looks like: `spoof` when a forged value would look like this, else `fault`. */
type Kind = 'spoof' | 'fault';

/** Spoof-like findings: a forged reporting message that manipulates the operators' view (ATT&CK for ICS). */
const SPOOF_TECHNIQUES: readonly IcsTechnique[] = [Technique.SPOOF_REPORTING_MESSAGE, Technique.MANIPULATION_OF_VIEW];
/** Fault-like findings: the view of the process is wrong whatever the cause (on the wire a failed sensor and a manipulated one look alike). */
const FAULT_TECHNIQUES: readonly IcsTechnique[] = [Technique.MANIPULATION_OF_VIEW];

/** Per-crane state of the checks. */
class CraneChecks {
  prevTs = Number.NaN;
  prevHoist = Number.NaN;
  prevTrolley = Number.NaN;
  prevGantry = Number.NaN;
  prevWind = Number.NaN;
  prevLocked = Number.NaN;
  lastLockTs = Number.NaN;
  /** Stuck checks of hoist (0) and trolley (1): value, since when, samples with the axis's speed moving. */
  readonly sameValue = new Float64Array(2).fill(Number.NaN);
  readonly sameSince = new Float64Array(2).fill(Number.NaN);
  readonly movingSamples = new Int32Array(2);
  /** Drift checks of hoist (0) and trolley (1): since when the speed reads standing, and the distance crept meanwhile. */
  readonly standSince = new Float64Array(2).fill(Number.NaN);
  readonly crept = new Float64Array(2);
  readonly prevSpeed = new Float64Array(2).fill(Number.NaN);
  loadValue = Number.NaN;
  loadSince = Number.NaN;
  loadLocks = 0;
  loadUnlocks = 0;
  unlockedLoadRun = 0;
  emptyLiftRun = 0;
  /** An empty locked lift waiting for the next landing to tell which signal is wrong: its time, evidence and load (NaN when none). */
  pendingTs = Number.NaN;
  pendingUid = '';
  pendingPlc = '';
  pendingLoad = Number.NaN;
  pendingLoadSince = Number.NaN;
  windOffSince = Number.NaN;
  readonly active = new Uint8Array(CHECKS);

  constructor(
    readonly id: string,
    readonly index: number,
  ) {}
}

/**
 * Sensor integrity of the cranes (DESIGN.md "What it detects"): reads `crane_state`
 * (crane/state/streams.ts) and reports readings no real crane gives —
 * - physical limits: hoist outside −25…+60 m, trolley outside 0…120 m, negative load, wind above 70 m/s;
 * - impossible rates: a position changing faster than 6 m/s between samples (≤ 5 s apart), the wind
 *   reading changing by more than 15 m/s within 2 s;
 * - stuck values: the hoist or trolley position unchanged for more than 30 s while its own speed signal
 *   shows it moving (5 samples) or across a complete container move (twistlocks locked after the value
 *   last changed, then unlocked — a move cannot happen without both axes travelling); the load
 *   unchanged to the unit for more than 60 s while the twistlocks locked and unlocked;
 * - load without locked twistlocks: more than 2 t above the empty spreader's reading with the twistlocks
 *   unlocked and the spreader not landed (2 samples) — the twistlock signal is judged wrong;
 * - drift: the hoist or trolley position creeping 300 mm or more over at least 5 s while the axis's own
 *   speed signal reads standing (< 20 mm/s);
 * - twistlocks locked with no load over a lift: locked, hanging (not landed; without a landed signal, a
 *   load cell carrying the headblock reading at least half of it), hoist travelling, load at most 0.5 t
 *   above the empty spreader's reading (3 samples) — reported at the next landing, which tells the
 *   wrong signal: the load cell when it still reads half the headblock or more while landed (or had read
 *   the same for 30 s), else the twistlocks;
 * - disagreement with neighbouring cranes' wind: a crane more than the site's `wind_disagreement_ms`
 *   (default 8 m/s) from the median of at least
 *   two other cranes (readings under 5 s old) that agree within 3 m/s, for more than 10 s.
 * The two load/twistlock checks use the empty spreader's reading the crane model learned (`crane_state`
 * `spreader_kg`: about 15 t where the load cell carries the headblock, 0 where it is tared) and wait
 * until it is known.
 * Every finding names the crane and the signal judged wrong, severity high. ATT&CK for ICS: the wind
 * jump and the neighbour disagreement are what a forged reading produces (T0856 Spoof Reporting
 * Message, T0832 Manipulation of View); the others are reported as T0832 alone, since the operators'
 * view is wrong whatever the cause and the wire cannot tell a failed sensor from a manipulated one.
 * Each condition is reported once per episode (again after it cleared). State: constant per crane.
 */
export function sensorIntegrityDetector(policy: SitePolicy): Detector | null {
  const cranes = policy.site.cranes;
  if (cranes.length === 0) return null;
  const byId = new Map<string, CraneChecks>();
  cranes.forEach((c, i) => byId.set(c.id, new CraneChecks(c.id, i)));
  const windNow = new Float64Array(cranes.length).fill(Number.NaN);
  const windTs = new Float64Array(cranes.length).fill(Number.NaN);
  const scratch = new Float64Array(cranes.length);
  const windDisagreementMs = policy.site.thresholds.wind_disagreement_ms;
  const v = newCraneStateView();

  function report(out: FindingWriter, c: CraneChecks, s: CraneStateView, signal: string, check: string, kind: Kind, explanation: string, action: string): void {
    out.report({
      key: `${c.id}:${signal}:${check}`,
      ts: s.ts,
      severity: 'high',
      title: `${kind === 'spoof' ? 'Implausible' : 'Faulty'} ${signal} reading on ${c.id}`,
      explanation,
      techniques: kind === 'spoof' ? SPOOF_TECHNIQUES : FAULT_TECHNIQUES,
      hosts: s.plc !== '' ? [s.plc] : [],
      cranes: [c.id],
      evidence: s.uid !== '' ? { stream: 'modbus_detailed', uid: s.uid } : undefined,
      action,
    });
  }

  const checkAction = (id: string, what: string): string =>
    `Compare the ${what} reading of ${id} with its local display and the drive's own feedback; repair or recalibrate the sensor and keep the crane out of automatic cycles until the PLC value is trusted again.`;

  /** Range check of one value: reported on entering the bad range. */
  function range(out: FindingWriter, c: CraneChecks, s: CraneStateView, check: number, value: number, lo: number, hi: number, signal: string, unit: string, what: string): void {
    if (Number.isNaN(value)) return;
    if (value >= lo && value <= hi) {
      c.active[check] = 0;
      return;
    }
    if (c.active[check] === 1) return;
    c.active[check] = 1;
    report(
      out,
      c,
      s,
      signal,
      'range',
      'fault',
      `${c.id}'s PLC reports ${signal} = ${value} ${unit}, outside what an STS crane can physically show (${lo}…${hi} ${unit}): the ${what} reading is wrong.`,
      checkAction(c.id, what),
    );
  }

  /** Rate check of one axis between the previous sample and this one. */
  function rate(out: FindingWriter, c: CraneChecks, s: CraneStateView, prev: number, cur: number, dt: number, signal: string, what: string): void {
    if (Number.isNaN(prev) || Number.isNaN(cur) || !(dt > 0) || dt > RATE_WINDOW_SEC) return;
    const speed = Math.abs(cur - prev) / dt;
    if (speed <= MAX_AXIS_SPEED_MM_S) return;
    report(
      out,
      c,
      s,
      signal,
      'rate',
      'fault',
      `${c.id}'s ${what} position jumped ${(Math.abs(cur - prev) / 1000).toFixed(1)} m in ${dt.toFixed(1)} s (${(speed / 1000).toFixed(1)} m/s), faster than any crane drive moves (${MAX_AXIS_SPEED_MM_S / 1000} m/s): the encoder reading is wrong.`,
      checkAction(c.id, `${what} encoder`),
    );
  }

  /** Stuck check of hoist (axis 0) or trolley (1); `unlockNow` when this sample shows the twistlocks opening. */
  function stuck(out: FindingWriter, c: CraneChecks, s: CraneStateView, axis: 0 | 1, value: number, speed: number, unlockNow: boolean): void {
    if (Number.isNaN(value)) return;
    const check = axis === 0 ? Check.STUCK_HOIST : Check.STUCK_TROLLEY;
    if (value !== c.sameValue[axis]) {
      c.sameValue[axis] = value;
      c.sameSince[axis] = s.ts;
      c.movingSamples[axis] = 0;
      c.active[check] = 0;
      return;
    }
    if (Math.abs(speed) >= MOVING_SPEED_MM_S) c.movingSamples[axis]++;
    const held = s.ts - c.sameSince[axis];
    if (held <= STUCK_POSITION_SEC || c.active[check] === 1) return;
    const acrossMove = unlockNow && c.lastLockTs > c.sameSince[axis];
    if (!acrossMove && c.movingSamples[axis] < MOVING_SAMPLES) return;
    c.active[check] = 1;
    const signal = axis === 0 ? 'hoist_position_mm' : 'trolley_position_mm';
    const what = axis === 0 ? 'hoist' : 'trolley';
    const why = acrossMove ? 'the crane locked, carried and set down a container' : `the ${what} drive reported moving`;
    report(
      out,
      c,
      s,
      signal,
      'stuck',
      'fault',
      `${c.id}'s ${what} position has read ${value} mm for ${Math.round(held)} s while ${why}: the ${what} encoder is frozen.`,
      checkAction(c.id, `${what} encoder`),
    );
  }

  /** Drift check of hoist (axis 0) or trolley (1): the position creeps while the axis's own speed reads standing. */
  function drift(out: FindingWriter, c: CraneChecks, s: CraneStateView, axis: 0 | 1, prev: number, value: number, speed: number): void {
    const check = axis === 0 ? Check.DRIFT_HOIST : Check.DRIFT_TROLLEY;
    const standing = Math.abs(speed) < STANDING_SPEED_MM_S && Math.abs(c.prevSpeed[axis]) < STANDING_SPEED_MM_S;
    c.prevSpeed[axis] = speed;
    if (!standing || Number.isNaN(prev) || Number.isNaN(value)) {
      c.standSince[axis] = Number.NaN;
      c.crept[axis] = 0;
      c.active[check] = 0;
      return;
    }
    if (Number.isNaN(c.standSince[axis])) c.standSince[axis] = s.ts;
    c.crept[axis] += Math.abs(value - prev);
    const held = s.ts - c.standSince[axis];
    if (c.crept[axis] < DRIFT_MM || held < DRIFT_SEC || c.active[check] === 1) return;
    c.active[check] = 1;
    const what = axis === 0 ? 'hoist' : 'trolley';
    report(
      out,
      c,
      s,
      axis === 0 ? 'hoist_position_mm' : 'trolley_position_mm',
      'drift',
      'fault',
      `${c.id}'s ${what} position crept ${Math.round(c.crept[axis])} mm in ${Math.round(held)} s while its drive reported standing still: the ${what} encoder is drifting.`,
      checkAction(c.id, `${what} encoder`),
    );
  }

  /** The empty locked lift waiting in `c`, reported now that a landing (or its absence) tells which signal is wrong. */
  function reportEmptyLift(out: FindingWriter, c: CraneChecks, loadWrong: boolean): void {
    const load = c.pendingLoad;
    out.report({
      key: `${c.id}:${loadWrong ? 'load_kg' : 'twistlock_locked'}:locked_no_load`,
      ts: c.pendingTs,
      severity: 'high',
      title: `Faulty ${loadWrong ? 'load_kg' : 'twistlock_locked'} reading on ${c.id}`,
      explanation:
        `${c.id} hoisted with the twistlocks reported locked but the load cell showed only the spreader (${load} kg): ` +
        (loadWrong ? 'the load reading does not follow the lifts and landings, so the load cell is wrong.' : 'no box was on the spreader, so the twistlock signal is wrong.'),
      techniques: FAULT_TECHNIQUES,
      hosts: c.pendingPlc !== '' ? [c.pendingPlc] : [],
      cranes: [c.id],
      evidence: c.pendingUid !== '' ? { stream: 'modbus_detailed', uid: c.pendingUid } : undefined,
      action: checkAction(c.id, loadWrong ? 'load cell' : 'twistlock sensor'),
    });
    c.pendingTs = Number.NaN;
  }

  return {
    name: 'sensor_integrity',
    streams: ['crane_state'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const s = readCraneState(r, v);
      const c = byId.get(s.crane);
      if (c === undefined || Number.isNaN(s.ts)) return;
      const dt = s.ts - c.prevTs;
      const lockNow = c.prevLocked === 0 && s.locked === 1;
      const unlockNow = c.prevLocked === 1 && s.locked === 0;
      if (lockNow) {
        c.lastLockTs = s.ts;
        c.loadLocks++;
      }
      if (unlockNow) c.loadUnlocks++;

      range(out, c, s, Check.RANGE_HOIST, s.hoist, HOIST_RANGE_MM[0], HOIST_RANGE_MM[1], 'hoist_position_mm', 'mm', 'hoist encoder');
      range(out, c, s, Check.RANGE_TROLLEY, s.trolley, TROLLEY_RANGE_MM[0], TROLLEY_RANGE_MM[1], 'trolley_position_mm', 'mm', 'trolley encoder');
      range(out, c, s, Check.RANGE_LOAD, s.load, 0, Number.POSITIVE_INFINITY, 'load_kg', 'kg', 'load cell');
      range(out, c, s, Check.RANGE_WIND, s.wind, 0, MAX_WIND_MS, 'wind_speed_ms', 'm/s', 'anemometer');

      rate(out, c, s, c.prevHoist, s.hoist, dt, 'hoist_position_mm', 'hoist');
      rate(out, c, s, c.prevTrolley, s.trolley, dt, 'trolley_position_mm', 'trolley');
      rate(out, c, s, c.prevGantry, s.gantry, dt, 'gantry_position_mm', 'gantry');
      if (!Number.isNaN(c.prevWind) && !Number.isNaN(s.wind) && dt > 0 && dt <= WIND_JUMP_WINDOW_SEC && Math.abs(s.wind - c.prevWind) > MAX_WIND_JUMP_MS) {
        report(
          out,
          c,
          s,
          'wind_speed_ms',
          'jump',
          'spoof',
          `${c.id}'s anemometer went from ${c.prevWind} to ${s.wind} m/s within ${dt.toFixed(1)} s, a jump no real gust makes: the wind reading is faulty or forged.`,
          `Compare ${c.id}'s anemometer with its local display and the neighbouring cranes'; inspect the sensor line and the PLC's input for tampering before trusting its wind stops.`,
        );
      }

      stuck(out, c, s, 0, s.hoist, s.hoistSpeed, unlockNow);
      stuck(out, c, s, 1, s.trolley, s.trolleySpeed, unlockNow);
      drift(out, c, s, 0, c.prevHoist, s.hoist, s.hoistSpeed);
      drift(out, c, s, 1, c.prevTrolley, s.trolley, s.trolleySpeed);

      if (!Number.isNaN(s.load)) {
        if (s.load !== c.loadValue) {
          c.loadValue = s.load;
          c.loadSince = s.ts;
          c.loadLocks = 0;
          c.loadUnlocks = 0;
          c.active[Check.LOAD_STUCK] = 0;
        } else if (s.ts - c.loadSince > STUCK_LOAD_SEC && c.loadLocks > 0 && c.loadUnlocks > 0 && c.active[Check.LOAD_STUCK] === 0) {
          c.active[Check.LOAD_STUCK] = 1;
          report(
            out,
            c,
            s,
            'load_kg',
            'stuck',
            'fault',
            `${c.id}'s load cell has read exactly ${s.load} kg for ${Math.round(s.ts - c.loadSince)} s while the twistlocks locked and released containers: the load reading is stuck.`,
            checkAction(c.id, 'load cell'),
          );
        }
      }

      // The load against the twistlocks, once the crane model knows the empty spreader's reading.
      const spreader = s.spreaderKg;
      // A box hanging from unlocked twistlocks.
      if (s.locked === 0 && s.landed !== 1 && s.load > spreader + HANGING_BOX_KG) {
        if (++c.unlockedLoadRun >= UNLOCKED_LOAD_SAMPLES && c.active[Check.LOAD_UNLOCKED] === 0) {
          c.active[Check.LOAD_UNLOCKED] = 1;
          report(
            out,
            c,
            s,
            'twistlock_locked',
            'unlocked_under_load',
            'fault',
            `${c.id} reports ${(s.load / 1000).toFixed(1)} t hanging from the spreader with the twistlocks unlocked and the spreader not landed; a box cannot hang from open twistlocks, so the twistlock signal is wrong (or a box is about to fall).`,
            `Stop ${c.id}'s automatic cycles and check the twistlock sensors and the spreader before the next lift.`,
          );
        }
      } else {
        c.unlockedLoadRun = 0;
        c.active[Check.LOAD_UNLOCKED] = 0;
      }

      // A lift with the twistlocks locked and no box's weight. Which signal is wrong shows at the next
      // landing: a load cell that still reads the spreader's weight while landed is the faulty one.
      // (A tared load cell reads about zero hanging empty and landed alike: only the time rule tells then.)
      const headblockOnCell = spreader >= HANGING_BOX_KG;
      if (!Number.isNaN(c.pendingTs) && s.landed === 1) reportEmptyLift(out, c, (headblockOnCell && s.load >= spreader / 2) || c.pendingTs - c.pendingLoadSince >= STUCK_POSITION_SEC);
      const hanging = s.landed === 0 || (Number.isNaN(s.landed) && headblockOnCell);
      const emptyLocked = s.locked === 1 && hanging && s.load >= spreader / 2 && s.load <= spreader + EMPTY_LIFT_KG;
      if (emptyLocked) {
        if (Math.abs(s.hoist - c.prevHoist) >= LIFT_STEP_MM && ++c.emptyLiftRun >= EMPTY_LIFT_SAMPLES && c.active[Check.LOCKED_EMPTY] === 0) {
          c.active[Check.LOCKED_EMPTY] = 1;
          c.pendingTs = s.ts;
          c.pendingUid = s.uid;
          c.pendingPlc = s.plc;
          c.pendingLoad = s.load;
          c.pendingLoadSince = c.loadSince;
          // Without a landed signal there is no landing to wait for: judge by how long the load stood still.
          if (Number.isNaN(s.landed)) reportEmptyLift(out, c, s.ts - c.loadSince >= STUCK_POSITION_SEC);
        }
      } else {
        c.emptyLiftRun = 0;
        c.active[Check.LOCKED_EMPTY] = 0;
      }

      // The wind against the neighbouring cranes'.
      if (!Number.isNaN(s.wind)) {
        windNow[c.index] = s.wind;
        windTs[c.index] = s.ts;
        let n = 0;
        for (let j = 0; j < windNow.length; j++) {
          if (j !== c.index && Math.abs(s.ts - windTs[j]) <= WIND_FRESH_SEC) scratch[n++] = windNow[j];
        }
        let off = false;
        let m = Number.NaN;
        if (n >= 2) {
          m = medianOf(scratch, n);
          let agree = true;
          for (let j = 0; j < n; j++) if (Math.abs(scratch[j] - m) > WIND_NEIGHBOUR_AGREE_MS) agree = false;
          off = agree && Math.abs(s.wind - m) > windDisagreementMs;
        }
        if (!off) {
          c.windOffSince = Number.NaN;
          c.active[Check.WIND_NEIGHBOURS] = 0;
        } else {
          if (Number.isNaN(c.windOffSince)) c.windOffSince = s.ts;
          if (s.ts - c.windOffSince > WIND_NEIGHBOUR_SEC && c.active[Check.WIND_NEIGHBOURS] === 0) {
            c.active[Check.WIND_NEIGHBOURS] = 1;
            report(
              out,
              c,
              s,
              'wind_speed_ms',
              'neighbours',
              'spoof',
              `${c.id}'s anemometer has read ${s.wind} m/s for ${Math.round(s.ts - c.windOffSince)} s while ${n} neighbouring cranes agree on ${m.toFixed(1)} m/s; wind along one quay cannot differ that much, so the reading is faulty or spoofed — and a false high reading stops the crane.`,
              `Compare ${c.id}'s anemometer with its local display and the neighbouring cranes'; inspect the sensor line and the PLC's input for tampering before trusting its wind stops.`,
            );
          }
        }
      }

      c.prevTs = s.ts;
      if (!Number.isNaN(s.hoist)) c.prevHoist = s.hoist;
      if (!Number.isNaN(s.trolley)) c.prevTrolley = s.trolley;
      if (!Number.isNaN(s.gantry)) c.prevGantry = s.gantry;
      if (!Number.isNaN(s.wind)) c.prevWind = s.wind;
      if (!Number.isNaN(s.locked)) c.prevLocked = s.locked;
    },
    finish(out: FindingWriter): void {
      for (const c of byId.values()) if (!Number.isNaN(c.pendingTs)) reportEmptyLift(out, c, c.pendingTs - c.pendingLoadSince >= STUCK_POSITION_SEC);
    },
  };
}

import { CwError } from '../../errors.js';
import { Prng } from '../random.js';
import { Berth, type BerthCrane } from './berth.js';
import { CargoDraw } from './cargo.js';
import { CraneCycle, type CraneMove, CyclePlanner, drawGeometry, GANTRY, HOIST, TROLLEY } from './crane-cycle.js';
import { moveVelocity, movePosition } from './motion.js';
import type { QuayWind } from './wind.js';

/**
 * Names of the process values a simulated crane provides, in engineering units. A site file's
 * register map places any of them in the PLC's tables (`register-map.ts`); names it does not map are
 * simply not exposed, and map entries with other names (setpoints) hold what clients write.
 */
export const CRANE_SIGNALS = [
  'hoist_position_mm',
  'trolley_position_mm',
  'gantry_position_mm',
  'hoist_speed_mm_s',
  'trolley_speed_mm_s',
  'load_kg',
  'twistlock_locked',
  'spreader_landed',
  'spreader_size_ft',
  'wind_speed_ms',
  'operating_mode',
  'emergency_stop',
  'move_counter',
] as const;

/** One crane signal name. */
export type CraneSignalName = (typeof CRANE_SIGNALS)[number];

/** Index of each signal in the value array `CraneModel.sample` fills. */
export const Sig = {
  HOIST: 0,
  TROLLEY: 1,
  GANTRY: 2,
  HOIST_SPEED: 3,
  TROLLEY_SPEED: 4,
  LOAD: 5,
  LOCKED: 6,
  LANDED: 7,
  SPREADER_FT: 8,
  WIND: 9,
  MODE: 10,
  ESTOP: 11,
  MOVES: 12,
} as const;

/** Mass of spreader and headblock hanging from the ropes, kg. */
export const SPREADER_KG = 15_000;
/** `operating_mode` values: 0 off, 1 manual, 2 semi-automatic, 3 remote, 4 maintenance. */
export const MODE_SEMI_AUTOMATIC = 2;
/** `operating_mode` 0: drives off (a stop command, a stopped PLC program). */
export const MODE_OFF = 0;
/** Wind-stop threshold a crane PLC starts with (`wind_stop_threshold_ms` setpoint), m/s. */
export const WIND_STOP_DEFAULT_MS = 20;
/** Cycles kept behind the newest planned one (readers lag the planner by at most one cycle). */
const KEPT_CYCLES = 4;

/** A span the crane stands still: wall-clock [from, until), the mode and e-stop its PLC reports meanwhile. */
interface Hold {
  from: number;
  until: number;
  mode: number;
  estop: number;
  /** Process time (see `CraneModel.holdUntil`) at `from`. */
  processFrom: number;
}

/**
 * How a faulty sensor's reading departs from the true value while its fault is active (see
 * `CraneModel.addSensorFault`), engineering units of the signal: `freeze` — the true value at the
 * fault's start, held; `drift` — the true value plus `ratePerSec` × (t − start); `stuck` — `value`;
 * `spoof` — `value` plus `vary(t)` when given (a forged reading with a plausible live wobble).
 */
export type SensorFaultSpec =
  | { kind: 'freeze' }
  | { kind: 'drift'; ratePerSec: number }
  | { kind: 'stuck'; value: number }
  | { kind: 'spoof'; value: number; vary?: (ts: number) => number };

/** A sensor fault set on a crane: the signal, its wall-clock span [fromTs, untilTs) and the scenario that set it. */
export interface SensorFault {
  readonly scenario: string;
  readonly signal: CraneSignalName;
  readonly fromTs: number;
  readonly untilTs: number;
  readonly spec: SensorFaultSpec;
}

/** A fault as `sample` applies it. */
interface ActiveFault {
  readonly fault: SensorFault;
  /** Index into the sample (`Sig`). */
  readonly sig: number;
  /** `freeze`: the value captured at `fromTs`; NaN until then. */
  frozen: number;
}

/**
 * One ship-to-shore crane's process: the planned cycles (`CyclePlanner`) evaluated as a pure
 * function of time. Readers (the PLC's process image, the OCR, the CMS's job reporting) ask for
 * cycles by number or for the state at a time; both only move forward, and only the last few
 * cycles are kept, plus — when its berth needs a vessel's departure time (`BerthCrane.planCall`) —
 * the cycles planned ahead to the end of the current call, so memory is bounded by one call's share
 * however long the run. Between calls the crane stands still where its last cycle left it (the gantry
 * travelling back home shortly before the next call's first cycle).
 */
export class CraneModel implements BerthCrane {
  private readonly cycles: CraneCycle[] = [];
  /** Cycles planned ahead of `cycles` for the berth (`planCall`), taken from `aheadHead` on. */
  private readonly ahead: Array<CraneCycle | null> = [];
  private aheadHead = 0;
  /** Number of the first cycle in `cycles`. */
  private first = 0;
  /** Cycle the last `sample` fell in. */
  private cursor = 0;
  /** Wall-clock copies of the kept cycles' moves, parallel to `cycles`; only filled when the crane has holds. */
  private readonly wallMoves: CraneMove[] = [];
  /** Holds in time order, non-overlapping. Bounded by the number of scenarios of the run. */
  private readonly holds: Hold[] = [];
  /** First hold not yet over at the last `sample`, and the held seconds before it. */
  private holdCursor = 0;
  private heldBefore = 0;
  /** Sensor faults by start time. Bounded by the number of scenarios of the run. */
  private readonly faults: ActiveFault[] = [];
  /** Scratch sample for capturing frozen values; allocated with the first `freeze` fault. */
  private scratch: Float64Array | null = null;

  /**
   * @param id          crane id (e.g. "STS-03").
   * @param planner     its cycle planner.
   * @param wind        the quay's wind field (shared by every crane of the quay).
   * @param windPhase   this crane's own wind deviation phase, radians.
   * @param railMm      gantry position of its first bay along the quay rail, mm.
   */
  constructor(
    readonly id: string,
    readonly planner: CyclePlanner,
    readonly wind: QuayWind,
    private readonly windPhase: number,
    readonly railMm: number,
  ) {}

  /**
   * True wind speed (m/s) at the crane's boom-top anemometer at `ts` (seconds since the epoch) were
   * the crane at its first bay (`railMm`): what a reaction to the wind is planned from before the run.
   * The crane travels a bay or two at most, which moves its reading by a few hundredths of a m/s.
   */
  windMs(ts: number): number {
    return this.wind.speedMs(ts, this.railMm, this.windPhase);
  }

  /**
   * Make sensor `signal` report wrongly over the wall-clock span [`fromTs`, `untilTs`) (seconds since the
   * epoch): what `sample` gives (so what the PLC stores and the CMS forwards) follows `spec`; the
   * process itself (cycles, moves, holds) is unchanged. Faults on one signal should not overlap (the
   * later one wins). Set before the crane is first read, so a `freeze` can capture its start value.
   * @throws CwError CW_ERR_CONFIG when the span is empty or the crane was already read.
   */
  addSensorFault(scenario: string, signal: CraneSignalName, fromTs: number, untilTs: number, spec: SensorFaultSpec): void {
    if (!(untilTs > fromTs)) throw new CwError('CW_ERR_CONFIG', `crane ${this.id}: a sensor fault must end after it starts (${fromTs} … ${untilTs})`);
    if (this.started()) throw new CwError('CW_ERR_CONFIG', `crane ${this.id}: sensor faults must be set before the crane runs`);
    this.faults.push({ fault: { scenario, signal, fromTs, untilTs, spec }, sig: CRANE_SIGNALS.indexOf(signal), frozen: NaN });
    this.faults.sort((a, b) => a.fault.fromTs - b.fault.fromTs);
    if (spec.kind === 'freeze' && this.scratch === null) this.scratch = new Float64Array(CRANE_SIGNALS.length);
  }

  /** The sensor faults set on this crane, by start time. */
  sensorFaults(): SensorFault[] {
    return this.faults.map((f) => f.fault);
  }

  /**
   * Hold the crane still over the wall-clock span [`fromTs`, `untilTs`) (seconds since the epoch): a
   * stop command, a PLC stop or an idle crew. The drives freeze where they are at `fromTs` (speeds 0),
   * the PLC reports `operating_mode` = `mode` and `emergency_stop` = `estop` meanwhile, and at
   * `untilTs` the interrupted cycle continues where it stopped, so every later lock, unlock and move
   * end comes that much later. The cycles are planned in "process time" (wall time minus the held
   * seconds before it) and `move(k)` turns their times back into wall time. Overlapping holds merge
   * (the earlier one's mode and e-stop win). Holds must be set before the crane is first read.
   * @throws CwError CW_ERR_CONFIG when the span is empty or the crane was already read (planned).
   */
  holdUntil(fromTs: number, untilTs: number, mode: number, estop = 0): void {
    if (!(untilTs > fromTs)) throw new CwError('CW_ERR_CONFIG', `crane ${this.id}: a hold must end after it starts (${fromTs} … ${untilTs})`);
    if (this.started()) throw new CwError('CW_ERR_CONFIG', `crane ${this.id}: holds must be set before the crane runs`);
    const merged: Hold[] = [];
    let cur: Hold = { from: fromTs, until: untilTs, mode, estop, processFrom: 0 };
    for (const h of this.holds) {
      if (h.until < cur.from || h.from > cur.until) merged.push(h);
      else cur = h.from <= cur.from ? { ...h, until: Math.max(h.until, cur.until) } : { ...cur, until: Math.max(h.until, cur.until) };
    }
    merged.push(cur);
    merged.sort((a, b) => a.from - b.from);
    let held = 0;
    for (const h of merged) {
      h.processFrom = h.from - held;
      held += h.until - h.from;
    }
    this.holds.length = 0;
    this.holds.push(...merged);
  }

  /** Whether any cycle was planned (holds and faults must come before). */
  private started(): boolean {
    return this.cycles.length > 0 || this.first > 0 || this.ahead.length > 0;
  }

  /** Plan ahead, keeping the cycles for `cycle`, until this crane's share of berth call `call` is planned to its end. */
  planCall(call: number): void {
    const berth = this.planner.berth;
    const lane = this.planner.berthLane;
    while (!berth.isFinished(call, lane)) this.ahead.push(this.planner.plan());
  }

  /** Wall-clock time of process time `p`: plus every hold that began at an earlier process time. */
  wallTs(p: number): number {
    return this.wall(p);
  }

  /** Process time of wall-clock time `t`: minus the holds over before it; a time inside a hold maps to the hold's start. */
  processTs(t: number): number {
    let p = t;
    for (const h of this.holds) {
      if (t >= h.until) p -= h.until - h.from;
      else if (t >= h.from) return h.processFrom;
    }
    return p;
  }

  /** The next cycle in plan order: one planned ahead for the berth, or a new one. */
  private nextPlanned(): CraneCycle {
    if (this.aheadHead < this.ahead.length) {
      const c = this.ahead[this.aheadHead] as CraneCycle;
      this.ahead[this.aheadHead++] = null;
      if (this.aheadHead === this.ahead.length) {
        this.ahead.length = 0;
        this.aheadHead = 0;
      }
      return c;
    }
    return this.planner.plan();
  }

  /** Cycle number `k` (0-based), planning ahead as needed; null once it was dropped (too old). Times are process times. */
  cycle(k: number): CraneCycle | null {
    if (k < this.first) return null;
    while (this.first + this.cycles.length <= k) {
      const c = this.nextPlanned();
      this.cycles.push(c);
      if (this.holds.length > 0) this.wallMoves.push(this.toWall(c.move));
      if (this.cycles.length > KEPT_CYCLES + 1 && this.cursor - this.first > 1) {
        this.cycles.shift();
        if (this.holds.length > 0) this.wallMoves.shift();
        this.first++;
      }
    }
    return this.cycles[k - this.first];
  }

  /** The move of cycle `k`, its times in wall-clock seconds since the epoch (holds included). */
  move(k: number): CraneMove {
    const c = this.cycle(k) as CraneCycle;
    return this.holds.length > 0 ? this.wallMoves[k - this.first] : c.move;
  }

  /** Wall-clock time of process time `p`: plus every hold that began at an earlier process time. */
  private wall(p: number): number {
    let t = p;
    for (const h of this.holds) if (h.processFrom < p) t += h.until - h.from;
    return t;
  }

  /** A copy of `m` with its times in wall-clock time. Once per planned cycle. */
  private toWall(m: CraneMove): CraneMove {
    return {
      ...m,
      startTs: this.wall(m.startTs),
      endTs: this.wall(m.endTs),
      lockTs: this.wall(m.lockTs),
      unlockTs: this.wall(m.unlockTs),
      pickLanded: [this.wall(m.pickLanded[0]), this.wall(m.pickLanded[1])],
      placeLanded: [this.wall(m.placeLanded[0]), this.wall(m.placeLanded[1])],
    };
  }

  /**
   * Fill `out` (indexed by `Sig`) with the crane's sensor readings at `ts` (seconds since the epoch,
   * never earlier than a previous call's): positions mm, speeds mm/s, load kg, flags 0/1, spreader ft,
   * wind m/s, mode, e-stop, completed moves. Within a hold (`holdUntil`) the drives stand still; within
   * a sensor fault (`addSensorFault`) its signal reads as the fault says. Allocation-free.
   */
  sample(ts: number, out: Float64Array): void {
    const faults = this.faults;
    if (faults.length === 0) {
      this.physics(ts, out);
      return;
    }
    const scratch = this.scratch;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      if (f.fault.spec.kind === 'freeze' && Number.isNaN(f.frozen) && f.fault.fromTs <= ts && scratch !== null) {
        this.physics(f.fault.fromTs, scratch);
        f.frozen = scratch[f.sig];
      }
    }
    this.physics(ts, out);
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      const { fromTs, untilTs, spec } = f.fault;
      if (ts < fromTs || ts >= untilTs) continue;
      switch (spec.kind) {
        case 'freeze':
          out[f.sig] = f.frozen;
          break;
        case 'drift':
          out[f.sig] = Math.round(out[f.sig] + spec.ratePerSec * (ts - fromTs));
          break;
        case 'stuck':
          out[f.sig] = spec.value;
          break;
        case 'spoof':
          out[f.sig] = spec.vary === undefined ? spec.value : spec.value + spec.vary(ts);
          break;
      }
    }
  }

  /** The true state at `ts` (see `sample`), before any sensor fault. */
  private physics(ts: number, out: Float64Array): void {
    let pt = ts;
    let hold: Hold | null = null;
    const holds = this.holds;
    if (holds.length > 0) {
      while (this.holdCursor < holds.length && ts >= holds[this.holdCursor].until) {
        const h = holds[this.holdCursor++];
        this.heldBefore += h.until - h.from;
      }
      if (this.holdCursor < holds.length && ts >= holds[this.holdCursor].from) {
        hold = holds[this.holdCursor];
        pt = hold.processFrom;
      } else pt = ts - this.heldBefore;
    }
    let c = this.cycle(this.cursor) as CraneCycle;
    while (pt >= c.move.endTs) {
      this.cursor++;
      c = this.cycle(this.cursor) as CraneCycle;
    }
    const m = c.move;
    // Before the cycle's start (the berth empty between calls) the axes rest at their start, but for
    // the gantry's travel back home.
    const t = pt;
    out[Sig.HOIST] = Math.round(axisAt(c, HOIST, t, false));
    out[Sig.TROLLEY] = Math.round(axisAt(c, TROLLEY, t, false));
    out[Sig.GANTRY] = Math.round(axisAt(c, GANTRY, t, false));
    out[Sig.HOIST_SPEED] = hold !== null ? 0 : Math.round(axisAt(c, HOIST, t, true));
    out[Sig.TROLLEY_SPEED] = hold !== null ? 0 : Math.round(axisAt(c, TROLLEY, t, true));
    const locked = t >= m.lockTs && t < m.unlockTs;
    const landed = (t >= m.pickLanded[0] && t < m.pickLanded[1]) || (t >= m.placeLanded[0] && t < m.placeLanded[1]);
    out[Sig.LOCKED] = locked ? 1 : 0;
    out[Sig.LANDED] = landed ? 1 : 0;
    out[Sig.LOAD] = landed ? 0 : locked ? SPREADER_KG + m.cargo.grossKg : SPREADER_KG;
    out[Sig.SPREADER_FT] = m.cargo.sizeFt;
    out[Sig.WIND] = this.wind.speedMs(ts, out[Sig.GANTRY], this.windPhase);
    out[Sig.MODE] = hold !== null ? hold.mode : MODE_SEMI_AUTOMATIC;
    out[Sig.ESTOP] = hold !== null ? hold.estop : 0;
    out[Sig.MOVES] = m.seq;
  }
}

/** Position (or velocity when `speed`) of `axis` at `t` within cycle `c`. */
function axisAt(c: CraneCycle, axis: number, t: number, speed: boolean): number {
  const n = c.count[axis];
  const s = c.seg;
  let k = -1;
  for (let i = 0; i < n; i++) {
    if (s[CraneCycle.offset(axis, i)] <= t) k = i;
  }
  if (k < 0) return speed ? 0 : c.start[axis];
  const o = CraneCycle.offset(axis, k);
  return speed
    ? moveVelocity(s[o + 1], s[o + 2], s[o + 3], s[o + 4], t - s[o])
    : movePosition(s[o + 1], s[o + 2], s[o + 3], s[o + 4], t - s[o]);
}

/**
 * The twin's crane number `index` (0-based position along the quay, ~48 m apart): geometry, loaded
 * cargo and cycles drawn from `Prng.derive(seed, "crane/<id>")`, working the vessel calls of `berth`
 * (it takes the berth's next lane; default a berth 1 of its own, one crane); its first cycle starts
 * up to 100 s before `startTs` so the cranes run out of phase.
 */
export function createCraneModel(seed: number, craneId: string, index: number, wind: QuayWind, startTs: number, berth: Berth = new Berth(seed, 1, 1, startTs)): CraneModel {
  const rng = Prng.derive(seed, `crane/${craneId}`);
  const geometry = drawGeometry(rng);
  const gantry = 60_000 + index * 48_000 + rng.int(-4_000, 4_000);
  const planner = new CyclePlanner(geometry, rng, new CargoDraw(rng), berth, gantry, startTs - rng.range(0, 100));
  const model = new CraneModel(craneId, planner, wind, rng.range(0, 2 * Math.PI), gantry);
  berth.attach(planner.berthLane, model);
  return model;
}

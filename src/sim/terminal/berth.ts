import { Prng } from '../random.js';
import { BAY_STEP, CraneStowage } from './stowage.js';
import { MIN_SHARE_MOVES, type VesselCall, vesselCall } from './vessel.js';
import { CYCLE_MIN_S } from './crane-cycle.js';

/** Seconds after a call's last move until the vessel leaves the berth (lashing check, pilot, lines): [min, max]. */
const DEPART_AFTER_SEC: readonly [number, number] = [1_800, 3_600];
/** Seconds the berth stands empty between one vessel's departure and the next one's arrival: [min, max]. */
const IDLE_GAP_SEC: readonly [number, number] = [2 * 3_600, 10 * 3_600];
/** Seconds from a vessel's arrival (first line ashore) to a crane's first move on it (gangway, lashing gangs): [min, max]. */
const FIRST_MOVE_AFTER_SEC: readonly [number, number] = [1_800, 3_600];
/** The vessel of call 1 came alongside this long before the run started, seconds. */
const CALL1_ALONGSIDE_SEC = 3_600;

/**
 * Most calls one berth can see in a run of `durationSec` seconds: call 1, plus one per shortest
 * possible call (the smallest share at the shortest cycle, departure, idle gap and first move).
 */
export function maxCallsWithin(durationSec: number): number {
  const shortest = MIN_SHARE_MOVES * CYCLE_MIN_S + DEPART_AFTER_SEC[0] + IDLE_GAP_SEC[0] + FIRST_MOVE_AFTER_SEC[0];
  return 1 + Math.floor(durationSec / shortest);
}

/** A crane as its berth coordinates it (implemented by `CraneModel`). */
export interface BerthCrane {
  /** Plan the crane's cycles ahead, keeping them, until its share of call `call` is planned to the end. */
  planCall(call: number): void;
  /** Wall-clock time (seconds since the epoch) of process time `p` (see `CraneModel.holdUntil`). */
  wallTs(p: number): number;
  /** Process time of wall-clock time `t`. */
  processTs(t: number): number;
}

/** What one crane works in one call: the vessel and the boxes in its bays. */
export interface CraneShare {
  vessel: VesselCall;
  stowage: CraneStowage;
}

/** One call at the berth. */
interface CallState {
  vessel: VesselCall;
  /** Per lane. */
  shares: CraneShare[];
  /** Process time each lane's last cycle of the call ends; NaN until planned. */
  finish: number[];
  /** Wall-clock arrival and departure, seconds since the epoch; NaN until known. */
  arrivalTs: number;
  departureTs: number;
}

/** A vessel call as the truth lists it: the vessel, its hull, the bays each crane works and when it was alongside. */
export interface BerthCallRecord {
  vessel: VesselCall;
  /** 40-ft bay numbers per crane lane (the cranes of the berth in site order). */
  bays: number[][];
  /** Moves the call takes (discharge and load of every worked cell). */
  moves: number;
  arrivalTs: number;
  /** NaN while the vessel is still alongside (its last move not planned). */
  departureTs: number;
}

/**
 * One berth of the quay and its sequence of vessel calls (`vesselCall(seed, berth, n)`), worked by
 * up to three cranes ("lanes", in site order). For each call the berth splits the vessel's 40-ft bays
 * among its cranes — each crane a run of `baysPerCrane` neighbouring bays (fewer when the hull is
 * short), with at least one bay between cranes, the group placed along the hull by the call's stream
 * `Prng.derive(seed, "berth/<berth>/<call>/place")` — and keeps each share's stowage
 * (`Prng.derive(seed, "stowage/<berth>/<call>/<lane>")`). The vessel departs 30–60 min after the
 * last of its cranes' last moves (wall-clock time, holds included), the berth then stands empty for
 * 2–10 h, and the next call arrives; each crane starts on it 30–60 min after its arrival. Call 1 is
 * alongside when the run starts (arrived an hour before). Departures are found by planning every
 * crane of the berth to the end of the call (`BerthCrane.planCall`), so the cycles of at most one call
 * per crane are held ahead.
 */
export class Berth {
  private readonly calls = new Map<number, CallState>();
  private readonly cranes: BerthCrane[] = [];
  private lanesTaken = 0;

  /**
   * @param seed    the run's seed.
   * @param berth   berth number, 1-based.
   * @param lanes   cranes working the berth, 1–3.
   * @param startTs run start, seconds since the epoch.
   */
  constructor(
    private readonly seed: number,
    readonly berth: number,
    readonly lanes: number,
    private readonly startTs: number,
  ) {}

  /** Take the next crane lane (0-based, in site order); `attach` the crane once it exists. */
  reserve(): number {
    return this.lanesTaken++;
  }

  /** The crane working lane `lane`. */
  attach(lane: number, crane: BerthCrane): void {
    this.cranes[lane] = crane;
  }

  /** Lane `lane`'s share of call `call` (1-based). */
  share(call: number, lane: number): CraneShare {
    return this.state(call).shares[lane];
  }

  /** Record that lane `lane`'s last cycle of call `call` ends at process time `processEndTs`. */
  finished(call: number, lane: number, processEndTs: number): void {
    this.state(call).finish[lane] = processEndTs;
  }

  /** Whether lane `lane`'s share of call `call` is planned to its end. */
  isFinished(call: number, lane: number): boolean {
    return !Number.isNaN(this.state(call).finish[lane]);
  }

  /** Wall-clock arrival of call `call`, seconds since the epoch (plans the previous call to its end). */
  arrivalTs(call: number): number {
    const s = this.state(call);
    if (Number.isNaN(s.arrivalTs)) {
      s.arrivalTs = call === 1 ? this.startTs - CALL1_ALONGSIDE_SEC : this.departureTs(call - 1) + this.stream(call, 'arrive').range(IDLE_GAP_SEC[0], IDLE_GAP_SEC[1]);
    }
    return s.arrivalTs;
  }

  /** Wall-clock departure of call `call`: planned to the end on every lane, then 30–60 min after the last move. */
  departureTs(call: number): number {
    const s = this.state(call);
    if (Number.isNaN(s.departureTs)) {
      let last = -Infinity;
      for (let lane = 0; lane < this.lanes; lane++) {
        const crane = this.cranes[lane];
        if (!this.isFinished(call, lane) && crane !== undefined) crane.planCall(call);
        const f = s.finish[lane];
        if (crane !== undefined && !Number.isNaN(f)) last = Math.max(last, crane.wallTs(f));
      }
      s.departureTs = last + this.stream(call, 'depart').range(DEPART_AFTER_SEC[0], DEPART_AFTER_SEC[1]);
    }
    return s.departureTs;
  }

  /** Process time lane `lane`'s first cycle of call `call` (≥ 2) starts: 30–60 min after the vessel's arrival. */
  firstCycleTs(call: number, lane: number): number {
    const arrival = this.arrivalTs(call);
    const r = Prng.derive(this.seed, `berth/${this.berth}/${call}/lane/${lane}`);
    return this.cranes[lane].processTs(arrival + r.range(FIRST_MOVE_AFTER_SEC[0], FIRST_MOVE_AFTER_SEC[1]));
  }

  /** The calls drawn so far, by number (a few per berth and week; their stowages hold only bays not yet worked). */
  records(): BerthCallRecord[] {
    return [...this.calls.values()].map((s) => ({
      vessel: s.vessel,
      bays: s.shares.map((x) => [...x.stowage.bays]),
      moves: s.shares.reduce((n, x) => n + 2 * x.stowage.cellsPerBay * x.stowage.bays.length, 0),
      arrivalTs: s.arrivalTs,
      departureTs: s.departureTs,
    }));
  }

  /** One of the call's streams (`Prng.derive(seed, "berth/<berth>/<call>/<what>")`), so no draw depends on who asks first. */
  private stream(call: number, what: 'place' | 'arrive' | 'depart'): Prng {
    return Prng.derive(this.seed, `berth/${this.berth}/${call}/${what}`);
  }

  private state(call: number): CallState {
    let s = this.calls.get(call);
    if (s !== undefined) return s;
    const vessel = vesselCall(this.seed, this.berth, call);
    const hull = vessel.hull;
    const n = this.lanes;
    let k = vessel.baysPerCrane;
    while (k > 1 && n * k + (n - 1) > hull.bays40) k--;
    const gap = Math.max(1, Math.min(3, Math.floor((hull.bays40 - n * k) / Math.max(1, n - 1))));
    const span = n * k + (n - 1) * gap;
    const r = this.stream(call, 'place');
    const first = r.int(0, Math.max(0, hull.bays40 - span));
    const shares: CraneShare[] = [];
    for (let lane = 0; lane < n; lane++) {
      const bays: number[] = [];
      for (let j = 0; j < k; j++) bays.push(2 + BAY_STEP * (first + lane * (k + gap) + j));
      shares.push({ vessel, stowage: new CraneStowage(Prng.derive(this.seed, `stowage/${this.berth}/${call}/${lane}`), bays, hull, vessel.workHoldTiers) });
    }
    s = { vessel, shares, finish: shares.map(() => Number.NaN), arrivalTs: Number.NaN, departureTs: Number.NaN };
    this.calls.set(call, s);
    return s;
  }
}

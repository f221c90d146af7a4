import type { Prng } from '../random.js';
import { moveDuration } from './motion.js';
import { type CargoDraw, type ContainerCargo, STACK_TIER_MM } from './cargo.js';
import type { Berth } from './berth.js';
import type { StowedBox, VesselSlot } from './stowage.js';
import type { VesselCall, VesselHull } from './vessel.js';

/** Hoist speed limit with a container, mm/s (~1.5 m/s). */
export const HOIST_LOADED_MM_S = 1_500;
/** Hoist speed limit with the empty spreader, mm/s (~3 m/s). */
export const HOIST_EMPTY_MM_S = 3_000;
/** Trolley speed limit, mm/s (~4 m/s). */
export const TROLLEY_MM_S = 4_000;
/** Gantry travel speed limit, mm/s (~45 m/min). */
export const GANTRY_MM_S = 750;
/** Hoist and trolley acceleration limit, mm/s² (0.8 m/s²). */
export const DRIVE_ACCEL_MM_S2 = 800;
/** Gantry acceleration limit, mm/s². */
export const GANTRY_ACCEL_MM_S2 = 300;
/** Shortest cycle the planner produces, seconds (40 moves an hour). */
export const CYCLE_MIN_S = 90;
/** Longest cycle the planner produces, seconds (~25 moves an hour). */
export const CYCLE_MAX_S = 140;
/** Truck chassis deck height above the quay, mm; the spreader lands on a box there at this + one box. */
const CHASSIS_MM = 1_400;
/** Spacing of truck lanes under the crane (between the legs), mm. */
const LANE_PITCH_MM = 4_000;
/** Gantry travel per unit of bay number (a 40-ft bay, four bay numbers, is ~13.06 m long), mm. */
const HALF_BAY_PITCH_MM = 3_265;
/** Clearance kept above the highest stack while travelling, mm. */
const CLEARANCE_MM = 1_500;

/** Fixed dimensions of one STS crane, mm (figures of current post-Panamax cranes). */
export interface CraneGeometry {
  /** Highest spreader position above the quay (lift height, 40–58 m). */
  liftHeightMm: number;
  /** Trolley reach past the waterside rail (outreach, 60–75 m). */
  outreachMm: number;
  /** Trolley reach landside of the landside rail (backreach). */
  backreachMm: number;
  /** Distance between the rails (rail gauge). */
  railGaugeMm: number;
}

/** Draw the geometry of one crane. */
export function drawGeometry(rng: Prng): CraneGeometry {
  return {
    liftHeightMm: rng.int(40_000, 58_000),
    outreachMm: rng.int(60_000, 75_000),
    backreachMm: rng.int(15_000, 25_000),
    railGaugeMm: 30_480,
  };
}

/**
 * Kind of a container move: discharge (vessel to shore), load (shore to vessel) or restow — a box
 * that stays on board but is moved for the stowage plan, here by taking it ashore onto a truck lane
 * and reloading it into its cell later in the bay (a "shore restow", two moves; SMDG COARRI EQD
 * 8249 code 5, shifter).
 */
export type MoveKind = 'discharge' | 'load' | 'restow';

/** One container move the crane performs: what moves where and when. */
export interface CraneMove {
  /** 0-based move number of this crane. */
  seq: number;
  kind: MoveKind;
  /** True when the box goes from the vessel to the truck lane (a discharge, or a restow taken ashore). */
  toShore: boolean;
  cargo: ContainerCargo;
  /** The vessel call the move works. */
  call: VesselCall;
  vessel: VesselSlot;
  /** Truck lane under the crane (1-based) the box is set on or picked from. */
  lane: number;
  /** Cycle start and end, lock and unlock of the twistlocks, seconds since the epoch. */
  startTs: number;
  endTs: number;
  lockTs: number;
  unlockTs: number;
  /** Spreader landed on the box at the pick and at the place: [from, to) seconds since the epoch. */
  pickLanded: readonly [number, number];
  placeLanded: readonly [number, number];
}

/** Hoist drive: index into a cycle's segment tables. */
export const HOIST = 0;
/** Trolley drive: index into a cycle's segment tables. */
export const TROLLEY = 1;
/** Gantry drive: index into a cycle's segment tables. */
export const GANTRY = 2;
/** Motion segments an axis may have in one cycle (the hoist has four: down, up, down, up). */
const MAX_SEGMENTS = 4;
/** Values per segment: start time, from, to, speed limit, acceleration. */
const SEG_FIELDS = 5;

/**
 * One planned crane cycle: the move and, for each drive, up to four point-to-point motions
 * (`motion.ts` trapezoids). An axis rests at its last target between and after its motions.
 */
export class CraneCycle {
  /** [axis][segment][field] flattened: t0, p0, p1, v, a. */
  readonly seg = new Float64Array(3 * MAX_SEGMENTS * SEG_FIELDS);
  readonly count = new Uint8Array(3);
  /** Position of each axis at the cycle start, mm. */
  readonly start = new Float64Array(3);

  constructor(readonly move: CraneMove) {}

  /** Append a motion of `axis` from `p0` to `p1` starting at `t0`; returns its duration (s). */
  add(axis: number, t0: number, p0: number, p1: number, v: number, a: number): number {
    const i = (axis * MAX_SEGMENTS + this.count[axis]++) * SEG_FIELDS;
    const s = this.seg;
    s[i] = t0;
    s[i + 1] = p0;
    s[i + 2] = p1;
    s[i + 3] = v;
    s[i + 4] = a;
    return moveDuration(p1 - p0, v, a);
  }

  /** Offset of segment `k` of `axis` in `seg`. */
  static offset(axis: number, k: number): number {
    return (axis * MAX_SEGMENTS + k) * SEG_FIELDS;
  }
}

/** Where the crane is between cycles. */
interface Pose {
  hoist: number;
  trolley: number;
  gantry: number;
}

/** The next move as the planner chose it. */
interface NextMove {
  kind: MoveKind;
  toShore: boolean;
  call: VesselCall;
  vessel: VesselSlot;
  lane: number;
  cargo: ContainerCargo;
}

/** Seconds before a call's first cycle by which the crane has travelled back to its home position. */
const REPOSITION_LEAD_S = 60;

/**
 * Plans a crane's work as a sequence of vessel calls at its berth (`Berth`), each a finite run of
 * container moves: bay by bay over the crane's share of the call (gantry travel of one 40-ft bay
 * pitch between bays), each bay discharged deck-then-hold, row by row from the top tier down, then
 * loaded back in reverse order. The boxes discharged are the ones on board (the share's stowage, the
 * source of the vessel's BAPLIE); the boxes loaded are drawn from `cargo`. The boxes the stowage marks
 * as restows (stowage.ts `RESTOW_SHARE`) are taken ashore in the discharge pass and reloaded into the
 * same cell in the load pass. A discharge lowers the empty spreader into the vessel, lands, locks, hoists,
 * trolleys landside (starting once the box clears the hatch), lowers onto a truck, unlocks and
 * returns; a load does the reverse. Waiting time is added so each cycle lasts 90–140 s. When the
 * share is done the crane tells the berth and waits for the next call: it gantries back to its home
 * position (`quayGantryMm`, where each call's first bay lies) during the idle time and starts when
 * the berth says (`Berth.firstCycleTs`). Seeded, deterministic.
 */
export class CyclePlanner {
  private seq = 0;
  private readonly pose: Pose;
  /** Call being planned (1-based). */
  private callNo = 1;
  /** Boxes on board and worked cells of the current bay, in discharge order. */
  private box: readonly StowedBox[] = [];
  private slots: VesselSlot[] = [];
  private slotIdx = 0;
  private phase: 'discharge' | 'load' = 'discharge';
  /** 0-based number of the bay of the share being worked. */
  private bayIndex = 0;
  /** Boxes of the current bay taken ashore as restows, by their index in discharge order. */
  private readonly restowed = new Map<number, StowedBox>();
  private next: NextMove;
  /** The next cycle is the first of a new call: start it when the berth says, after a gantry back home. */
  private awaitingCall = false;
  private readonly lane: number;

  /**
   * @param berth        the berth whose calls the crane works; the planner takes a lane of it.
   * @param quayGantryMm gantry position of the first bay of each call, mm along the quay rail.
   * @param startTs      time of the first cycle's start, seconds since the epoch.
   */
  constructor(
    readonly geometry: CraneGeometry,
    private readonly rng: Prng,
    private readonly cargo: CargoDraw,
    readonly berth: Berth,
    private readonly quayGantryMm: number,
    private nextStartTs: number,
  ) {
    this.lane = berth.reserve();
    this.enterBay();
    this.next = this.drawNext();
    this.pose = { hoist: this.travelHeight(this.next.call.hull), trolley: this.pickX(this.next), gantry: quayGantryMm };
  }

  /** The crane's lane at its berth (0-based). */
  get berthLane(): number {
    return this.lane;
  }

  /** Plan the next cycle (starts where the previous one ended, or when the next call is ready). */
  plan(): CraneCycle {
    const rng = this.rng;
    const m = this.next;
    const pose = this.pose;
    let repositionFrom = Number.NaN;
    if (this.awaitingCall) {
      this.awaitingCall = false;
      this.nextStartTs = Math.max(this.nextStartTs, this.berth.firstCycleTs(m.call.call, this.lane));
      if (pose.gantry !== this.quayGantryMm) repositionFrom = pose.gantry;
      pose.gantry = this.quayGantryMm;
    }
    const t0 = this.nextStartTs;
    const h0 = pose.hoist;
    const hull = m.call.hull;
    const travel = this.travelHeight(hull);
    const vesselH = this.slotHeight(hull, m.vessel);
    const truckH = CHASSIS_MM + STACK_TIER_MM;
    const pickH = m.toShore ? vesselH : truckH;
    const placeH = m.toShore ? truckH : vesselH;
    const pickX = this.pickX(m);
    const placeX = m.toShore ? this.laneX(m.lane) : this.vesselX(hull, m.vessel);

    const seqNo = this.seq++;
    const callDone = this.advance();
    const following = this.next;
    const nextPickX = this.pickX(following);
    const section = callDone ? 0 : baySection(following.vessel.bay) - baySection(m.vessel.bay);
    const bayChange = section !== 0;
    const nextGantry = pose.gantry + section * HALF_BAY_PITCH_MM;

    const move: CraneMove = {
      seq: seqNo,
      kind: m.kind,
      toShore: m.toShore,
      cargo: m.cargo,
      call: m.call,
      vessel: m.vessel,
      lane: m.lane,
      startTs: t0,
      endTs: 0,
      lockTs: 0,
      unlockTs: 0,
      pickLanded: [0, 0],
      placeLanded: [0, 0],
    };
    const c = new CraneCycle(move);
    c.start[HOIST] = h0;
    c.start[TROLLEY] = pose.trolley;
    c.start[GANTRY] = pose.gantry;
    if (!Number.isNaN(repositionFrom)) {
      // Back home over the new vessel's first bay while the berth was empty; done before the cycle starts.
      const dur = moveDuration(this.quayGantryMm - repositionFrom, GANTRY_MM_S, GANTRY_ACCEL_MM_S2);
      c.start[GANTRY] = repositionFrom;
      c.add(GANTRY, t0 - REPOSITION_LEAD_S - dur, repositionFrom, this.quayGantryMm, GANTRY_MM_S, GANTRY_ACCEL_MM_S2);
    }
    const a = DRIVE_ACCEL_MM_S2;
    // Lower the empty spreader onto the box.
    let t = t0;
    t += c.add(HOIST, t, h0, pickH, HOIST_EMPTY_MM_S, a);
    const dwell1 = rng.range(5, 9);
    const lockTs = t + dwell1 * rng.range(0.35, 0.65);
    const pickLanded: [number, number] = [t, t + dwell1];
    t += dwell1;
    // Hoist loaded; the trolley starts once the box is most of the way up.
    const hoistUp = moveDuration(travel - pickH, HOIST_LOADED_MM_S, a);
    c.add(HOIST, t, pickH, travel, HOIST_LOADED_MM_S, a);
    const trolleyStart = t + 0.6 * hoistUp;
    const tr = c.add(TROLLEY, trolleyStart, pickX, placeX, TROLLEY_MM_S, a);
    const afterCarry = Math.max(t + hoistUp, trolleyStart + tr);
    // Remaining fixed durations, to size the wait before the set-down.
    const lower = moveDuration(placeH - travel, HOIST_LOADED_MM_S, a);
    const dwell2 = rng.range(5, 9);
    const hoistBack = moveDuration(travel - placeH, HOIST_EMPTY_MM_S, a);
    const back = moveDuration(nextPickX - placeX, TROLLEY_MM_S, a);
    const gantryDur = bayChange ? moveDuration(nextGantry - pose.gantry, GANTRY_MM_S, GANTRY_ACCEL_MM_S2) : 0;
    const returnDur = Math.max(hoistBack, 0.4 * hoistBack + back, gantryDur);
    const base = afterCarry - t0 + lower + dwell2 + returnDur;
    const room = Math.min(CYCLE_MAX_S - base, 30);
    const wait = Math.max(0, CYCLE_MIN_S - base) + (room > 0 ? rng.range(0, room) * rng.float() : 0);
    t = afterCarry + Math.max(0, Math.min(wait, CYCLE_MAX_S - base));
    t += c.add(HOIST, t, travel, placeH, HOIST_LOADED_MM_S, a);
    const unlockTs = t + dwell2 * rng.range(0.35, 0.65);
    const placeLanded: [number, number] = [t, t + dwell2];
    t += dwell2;
    // Hoist empty; trolley back towards the next pick; gantry to the next bay when it changes.
    c.add(HOIST, t, placeH, travel, HOIST_EMPTY_MM_S, a);
    c.add(TROLLEY, t + 0.4 * hoistBack, placeX, nextPickX, TROLLEY_MM_S, a);
    if (bayChange) c.add(GANTRY, t, pose.gantry, nextGantry, GANTRY_MM_S, GANTRY_ACCEL_MM_S2);
    const end = t + returnDur;

    move.endTs = end;
    move.lockTs = lockTs;
    move.unlockTs = unlockTs;
    move.pickLanded = pickLanded;
    move.placeLanded = placeLanded;
    pose.hoist = travel;
    pose.trolley = nextPickX;
    pose.gantry = nextGantry;
    this.nextStartTs = end;
    if (callDone) {
      this.berth.finished(m.call.call, this.lane, end);
      this.awaitingCall = true;
    }
    return c;
  }

  /** Travel height over `hull`: over its deck stack with a hanging box and clearance, below the lift height. */
  private travelHeight(hull: VesselHull): number {
    return Math.min(this.geometry.liftHeightMm - 2_000, hull.deckMm + (hull.deckTiers + 1) * STACK_TIER_MM + CLEARANCE_MM);
  }

  /**
   * Height of the spreader landed on the box in `s` (top of the box), mm above the quay: deck tier k
   * (80 + 2k) tops out k boxes above the hatch covers; hold tier k (2k) lies (holdTiers − k) boxes below them.
   */
  private slotHeight(hull: VesselHull, s: VesselSlot): number {
    if (s.tier >= 80) return hull.deckMm + ((s.tier - 80) / 2) * STACK_TIER_MM;
    return hull.deckMm - (hull.holdTiers - s.tier / 2) * STACK_TIER_MM;
  }

  /** Trolley position over the row of `s` (rows numbered from the centre line: odd landside half, even seaward half), mm. */
  private vesselX(hull: VesselHull, s: VesselSlot): number {
    const g = this.geometry;
    const half = (hull.rows - 1) / 2;
    const idx = s.row === 0 ? half : s.row % 2 === 1 ? half - (s.row + 1) / 2 : half + s.row / 2;
    return g.backreachMm + g.railGaugeMm + 6_000 + idx * 2_440 + 1_220;
  }

  /** Trolley position over truck lane `lane` (1-based, between the legs), mm. */
  private laneX(lane: number): number {
    return this.geometry.backreachMm + 3_000 + (lane - 1) * LANE_PITCH_MM + LANE_PITCH_MM / 2;
  }

  /** Trolley position of a move's pick: over the vessel row when the box leaves the vessel, else over the lane. */
  private pickX(m: NextMove): number {
    return m.toShore ? this.vesselX(m.call.hull, m.vessel) : this.laneX(m.lane);
  }

  /** Take up bay `bayIndex` of the current call's share: its boxes and worked cells, no restows yet. */
  private enterBay(): void {
    const st = this.berth.share(this.callNo, this.lane).stowage;
    this.box = st.bay(this.bayIndex);
    this.slots = st.slots(this.bayIndex);
    this.restowed.clear();
  }

  /**
   * Move on to the next slot: discharge the bay, load it back in reverse, then the next bay of the
   * share, then the first bay of the next call. Returns true when the share of the call is done.
   */
  private advance(): boolean {
    let callDone = false;
    this.slotIdx++;
    if (this.slotIdx >= this.slots.length) {
      this.slotIdx = 0;
      if (this.phase === 'discharge') this.phase = 'load';
      else {
        this.phase = 'discharge';
        const st = this.berth.share(this.callNo, this.lane).stowage;
        this.bayIndex++;
        st.release(this.bayIndex);
        if (this.bayIndex >= st.bays.length) {
          callDone = true;
          this.callNo++;
          this.bayIndex = 0;
        }
        this.enterBay();
      }
    }
    this.next = this.drawNext();
    return callDone;
  }

  /**
   * The move at the current slot: its box, kind, vessel slot (odd bay for a 20-ft box) and truck lane.
   * A discharge takes the box stowed in the cell (a restow when the stowage marks it so); a load
   * reloads a restowed box into its cell, or draws a new box for it.
   */
  private drawNext(): NextMove {
    const call = this.berth.share(this.callNo, this.lane).vessel;
    if (this.phase === 'discharge') {
      const box = this.box[this.slotIdx];
      if (box.restow) this.restowed.set(this.slotIdx, box);
      return { kind: box.restow ? 'restow' : 'discharge', toShore: true, call, vessel: box.slot, lane: this.rng.int(1, 5), cargo: box.cargo };
    }
    const k = this.slots.length - 1 - this.slotIdx;
    const back = this.restowed.get(k);
    if (back !== undefined) return { kind: 'restow', toShore: false, call, vessel: back.slot, lane: this.rng.int(1, 5), cargo: back.cargo };
    const slot = this.slots[k];
    const cargo = this.cargo.draw(this.rng);
    const bay = cargo.sizeFt === 20 ? slot.bay - 1 : slot.bay;
    return { kind: 'load', toShore: false, call, vessel: { bay, row: slot.row, tier: slot.tier }, lane: this.rng.int(1, 5), cargo };
  }
}

/** The 40-ft bay number a bay belongs to (20-ft bays 01/03 lie in 40-ft bay 02). */
function baySection(bay: number): number {
  return bay % 2 === 1 ? (bay % 4 === 1 ? bay + 1 : bay - 1) : bay;
}

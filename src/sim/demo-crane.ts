import { DemoRegister } from './demo-site.js';
import { type ProcessImage, RegisterBank } from './modbus/register-bank.js';
import type { Prng } from './random.js';

/** Spreader travel height above quay level between moves, mm. */
const TRAVEL_MM = 30_000;
/** Hoist speeds (DESIGN.md: ~1.5 m/s loaded, ~3 m/s empty) and trolley speed (~4 m/s), mm/s. */
const HOIST_LOADED_MM_S = 1_500;
const HOIST_EMPTY_MM_S = 3_000;
const TROLLEY_MM_S = 4_000;
/** Time the spreader sits landed while twistlocks lock or unlock, s; locks turn halfway through. */
const DWELL_S = 6;
/** Truck chassis deck height above quay level, mm. */
const CHASSIS_MM = 1_400;
/** Operating mode register value for semi-automatic operation (see DEMO_REGISTER_MAP). */
const MODE_SEMI_AUTO = 2;

/**
 * A ship-to-shore crane discharging a vessel onto trucks, for the demo capture: a plausible,
 * seeded sequence of move cycles (~80–110 s each: lower empty into the bay, lock, hoist loaded,
 * trolley landside, lower onto the truck, unlock, hoist empty, trolley back to the next row),
 * evaluated as a pure function of time by linear interpolation between the cycle's keyframes.
 * Writes the demo register map (demo-site.ts) into the PLC's holding registers on every `update`.
 * Times are seconds since the epoch; `update` must be called with non-decreasing times.
 */
export class DemoCrane implements ProcessImage {
  /** Keyframe times, hoist heights (mm) and trolley positions (mm) of the current cycle. */
  private readonly kt = new Float64Array(9);
  private readonly kh = new Float64Array(9);
  private readonly kx = new Float64Array(9);
  private weightKg = 0;
  private spreaderFt = 40;
  private vesselX: number;
  private readonly windPhase: number;
  /** Moves completed (cycles whose end lies before the latest `update`). */
  moves = 0;

  /**
   * @param startTs     the first cycle starts up to 60 s before this, so cranes run out of phase.
   * @param gantryMm    gantry position along the quay while working, mm.
   * @param windBaseMs  mean wind speed at the boom top, m/s.
   */
  constructor(
    private readonly rng: Prng,
    startTs: number,
    private readonly gantryMm: number,
    private readonly windBaseMs: number,
  ) {
    this.vesselX = rng.int(62_000, 92_000);
    this.windPhase = rng.range(0, 2 * Math.PI);
    this.plan(startTs - rng.range(0, 60));
  }

  update(ts: number, bank: RegisterBank): void {
    while (ts >= this.kt[8]) {
      this.moves++;
      this.plan(this.kt[8]);
    }
    const kt = this.kt;
    let i = 0;
    while (i < 7 && ts >= kt[i + 1]) i++;
    const span = kt[i + 1] - kt[i];
    const f = span > 0 ? Math.min(1, Math.max(0, (ts - kt[i]) / span)) : 1;
    const hoist = Math.round(this.kh[i] + (this.kh[i + 1] - this.kh[i]) * f);
    const trolley = Math.round(this.kx[i] + (this.kx[i + 1] - this.kx[i]) * f);
    const locked = ts >= kt[1] + DWELL_S / 2 && ts < kt[5] + DWELL_S / 2;
    const lifted = ts >= kt[2] && ts < kt[5];
    const t = ts - kt[0];
    const wind =
      this.windBaseMs +
      1.5 * Math.sin((2 * Math.PI * ts) / 47 + this.windPhase) +
      0.6 * Math.sin((2 * Math.PI * t) / 13) +
      this.rng.range(-0.3, 0.3);
    const h = bank.holdingRegisters;
    RegisterBank.putU32(h, DemoRegister.HOIST_POSITION, hoist);
    RegisterBank.putU32(h, DemoRegister.TROLLEY_POSITION, trolley);
    RegisterBank.putU32(h, DemoRegister.GANTRY_POSITION, this.gantryMm);
    h[DemoRegister.LOAD] = lifted ? this.weightKg : 0;
    h[DemoRegister.TWISTLOCK_STATE] = locked ? 1 : 0;
    h[DemoRegister.SPREADER_SIZE] = this.spreaderFt;
    h[DemoRegister.WIND_SPEED] = Math.max(0, Math.round(wind * 10));
    h[DemoRegister.OPERATING_MODE] = MODE_SEMI_AUTO;
    h[DemoRegister.EMERGENCY_STOP] = 0;
  }

  /** Lay out the keyframes of one discharge cycle starting at `t0`. */
  private plan(t0: number): void {
    const rng = this.rng;
    const pickMm = rng.int(-9_000, 14_000);
    const laneX = 24_000 + 4_000 * rng.int(0, 2);
    const highCube = rng.chance(0.4);
    const truckMm = CHASSIS_MM + (highCube ? 2_896 : 2_591);
    const nextX = rng.int(62_000, 92_000);
    const r = rng.float();
    this.spreaderFt = r < 0.3 ? 20 : r < 0.9 ? 40 : 45;
    this.weightKg = rng.int(this.spreaderFt === 20 ? 3_000 : 4_500, this.spreaderFt === 20 ? 28_000 : 32_000);
    const x0 = this.vesselX;
    const kt = this.kt;
    const kh = this.kh;
    const kx = this.kx;
    const seg = [
      0,
      (TRAVEL_MM - pickMm) / HOIST_EMPTY_MM_S,
      DWELL_S,
      (TRAVEL_MM - pickMm) / HOIST_LOADED_MM_S,
      Math.abs(x0 - laneX) / TROLLEY_MM_S,
      (TRAVEL_MM - truckMm) / HOIST_LOADED_MM_S,
      DWELL_S,
      (TRAVEL_MM - truckMm) / HOIST_EMPTY_MM_S,
      Math.abs(nextX - laneX) / TROLLEY_MM_S,
    ];
    const hs = [TRAVEL_MM, pickMm, pickMm, TRAVEL_MM, TRAVEL_MM, truckMm, truckMm, TRAVEL_MM, TRAVEL_MM];
    const xs = [x0, x0, x0, x0, laneX, laneX, laneX, laneX, nextX];
    let t = t0;
    for (let i = 0; i < 9; i++) {
      t += seg[i];
      kt[i] = t;
      kh[i] = hs[i];
      kx[i] = xs[i];
    }
    this.vesselX = nextX;
  }
}

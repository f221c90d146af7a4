import { Prng } from '../random.js';

/** Number of sinusoidal components of the quay-wide wind. */
const COMPONENTS = 5;
/** Periods of the components, seconds: weather drift down to gusts. */
const PERIODS = [5400, 1500, 420, 95, 31];
/** Amplitudes of the components, m/s. */
const AMPLITUDES = [2.2, 1.3, 0.8, 0.5, 0.3];

/**
 * Wind along the quay as the cranes' boom-top anemometers see it: a smooth quay-wide field
 * (mean plus sinusoids of seeded phases, periods from 90 min down to 31 s) that reaches a crane
 * `gantryMm / 8000` seconds later the further it stands downwind, plus a small smooth per-crane
 * deviation. Neighbouring cranes therefore read nearly the same speed, as a cross-check between
 * redundant sensors expects. Deterministic: a pure function of (seed, time, crane).
 */
export class QuayWind {
  private readonly phases = new Float64Array(COMPONENTS);
  /** Mean speed over the run, m/s (5–9 m/s, a working breeze). */
  readonly meanMs: number;
  /** Gusts as [fromTs, durationSec, extraMs] triples; bounded by the number of scenarios of the run. */
  private readonly gusts: number[] = [];

  constructor(seed: number) {
    const rng = Prng.derive(seed, 'wind');
    this.meanMs = rng.range(5, 9);
    for (let i = 0; i < COMPONENTS; i++) this.phases[i] = rng.range(0, 2 * Math.PI);
  }

  /**
   * Add a gust front spanning the whole quay: over [`fromTs`, `fromTs` + `durationSec`) every crane's
   * wind rises by `extraMs` × sin²(π (t − fromTs) / durationSec) m/s — smoothly up to `extraMs` at
   * mid-gust and back. Call before the wind is read; gusts may overlap (they add).
   */
  addGust(fromTs: number, durationSec: number, extraMs: number): void {
    this.gusts.push(fromTs, durationSec, extraMs);
  }

  /**
   * Speed in m/s (≥ 0) at `ts` (seconds since the epoch) for a crane at `gantryMm` along the quay,
   * whose own deviation has phase `cranePhase` (radians, drawn once per crane), gusts included.
   */
  speedMs(ts: number, gantryMm: number, cranePhase: number): number {
    const t = ts - gantryMm / 8000;
    let w = this.meanMs;
    for (let i = 0; i < COMPONENTS; i++) w += AMPLITUDES[i] * Math.sin((2 * Math.PI * t) / PERIODS[i] + this.phases[i]);
    w += 0.25 * Math.sin((2 * Math.PI * ts) / 17 + cranePhase) + 0.1 * Math.sin((2 * Math.PI * ts) / 7.3 + 2 * cranePhase);
    const g = this.gusts;
    for (let i = 0; i < g.length; i += 3) {
      const dt = ts - g[i];
      if (dt >= 0 && dt < g[i + 1]) {
        const s = Math.sin((Math.PI * dt) / g[i + 1]);
        w += g[i + 2] * s * s;
      }
    }
    return w > 0 ? w : 0;
  }
}

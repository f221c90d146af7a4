import type { LogRecord } from '../../events/record.js';

/**
 * The `crane_state` fields the crane detectors read (crane/state/streams.ts), as numbers: mm, mm/s,
 * kg, m/s; flags 0/1; NaN where the record leaves a field unset (a signal the map lacks or the wire
 * never showed).
 */
export interface CraneStateView {
  ts: number;
  crane: string;
  plc: string;
  uid: string;
  hoist: number;
  trolley: number;
  gantry: number;
  hoistSpeed: number;
  trolleySpeed: number;
  load: number;
  locked: number;
  landed: number;
  wind: number;
  mode: number;
  estop: number;
  windStop: number;
  /** The empty spreader's load-cell reading (tare) the crane model learned, kg. */
  spreaderKg: number;
}

/** An empty view to fill with `readCraneState` (one per detector, reused for every record). */
export function newCraneStateView(): CraneStateView {
  const n = Number.NaN;
  return { ts: n, crane: '', plc: '', uid: '', hoist: n, trolley: n, gantry: n, hoistSpeed: n, trolleySpeed: n, load: n, locked: n, landed: n, wind: n, mode: n, estop: n, windStop: n, spreaderKg: n };
}

/** A numeric field or NaN. */
function num(r: LogRecord, name: string): number {
  const v = r[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/** A string field or ''. */
function str(r: LogRecord, name: string): string {
  const v = r[name];
  return typeof v === 'string' ? v : '';
}

/** A bool field as 0/1, or NaN. */
function flag(r: LogRecord, name: string): number {
  const v = r[name];
  return v === true ? 1 : v === false ? 0 : Number.NaN;
}

/** Fill `out` from one `crane_state` record (never throws; odd fields read as NaN or ''). Allocation-free. */
export function readCraneState(r: LogRecord, out: CraneStateView): CraneStateView {
  out.ts = num(r, 'ts');
  out.crane = str(r, 'crane');
  out.plc = str(r, 'plc_h');
  out.uid = str(r, 'uid');
  out.hoist = num(r, 'hoist_position_mm');
  out.trolley = num(r, 'trolley_position_mm');
  out.gantry = num(r, 'gantry_position_mm');
  out.hoistSpeed = num(r, 'hoist_speed_mm_s');
  out.trolleySpeed = num(r, 'trolley_speed_mm_s');
  out.load = num(r, 'load_kg');
  out.locked = flag(r, 'twistlock_locked');
  out.landed = flag(r, 'spreader_landed');
  out.wind = num(r, 'wind_speed_ms');
  out.mode = num(r, 'operating_mode');
  out.estop = flag(r, 'emergency_stop');
  out.windStop = num(r, 'wind_stop_threshold_ms');
  out.spreaderKg = num(r, 'spreader_kg');
  return out;
}

/**
 * Median of the first `n` values of `a` (sorted in place). NaN for n = 0. Used on a detector's
 * scratch array of neighbouring cranes' readings.
 */
export function medianOf(a: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const v = a.subarray(0, n).sort();
  return n % 2 === 1 ? v[(n - 1) >> 1] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

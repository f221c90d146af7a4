import { DEFAULT_LIMITS, type Limits } from '../../config/limits.js';
import { CwError } from '../../errors.js';
import type { LogRecord, LogSink, StreamName } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import type { SiteCrane } from '../../policy/site-schema.js';
import { hashId } from '../../session/uid.js';
import { type JobDone, MoveFacts, type OcrRead } from './move-join.js';
import { ApplyOutcome, RegisterImage } from './register-image.js';
import { type CompiledSignal, compileSignals, coveredItems, decodeWords } from './signal-decoder.js';
import { Role, ROLE_COUNT } from './signal-roles.js';
import { CONTAINER_MOVE_STREAM, CRANE_STATE_STREAM } from './streams.js';

/** Default sample period of `crane_state`, seconds of capture time. */
export const DEFAULT_SAMPLE_SEC = 1;
/** A crane whose values stay the same still gets one `crane_state` record this often, seconds. */
export const DEFAULT_HEARTBEAT_SEC = 60;
/** Hoist rise after the lock that counts as a lift when the map has no `spreader_landed` signal, mm. */
const LIFT_WITHOUT_LANDED_MM = 1_000;
/** Trolley travel between lock and unlock below which the move kind is left unknown, mm. */
const KIND_MIN_TRAVEL_MM = 1_000;
/** Load readings of an empty leg kept to learn the spreader's tare (the latest ones before the lock). */
const TARE_READINGS = 64;

/** Seconds after the unlock a move waits for its job-done record before it is written without one. */
export const JOB_DONE_WAIT_SEC = 60;
/** Seconds after the unlock a joined move waits for its ports (COARRI reports are typically half-hourly). */
export const PORTS_WAIT_SEC = 2_400;
/** Moves waiting for their TOS records at once; beyond it the oldest is written as it stands. */
const MAX_WAITING_MOVES = 1024;

/** A reconstructed move waiting for its TOS records (OCR read, job-done record, COARRI ports). */
interface WaitingMove {
  readonly crane: string;
  readonly lockTs: number;
  readonly unlockTs: number;
  readonly rec: Record<string, LogRecord[string]>;
  /** The TOS facts joined so far, kept here once found (the per-crane lists only hold the latest ones). */
  jd: JobDone | null;
  ocr: OcrRead | null;
}

/** Names of the `operating_mode` codes (sim/terminal/crane-model.ts; a site's PLC may use others). */
const MODE_NAMES = ['off', 'manual', 'semi_automatic', 'remote', 'maintenance'];

/** Options of `CraneTracker`. */
export interface CraneTrackerOptions {
  /** Shortest time between two `crane_state` records of one crane while values change, seconds (> 0; default 1). */
  sampleSec?: number;
  /** Longest time between two `crane_state` records of one crane while values stay the same, seconds (default 60). */
  heartbeatSec?: number;
  /**
   * Spreader and headblock reading subtracted from the hanging load to give a box's gross mass until the
   * crane's own tare is learned from an empty leg, kg, for every crane (default: each crane's
   * `spreader_kg` from the site's thresholds, SitePolicy.thresholdsOf; DESIGN.md: a spreader is ~15 t).
   */
  spreaderKg?: number;
  /** Bounds (config/limits.ts); `maxRegisterImageItems` sizes each PLC's register image. */
  limits?: Readonly<Limits>;
}

/** Field names of the roles in `crane_state`, in `Role` order (null: written separately). */
const ROLE_FIELDS = [
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
  'wind_stop_threshold_ms',
] as const;

/**
 * The tare of an empty leg's readings: the mean of those at least half the highest (so readings taken
 * while the spreader stood landed, near zero, are left out when the map has no landed signal); NaN
 * when there are none.
 */
function legTare(leg: Float64Array, n: number): number {
  const k = Math.min(n, leg.length);
  if (k === 0) return Number.NaN;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) if (leg[i] > max) max = leg[i];
  let sum = 0;
  let m = 0;
  for (let i = 0; i < k; i++) {
    if (leg[i] >= max / 2) {
      sum += leg[i];
      m++;
    }
  }
  return Math.round(sum / m);
}

/** Roles logged as booleans. */
const FLAG_ROLES: ReadonlySet<number> = new Set([Role.LOCKED, Role.LANDED, Role.ESTOP]);

/** One crane being tracked: its PLC image, decoded values, sampling and move state. */
class TrackedCrane {
  readonly signals: CompiledSignal[];
  readonly image: RegisterImage;
  /** Image slots of each signal's first and second item (-1 for none), resolved once. */
  readonly slotA: Int32Array;
  readonly slotB: Int32Array;
  /** Signal index of each role (first signal of the map with that role), or -1. */
  readonly roleSignal = new Int16Array(ROLE_COUNT).fill(-1);
  /** Indices of the plain signals (no role). */
  readonly plain: number[] = [];
  /** Current value of each signal of the map (canonical units), NaN while unknown. */
  readonly values: Float64Array;
  /** Values last written to `crane_state`. */
  readonly emitted: Float64Array;
  lastEmitTs = Number.NEGATIVE_INFINITY;
  lastRowTs = Number.NaN;
  /** Values differ from the ones last written. */
  dirty = false;
  prevLocked = Number.NaN;
  moveOpen = false;
  lifted = false;
  lockTs = 0;
  lockHoist = Number.NaN;
  lockTrolley = Number.NaN;
  lockGantry = Number.NaN;
  hangSum = 0;
  hangN = 0;
  /** Load readings of the current empty leg (twistlocks unlocked, spreader not reported landed), a ring. */
  readonly leg = new Float64Array(TARE_READINGS);
  legN = 0;
  /** The empty spreader's load-cell reading learned at the last lock, kg; NaN before. */
  tareKg = Number.NaN;
  /** The tare assumed before one is learned, kg. */
  readonly spreaderKg: number;

  constructor(
    readonly crane: SiteCrane,
    readonly plcIp: string,
    maxItems: number,
    spreaderKg: number,
  ) {
    this.spreaderKg = spreaderKg;
    this.signals = compileSignals(crane);
    this.image = new RegisterImage(maxItems, coveredItems(this.signals));
    this.slotA = Int32Array.from(this.signals, (s) => this.image.slotOf(s.table, s.address));
    this.slotB = Int32Array.from(this.signals, (s) => (s.words === 2 ? this.image.slotOf(s.table, s.address + 1) : -1));
    this.signals.forEach((s, i) => {
      if (s.role < 0) this.plain.push(i);
      else if (this.roleSignal[s.role] < 0) this.roleSignal[s.role] = i;
    });
    this.values = new Float64Array(this.signals.length).fill(Number.NaN);
    this.emitted = new Float64Array(this.signals.length).fill(Number.NaN);
  }

  /** Current value of a role, NaN when unmapped or unknown. */
  role(r: number): number {
    const i = this.roleSignal[r];
    return i < 0 ? Number.NaN : this.values[i];
  }
}

/** Same value, NaN equal to NaN. */
function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** A value for a log record: null when unknown. */
function val(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/**
 * The crane model stage (DESIGN.md: event → crane model): a LogSink fed the pipeline's records that
 * keeps, per crane of the site file, a register image of its PLC (the PLC's address and the crane's
 * `unit_id`, so one gateway address may serve several cranes; crane/state/register-image.ts) from the `modbus_detailed` rows, decodes the register map
 * (signal-decoder.ts, roles per signal-roles.ts), and writes to `out`:
 * - `crane_state` (streams.ts): per crane at most once per `sampleSec` of capture time while values
 *   change, and once per `heartbeatSec` while they stay the same;
 * - `container_move`: twistlocks going from unlocked to locked with the spreader landed (or, without
 *   a landed signal, whatever the spreader does), the box lifted (spreader hanging, or the hoist up by
 *   1 m, with the twistlocks locked), then unlocked. Lock and unlock times are those of the first poll
 *   that shows them (within one poll interval); gross mass is the mean hanging load less the spreader's
 *   tare — learned at each lock from the empty leg before it (the last 64 readings with the twistlocks
 *   unlocked and the spreader not reported landed, those at least half the highest averaged), so a load
 *   cell that includes the headblock (about 15 t) and one tared without it both give the box's mass;
 *   `spreaderKg` until a tare is learned;
 *   the kind follows the trolley: towards landside (lower trolley position) between lock and unlock is
 *   a discharge, seaward a load — or a restow when the move's job-done record says so (DESIGN.md move
 *   kinds). A lock and unlock without a lift (a re-seat) is no move.
 * Call `finish` once at the end of input (before the detection engine's) to write each crane's latest
 * changed values. Bounded: one image of at most `maxRegisterImageItems` items per crane; constant
 * state per crane otherwise. Rows whose server is not a site crane's PLC, or whose unit id differs
 * from the crane's, are ignored. Per row: no allocation unless a record is written.
 */
export class CraneTracker implements LogSink {
  /** Cranes by PLC address (several when one address serves several unit ids, e.g. a gateway). */
  private readonly byIp = new Map<string, TrackedCrane[]>();
  private readonly cranes: TrackedCrane[] = [];
  private readonly sampleSec: number;
  private readonly heartbeatSec: number;
  private finished = false;
  private readonly facts = new MoveFacts();
  private readonly waiting: WaitingMove[] = [];

  /**
   * @param policy the site (its cranes, their PLC assets and register maps)
   * @param out    where `crane_state` and `container_move` records go (the outputs and the detection engine)
   * @throws CwError CW_ERR_CONFIG when `sampleSec`, `heartbeatSec` or `spreaderKg` is not a positive finite number
   */
  constructor(
    policy: SitePolicy,
    private readonly out: LogSink,
    opts: CraneTrackerOptions = {},
  ) {
    this.sampleSec = positive(opts.sampleSec ?? DEFAULT_SAMPLE_SEC, 'sampleSec');
    this.heartbeatSec = positive(opts.heartbeatSec ?? DEFAULT_HEARTBEAT_SEC, 'heartbeatSec');
    const spreaderKg = opts.spreaderKg === undefined ? undefined : positive(opts.spreaderKg, 'spreaderKg');
    const maxItems = (opts.limits ?? DEFAULT_LIMITS).maxRegisterImageItems;
    for (const c of policy.site.cranes) {
      const ip = policy.assetByName(c.plc)?.ip;
      if (ip === undefined) continue;
      const list = this.byIp.get(ip) ?? [];
      if (list.some((x) => x.crane.unit_id === c.unit_id)) continue;
      const t = new TrackedCrane(c, ip, maxItems, spreaderKg ?? policy.thresholdsOf(c.id).spreader_kg);
      list.push(t);
      this.byIp.set(ip, list);
      this.cranes.push(t);
    }
  }

  write(stream: StreamName, r: LogRecord): void {
    if (stream === 'http_body') {
      if (this.facts.add(r) && typeof r.ts === 'number') this.release(r.ts, false);
      return;
    }
    if (stream !== 'modbus_detailed') return;
    const dst = r.destination_h;
    const src = r.source_h;
    let list = typeof dst === 'string' ? this.byIp.get(dst) : undefined;
    if (list === undefined && typeof src === 'string') list = this.byIp.get(src);
    if (list === undefined) return;
    let t: TrackedCrane | undefined;
    for (let i = 0; i < list.length; i++) if (list[i].crane.unit_id === r.unit) t = list[i];
    if (t === undefined) return;
    const ts = r.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return;
    const outcome = t.image.apply(r);
    if (outcome === ApplyOutcome.IGNORED) return;
    t.lastRowTs = ts;
    if (outcome === ApplyOutcome.CHANGED) this.decode(t);
    this.followMove(t, ts);
    if (this.waiting.length > 0 && ts - this.waiting[0].unlockTs > JOB_DONE_WAIT_SEC) this.release(ts, false);
    const since = ts - t.lastEmitTs;
    if ((t.dirty && since >= this.sampleSec) || since >= this.heartbeatSec) this.emitState(t, ts);
  }

  /** End of input: write the latest values of every crane that changed since its last record. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.release(Number.POSITIVE_INFINITY, true);
    for (const t of this.cranes) if (t.dirty) this.emitState(t, t.lastRowTs);
  }

  /** Nothing to flush beyond `finish`; `out` is closed by its owner. */
  async close(): Promise<void> {}

  private decode(t: TrackedCrane): void {
    const signals = t.signals;
    const values = t.values;
    const img = t.image;
    for (let i = 0; i < signals.length; i++) {
      const v = decodeWords(img.valueAt(t.slotA[i]), img.valueAt(t.slotB[i]), signals[i]);
      if (!same(v, values[i])) {
        values[i] = v;
        if (!same(v, t.emitted[i])) t.dirty = true;
      }
    }
  }

  /** The move state machine, once per applied row. */
  private followMove(t: TrackedCrane, ts: number): void {
    const locked = t.role(Role.LOCKED);
    const landed = t.role(Role.LANDED);
    const load = t.role(Role.LOAD);
    if (locked === 0 && landed !== 1 && !Number.isNaN(load)) t.leg[t.legN++ % TARE_READINGS] = load;
    if (!t.moveOpen) {
      if (t.prevLocked === 0 && locked === 1 && landed !== 0) {
        const tare = legTare(t.leg, t.legN);
        if (!Number.isNaN(tare) && tare !== t.tareKg) {
          t.tareKg = tare;
          t.dirty = true;
        }
        t.moveOpen = true;
        t.lifted = false;
        t.lockTs = ts;
        t.lockHoist = t.role(Role.HOIST);
        t.lockTrolley = t.role(Role.TROLLEY);
        t.lockGantry = t.role(Role.GANTRY);
        t.hangSum = 0;
        t.hangN = 0;
      }
    } else if (locked === 1) {
      const hanging = landed === 0 || (Number.isNaN(landed) && t.role(Role.HOIST) - t.lockHoist >= LIFT_WITHOUT_LANDED_MM);
      if (hanging) {
        t.lifted = true;
        const load = t.role(Role.LOAD);
        if (!Number.isNaN(load)) {
          t.hangSum += load;
          t.hangN++;
        }
      }
    } else {
      if (locked === 0 && t.lifted) this.emitMove(t, ts);
      t.moveOpen = false;
    }
    if (locked === 1) t.legN = 0;
    if (!Number.isNaN(locked)) t.prevLocked = locked;
  }

  private emitMove(t: TrackedCrane, ts: number): void {
    const trolley = t.role(Role.TROLLEY);
    const travel = trolley - t.lockTrolley;
    const kind = Number.isNaN(travel) || Math.abs(travel) < KIND_MIN_TRAVEL_MM ? 'unknown' : travel < 0 ? 'discharge' : 'load';
    const load = t.hangN > 0 ? Math.round(t.hangSum / t.hangN) : Number.NaN;
    const tare = Number.isNaN(t.tareKg) ? t.spreaderKg : t.tareKg;
    const lockUs = Math.round(t.lockTs * 1e6);
    const rec: Record<string, LogRecord[string]> = {
      ts: t.lockTs,
      move_id: hashId('M', `${t.crane.id}|${lockUs}`),
      crane: t.crane.id,
      plc_h: t.plcIp,
      uid: t.image.lastUid,
      lock_ts: t.lockTs,
      unlock_ts: ts,
      duration: Math.round((ts - t.lockTs) * 1e6) / 1e6,
      kind,
      gross_kg: val(load - tare),
      load_kg: val(load),
      spreader_kg: tare,
      hoist_lock_mm: val(t.lockHoist),
      trolley_lock_mm: val(t.lockTrolley),
      gantry_lock_mm: val(t.lockGantry),
      hoist_unlock_mm: val(t.role(Role.HOIST)),
      trolley_unlock_mm: val(trolley),
      gantry_unlock_mm: val(t.role(Role.GANTRY)),
      spreader_size_ft: val(t.role(Role.SPREADER_FT)),
      move_counter: val(t.role(Role.MOVES)),
      container: null,
      iso_type: null,
      from: null,
      to: null,
      yard: null,
      tos_move_id: null,
      port_of_loading: null,
      port_of_discharge: null,
      vessel: null,
    };
    this.waiting.push({ crane: t.crane.id, lockTs: t.lockTs, unlockTs: ts, rec, jd: null, ocr: null });
    if (this.waiting.length > MAX_WAITING_MOVES) this.writeMove(this.waiting.shift() as WaitingMove);
    this.release(ts, false);
  }

  /**
   * Write the waiting moves whose TOS records are in (job-done record and ports), or whose wait is over
   * at capture time `now` (JOB_DONE_WAIT_SEC without a job-done record, PORTS_WAIT_SEC without ports);
   * all of them when `all`.
   */
  private release(now: number, all: boolean): void {
    const w = this.waiting;
    let k = 0;
    for (let i = 0; i < w.length; i++) {
      const m = w[i];
      m.jd ??= this.facts.jobDone(m.crane, m.lockTs);
      m.ocr ??= this.facts.ocrRead(m.crane, m.lockTs, m.unlockTs);
      const jd = m.jd;
      const container = jd?.container ?? m.ocr?.container ?? null;
      const ports = container !== null ? this.facts.portsOf(container) : null;
      const ready = all || (jd !== null && ports !== null) || now - m.unlockTs > (jd !== null ? PORTS_WAIT_SEC : JOB_DONE_WAIT_SEC);
      if (ready) this.writeMove(m);
      else w[k++] = m;
    }
    w.length = k;
  }

  /** Fill a move's TOS fields from the facts joined so far and write it. */
  private writeMove(m: WaitingMove): void {
    const rec = m.rec;
    const jd = m.jd ?? this.facts.jobDone(m.crane, m.lockTs);
    const ocr = m.ocr ?? this.facts.ocrRead(m.crane, m.lockTs, m.unlockTs);
    const container = jd?.container ?? ocr?.container ?? null;
    const ports = container !== null ? this.facts.portsOf(container) : null;
    rec.container = container;
    rec.iso_type = jd?.isoType ?? ocr?.isoType ?? null;
    if (jd?.restow === true) rec.kind = 'restow';
    rec.from = jd?.from ?? null;
    rec.to = jd?.to ?? null;
    rec.yard = jd?.yard ?? null;
    rec.tos_move_id = jd?.moveId ?? null;
    rec.port_of_loading = ports?.loading ?? null;
    rec.port_of_discharge = ports?.discharge ?? null;
    rec.vessel = ports?.vessel ?? null;
    this.out.write(CONTAINER_MOVE_STREAM.name, rec);
  }

  private emitState(t: TrackedCrane, ts: number): void {
    const rec: Record<string, LogRecord[string]> = {
      ts,
      crane: t.crane.id,
      plc_h: t.plcIp,
      unit: t.crane.unit_id,
      uid: t.image.lastUid,
    };
    for (let r = 0; r < ROLE_COUNT; r++) {
      const v = t.role(r);
      rec[ROLE_FIELDS[r]] = Number.isNaN(v) ? null : FLAG_ROLES.has(r) ? v !== 0 : v;
      if (r === Role.MODE) rec.operating_mode_name = Number.isNaN(v) ? null : (MODE_NAMES[v] ?? `unknown-${v}`);
    }
    rec.spreader_kg = val(t.tareKg);
    const other: string[] = [];
    for (const i of t.plain) if (!Number.isNaN(t.values[i])) other.push(`${t.signals[i].name}=${t.values[i]}`);
    rec.other_signals = other;
    t.emitted.set(t.values);
    t.dirty = false;
    t.lastEmitTs = ts;
    this.out.write(CRANE_STATE_STREAM.name, rec);
  }
}

/** `v` when it is a positive finite number. @throws CwError CW_ERR_CONFIG naming the option otherwise */
function positive(v: number, what: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new CwError('CW_ERR_CONFIG', `crane tracker: ${what} must be a positive number, got ${v}`);
  return v;
}

import { CwError } from '../../errors.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { FindingWriter } from '../finding.js';

/**
 * Relations between the signals of one process, declared per site (no signal names are built in).
 * Status signals read ON when ≥ `ProcessConsistencyOptions.onAbove`.
 */
export interface ProcessRelations {
  /** A pump's or valve's status and the flow through it: ON with ~zero flow or OFF with flow is inconsistent. */
  readonly statusFlow: readonly { readonly status: string; readonly flow: string }[];
  /**
   * A pump's or valve's status and the level that controls it: the learning period gives the
   * highest level seen while ON and the lowest seen while OFF; ON above the one or OFF below the other is inconsistent.
   */
  readonly statusLevel: readonly { readonly status: string; readonly level: string }[];
  /** Signals whose step between consecutive samples must stay within the largest step learned (×`rateMargin`). */
  readonly rate: readonly string[];
  /** Signals that must not stay unchanged longer than learned while any of `movers` changes. */
  readonly stuck: readonly { readonly signal: string; readonly movers: readonly string[] }[];
}

/** Tunables of the checker; units are the signals' own (flows, levels) and seconds. */
export interface ProcessConsistencyOptions {
  /** Name of the monitored process, first part of every finding key (`c-town`). */
  readonly process: string;
  /** Samples before this time (s since the epoch) are learned from, not checked. */
  readonly learnUntil: number;
  /** Status value at or above which an actuator is ON (0.5 for 0/1 status). */
  readonly onAbove: number;
  /** Flow magnitude at or below which a flow reads zero. */
  readonly zeroFlow: number;
  /** A step larger than the learned maximum × this is impossible (≥ 1). */
  readonly rateMargin: number;
  /** Allowance beyond the learned status/level envelope, in level units. */
  readonly levelMargin: number;
  /** Fewest unchanged samples that can count as stuck, whatever was learned. */
  readonly minStuckSamples: number;
  /** Samples of each state (ON and OFF) the learning period needs before a status/level pair is checked. */
  readonly minStateSamples: number;
  /** Samples further apart than this (s) break rate and stuck runs (a gap in polling is not a jump). */
  readonly maxGapSec: number;
  /** Addresses of the controller the samples come from, copied into every finding's `hosts`. */
  readonly hosts: readonly string[];
}

/** Defaults of the options other than `process` and `learnUntil`. */
export const DEFAULT_PROCESS_CONSISTENCY: Omit<ProcessConsistencyOptions, 'process' | 'learnUntil'> = Object.freeze({
  onAbove: 0.5,
  zeroFlow: 0.5,
  rateMargin: 1.25,
  levelMargin: 0,
  minStuckSamples: 6,
  minStateSamples: 24,
  maxGapSec: 7200,
  hosts: Object.freeze([]) as readonly string[],
});

/** Check kinds, also the last part of finding keys. */
const CHECK_NAMES = ['on_without_flow', 'flow_while_off', 'on_above_level', 'off_below_level', 'rate', 'stuck'] as const;
/** One check kind. */
export type ProcessCheck = (typeof CHECK_NAMES)[number];

/** Spoof-like inconsistencies: what a forged reporting message produces (ATT&CK for ICS T0856, T0832). */
const SPOOF_TECHNIQUES: readonly IcsTechnique[] = [Technique.SPOOF_REPORTING_MESSAGE, Technique.MANIPULATION_OF_VIEW];
/** Fault-like ones: the operators' view is wrong whatever the cause (T0832). */
const FAULT_TECHNIQUES: readonly IcsTechnique[] = [Technique.MANIPULATION_OF_VIEW];

/** What a checker learned, per relation (NaN where nothing was learned). */
export interface LearnedThresholds {
  /** Per `statusLevel` relation: highest level seen ON, lowest seen OFF (NaN when too few samples of a state). */
  readonly highestOn: Float64Array;
  readonly lowestOff: Float64Array;
  /** Per `rate` signal: largest absolute step learned. */
  readonly maxStep: Float64Array;
  /** Per `stuck` relation: unchanged samples that make it stuck (learned longest run + 1, at least `minStuckSamples`). */
  readonly stuckSamples: Float64Array;
}

/**
 * Process-consistency checks of generic process telemetry: the sensor_integrity rules
 * (detect/detectors/sensor-integrity.ts) applied to site-declared relations between signals —
 * - status vs flow: an actuator ON with |flow| ≤ `zeroFlow`, or OFF with |flow| above it;
 * - status vs controlling level: ON while the level is above the highest level learned ON, or OFF
 *   while it is below the lowest learned OFF (± `levelMargin`) — the control the PLC runs is contradicted;
 * - impossible rates: a step between consecutive samples (≤ `maxGapSec` apart) above the largest
 *   learned step × `rateMargin`;
 * - stuck values: a signal unchanged for more than the longest unchanged run learned while any of its
 *   movers changed in every one of those samples.
 * Thresholds come from the samples before `learnUntil` (nothing is reported during learning).
 * Each condition is reported once per episode (again after it cleared) as a FindingReport of detector
 * `sensor_integrity`, key `process:signal:check`, severity high; status/flow and status/level
 * contradictions are spoof-like (T0856 Spoof Reporting Message + T0832 Manipulation of View), rate and stuck
 * fault-like (T0832). State: constant per relation; the per-sample path allocates nothing unless it reports.
 */
export class ProcessConsistency {
  private readonly opt: ProcessConsistencyOptions;
  private readonly sfStatus: Int32Array;
  private readonly sfFlow: Int32Array;
  private readonly slStatus: Int32Array;
  private readonly slLevel: Int32Array;
  private readonly rateIdx: Int32Array;
  private readonly stuckIdx: Int32Array;
  /** Movers of stuck relation i: `stuckMovers[stuckMoverStart[i] .. stuckMoverStart[i+1])`. */
  private readonly stuckMovers: Int32Array;
  private readonly stuckMoverStart: Int32Array;
  private readonly names: readonly string[];
  private readonly learned: LearnedThresholds;
  private readonly onCount: Int32Array;
  private readonly offCount: Int32Array;
  private readonly stuckRun: Int32Array;
  private readonly prev: Float64Array;
  private prevTs = Number.NaN;
  /** Episode flags: status/flow 2 per pair, status/level 2 per pair, rate 1 per signal, stuck 1 per relation. */
  private readonly active: Uint8Array;
  private readonly keys: string[];
  private frozen = false;

  /**
   * `signals`: the sample columns (ProcessSamples.signals order). Throws CwError CW_ERR_CONFIG when a
   * relation names a signal not among them or an option is out of range.
   */
  constructor(signals: readonly string[], relations: ProcessRelations, options: Partial<ProcessConsistencyOptions> & Pick<ProcessConsistencyOptions, 'process' | 'learnUntil'>) {
    this.opt = { ...DEFAULT_PROCESS_CONSISTENCY, ...options };
    if (!(this.opt.rateMargin >= 1)) throw new CwError('CW_ERR_CONFIG', 'process consistency rateMargin must be ≥ 1');
    if (!(this.opt.minStuckSamples >= 2)) throw new CwError('CW_ERR_CONFIG', 'process consistency minStuckSamples must be ≥ 2');
    this.names = signals;
    const index = new Map<string, number>();
    signals.forEach((s, i) => index.set(s, i));
    const at = (name: string, where: string): number => {
      const i = index.get(name);
      if (i === undefined) throw new CwError('CW_ERR_CONFIG', `process relation ${where} names signal ${name}, which the samples do not have`);
      return i;
    };
    this.sfStatus = Int32Array.from(relations.statusFlow, (r) => at(r.status, 'statusFlow.status'));
    this.sfFlow = Int32Array.from(relations.statusFlow, (r) => at(r.flow, 'statusFlow.flow'));
    this.slStatus = Int32Array.from(relations.statusLevel, (r) => at(r.status, 'statusLevel.status'));
    this.slLevel = Int32Array.from(relations.statusLevel, (r) => at(r.level, 'statusLevel.level'));
    this.rateIdx = Int32Array.from(relations.rate, (s) => at(s, 'rate'));
    this.stuckIdx = Int32Array.from(relations.stuck, (r) => at(r.signal, 'stuck.signal'));
    this.stuckMoverStart = new Int32Array(relations.stuck.length + 1);
    const movers: number[] = [];
    relations.stuck.forEach((r, i) => {
      for (const m of r.movers) movers.push(at(m, 'stuck.movers'));
      this.stuckMoverStart[i + 1] = movers.length;
    });
    this.stuckMovers = Int32Array.from(movers);
    const nl = this.slStatus.length;
    this.learned = {
      highestOn: new Float64Array(nl).fill(Number.NEGATIVE_INFINITY),
      lowestOff: new Float64Array(nl).fill(Number.POSITIVE_INFINITY),
      maxStep: new Float64Array(this.rateIdx.length),
      stuckSamples: new Float64Array(this.stuckIdx.length),
    };
    this.onCount = new Int32Array(nl);
    this.offCount = new Int32Array(nl);
    this.stuckRun = new Int32Array(this.stuckIdx.length);
    this.prev = new Float64Array(signals.length).fill(Number.NaN);
    this.active = new Uint8Array(2 * this.sfStatus.length + 2 * nl + this.rateIdx.length + this.stuckIdx.length);
    const p = this.opt.process;
    this.keys = [
      ...relations.statusFlow.flatMap((r) => [`${p}:${r.status}:on_without_flow`, `${p}:${r.status}:flow_while_off`]),
      ...relations.statusLevel.flatMap((r) => [`${p}:${r.status}/${r.level}:on_above_level`, `${p}:${r.status}/${r.level}:off_below_level`]),
      ...relations.rate.map((s) => `${p}:${s}:rate`),
      ...relations.stuck.map((r) => `${p}:${r.signal}:stuck`),
    ];
  }

  /** The thresholds learned so far (final once the first sample at or after `learnUntil` was seen). */
  thresholds(): LearnedThresholds {
    return this.learned;
  }

  /**
   * One sample (`values` in the constructor's signal order, NaN = absent; `ts` seconds, non-decreasing).
   * Learns from it before `learnUntil`, else checks it and reports new episodes to `out`.
   * Returns the number of conditions that hold for this sample (0 while learning).
   */
  observe(ts: number, values: Float64Array, out: FindingWriter): number {
    const gap = !(ts - this.prevTs <= this.opt.maxGapSec);
    if (ts < this.opt.learnUntil) {
      this.learn(values, gap);
      this.remember(ts, values);
      return 0;
    }
    if (!this.frozen) this.freeze();
    const o = this.opt;
    let held = 0;
    let a = 0;
    for (let i = 0; i < this.sfStatus.length; i++, a += 2) {
      const s = values[this.sfStatus[i]];
      const f = Math.abs(values[this.sfFlow[i]]);
      const known = !Number.isNaN(s) && !Number.isNaN(f);
      const on = s >= o.onAbove;
      held += this.episode(out, ts, a, known && on && f <= o.zeroFlow, 'spoof', this.names[this.sfStatus[i]], values[this.sfFlow[i]], this.names[this.sfFlow[i]]);
      held += this.episode(out, ts, a + 1, known && !on && f > o.zeroFlow, 'spoof', this.names[this.sfStatus[i]], values[this.sfFlow[i]], this.names[this.sfFlow[i]]);
    }
    for (let i = 0; i < this.slStatus.length; i++, a += 2) {
      const s = values[this.slStatus[i]];
      const l = values[this.slLevel[i]];
      const on = s >= o.onAbove;
      const known = !Number.isNaN(s) && !Number.isNaN(l);
      const hi = this.learned.highestOn[i];
      const lo = this.learned.lowestOff[i];
      held += this.episode(out, ts, a, known && on && l > hi + o.levelMargin, 'spoof', this.names[this.slStatus[i]], l, this.names[this.slLevel[i]]);
      held += this.episode(out, ts, a + 1, known && !on && l < lo - o.levelMargin, 'spoof', this.names[this.slStatus[i]], l, this.names[this.slLevel[i]]);
    }
    for (let i = 0; i < this.rateIdx.length; i++, a++) {
      const k = this.rateIdx[i];
      const step = Math.abs(values[k] - this.prev[k]);
      held += this.episode(out, ts, a, !gap && step > this.learned.maxStep[i] * o.rateMargin, 'fault', this.names[k], step, '');
    }
    for (let i = 0; i < this.stuckIdx.length; i++, a++) {
      const run = this.advanceStuck(i, values, gap);
      const k = this.stuckIdx[i];
      held += this.episode(out, ts, a, run >= this.learned.stuckSamples[i], 'fault', this.names[k], run, '');
    }
    this.remember(ts, values);
    return held;
  }

  /** Updates the learned envelopes, steps and stuck runs with one learning sample. */
  private learn(values: Float64Array, gap: boolean): void {
    const o = this.opt;
    const L = this.learned;
    for (let i = 0; i < this.slStatus.length; i++) {
      const s = values[this.slStatus[i]];
      const l = values[this.slLevel[i]];
      if (Number.isNaN(s) || Number.isNaN(l)) continue;
      if (s >= o.onAbove) {
        this.onCount[i]++;
        if (l > L.highestOn[i]) L.highestOn[i] = l;
      } else {
        this.offCount[i]++;
        if (l < L.lowestOff[i]) L.lowestOff[i] = l;
      }
    }
    if (!gap) {
      for (let i = 0; i < this.rateIdx.length; i++) {
        const k = this.rateIdx[i];
        const step = Math.abs(values[k] - this.prev[k]);
        if (step > L.maxStep[i]) L.maxStep[i] = step;
      }
    }
    for (let i = 0; i < this.stuckIdx.length; i++) {
      const run = this.advanceStuck(i, values, gap);
      if (run > L.stuckSamples[i]) L.stuckSamples[i] = run;
    }
  }

  /** Ends learning: pairs with too few samples of a state, and rate signals that never moved, are not checked. */
  private freeze(): void {
    this.frozen = true;
    const L = this.learned;
    for (let i = 0; i < this.slStatus.length; i++) {
      if (this.onCount[i] < this.opt.minStateSamples || this.offCount[i] < this.opt.minStateSamples) {
        L.highestOn[i] = Number.NaN;
        L.lowestOff[i] = Number.NaN;
      }
    }
    for (let i = 0; i < this.rateIdx.length; i++) if (L.maxStep[i] === 0) L.maxStep[i] = Number.NaN;
    for (let i = 0; i < this.stuckIdx.length; i++) L.stuckSamples[i] = Math.max(this.opt.minStuckSamples, L.stuckSamples[i] + 1);
  }

  /** Length of the current run of unchanged samples of stuck relation `i` during which a mover changed (0 when it changed or nothing moved). */
  private advanceStuck(i: number, values: Float64Array, gap: boolean): number {
    const k = this.stuckIdx[i];
    let moved = false;
    for (let m = this.stuckMoverStart[i]; m < this.stuckMoverStart[i + 1]; m++) {
      const j = this.stuckMovers[m];
      if (values[j] !== this.prev[j] && !Number.isNaN(values[j]) && !Number.isNaN(this.prev[j])) moved = true;
    }
    const same = !gap && !Number.isNaN(values[k]) && values[k] === this.prev[k];
    this.stuckRun[i] = same && moved ? this.stuckRun[i] + 1 : 0;
    return this.stuckRun[i];
  }

  private remember(ts: number, values: Float64Array): void {
    this.prevTs = ts;
    this.prev.set(values);
  }

  /** Tracks episode `a`: reports when `holds` starts an episode; returns 1 when it holds. */
  private episode(out: FindingWriter, ts: number, a: number, holds: boolean, kind: 'spoof' | 'fault', signal: string, value: number, other: string): number {
    if (!holds) {
      this.active[a] = 0;
      return 0;
    }
    if (this.active[a] === 1) return 1;
    this.active[a] = 1;
    const key = this.keys[a];
    const check = key.slice(key.lastIndexOf(':') + 1) as ProcessCheck;
    out.report({
      key,
      ts,
      severity: 'high',
      title: `${kind === 'spoof' ? 'Inconsistent' : 'Faulty'} ${signal} reading in ${this.opt.process}`,
      explanation: explain(this.opt.process, check, signal, value, other),
      techniques: kind === 'spoof' ? SPOOF_TECHNIQUES : FAULT_TECHNIQUES,
      hosts: this.opt.hosts,
      action: `Compare ${signal}${other !== '' ? ` and ${other}` : ''} with the field instruments and the local panel; treat the SCADA view of ${this.opt.process} as untrusted until they agree.`,
    });
    return 1;
  }
}

/** The one-sentence explanation of a new episode (`raw` shown rounded to 3 decimals: 0.7, not 0.7000000000000002). */
function explain(process: string, check: ProcessCheck, signal: string, raw: number, other: string): string {
  const value = String(Math.round(raw * 1000) / 1000);
  switch (check) {
    case 'on_without_flow':
      return `${process} reports ${signal} ON while ${other} reads ${value}, no flow: the status or the flow reading is false.`;
    case 'flow_while_off':
      return `${process} reports ${signal} OFF while ${other} reads ${value}: the status or the flow reading is false.`;
    case 'on_above_level':
      return `${process} reports ${signal} ON with ${other} at ${value}, above any level it ran at while learning: the control is contradicted, the level or status reading is false.`;
    case 'off_below_level':
      return `${process} reports ${signal} OFF with ${other} at ${value}, below any level it stood at while learning: the control is contradicted, the level or status reading is false.`;
    case 'rate':
      return `${process} reports ${signal} changing by ${value} between two samples, beyond any step learned: the reading is not physical.`;
    case 'stuck':
      return `${process} reports ${signal} unchanged for ${value} samples while the signals it follows moved: the reading is stuck or replayed.`;
  }
}

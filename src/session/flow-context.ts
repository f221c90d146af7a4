import type { Limits } from '../config/limits.js';
import type { AnomalyGrade } from '../events/anomaly.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import type { ConnId, FlowContext } from './analyzer.js';
import type { Flow } from './flow.js';
import { makeFlowWeird } from './weird-log.js';

/**
 * Writes the weird records of flows, at most `limits.maxWeirdsPerFlowAndName` per flow and
 * anomaly name (Zeek logs a weird once per connection by default, Weird::actions
 * ACTION_LOG_PER_CONN).
 */
export class FlowWeirds {
  constructor(
    private readonly sink: LogSink,
    private readonly limits: Readonly<Limits>,
  ) {}

  /** Log anomaly `name` of `flow` at `ts` unless its per-flow quota is used up. `source` defaults to the name's first part. */
  write(flow: Flow, name: string, grade: AnomalyGrade, ts: number, addl?: string, source?: string): void {
    if (this.admit(flow, name)) this.sink.write('weird', makeFlowWeird(name, grade, ts, flow.uid, flow.connId(), addl, source));
  }

  /** Count one anomaly `name` of `flow` against its quota: true when it is within it (and is to be written). */
  admit(flow: Flow, name: string): boolean {
    let counts = flow.weirdCounts;
    if (counts === null) counts = flow.weirdCounts = new Map<string, number>();
    const n = counts.get(name) ?? 0;
    if (n >= this.limits.maxWeirdsPerFlowAndName) return false;
    counts.set(name, n + 1);
    return true;
  }
}

/**
 * The FlowContext (session/analyzer.ts) handed to the analyzer attached to one flow: records go
 * to the run's sink, anomalies to the weird stream (per-flow quota; `fatal` detaches the analyzer,
 * which then gets no further data and no `end`), confirmations to the conn record's `service`.
 */
export class FlowCtx implements FlowContext {
  constructor(
    private readonly flow: Flow,
    private readonly sink: LogSink,
    private readonly weirds: FlowWeirds,
    readonly limits: Readonly<Limits>,
    /** Name of the attached analyzer (the weird `source`). */
    private readonly analyzerName: string,
  ) {}

  get uid(): string {
    return this.flow.uid;
  }

  get id(): ConnId {
    return this.flow.connId();
  }

  get origMac(): number {
    return this.flow.orig.mac;
  }

  get respMac(): number {
    return this.flow.resp.mac;
  }

  emit(stream: StreamName, record: LogRecord): void {
    this.sink.write(stream, record);
  }

  anomaly(name: string, grade: AnomalyGrade, ts: number, addl?: string): void {
    this.weirds.write(this.flow, name, grade, ts, addl, this.analyzerName);
    if (grade === 'fatal' && this.flow.ctx === this) {
      this.flow.analyzer = null;
      this.flow.ctx = null;
    }
  }

  confirm(service: string): void {
    this.flow.addService(service);
  }
}

import { DEFAULT_LIMITS, type Limits } from '../../../src/config/limits.js';
import type { AnomalyGrade } from '../../../src/events/anomaly.js';
import type { LogRecord, StreamName } from '../../../src/events/record.js';
import type { ConnId, FlowContext } from '../../../src/session/analyzer.js';

/** One anomaly the analyzer reported. */
export interface SeenAnomaly {
  name: string;
  grade: AnomalyGrade;
  ts: number;
  addl: string | undefined;
}

/** A FlowContext that keeps everything the analyzer emits, for assertions. */
export class FakeFlowContext implements FlowContext {
  readonly records: { stream: StreamName; record: LogRecord }[] = [];
  readonly anomalies: SeenAnomaly[] = [];
  readonly services: string[] = [];
  readonly limits: Readonly<Limits>;
  readonly origMac = -1;
  readonly respMac = -1;

  constructor(
    readonly uid = 'CTestUid',
    readonly id: ConnId = { orig_h: '10.0.0.1', orig_p: 40000, resp_h: '10.0.0.2', resp_p: 502, proto: 'tcp' },
    limits: Partial<Limits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  emit(stream: StreamName, record: LogRecord): void {
    this.records.push({ stream, record });
  }

  anomaly(name: string, grade: AnomalyGrade, ts: number, addl?: string): void {
    this.anomalies.push({ name, grade, ts, addl });
  }

  confirm(service: string): void {
    this.services.push(service);
  }

  /** Records of one stream, in emission order. */
  stream(name: StreamName): LogRecord[] {
    return this.records.filter((r) => r.stream === name).map((r) => r.record);
  }

  /** Names of the anomalies reported, in order. */
  anomalyNames(): string[] {
    return this.anomalies.map((a) => a.name);
  }
}

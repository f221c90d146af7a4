import type { LogRecord } from '../../src/events/record.js';
import type { Detector } from '../../src/detect/detector.js';
import { DetectionEngine, type Finding } from '../../src/detect/engine.js';
import type { LogSink } from '../../src/events/record.js';
import { validateSite } from '../../src/policy/site-file.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import type { SiteInput } from '../../src/policy/site-schema.js';
import { demoSiteFile } from '../../src/sim/demo-site-file.js';

/** A sink keeping records per stream. */
export class MemorySink implements LogSink {
  readonly records = new Map<string, LogRecord[]>();
  write(stream: string, record: LogRecord): void {
    let l = this.records.get(stream);
    if (l === undefined) this.records.set(stream, (l = []));
    l.push(record);
  }
  async close(): Promise<void> {}
  get(stream: string): LogRecord[] {
    return this.records.get(stream) ?? [];
  }
}

/** The demo site as a policy, optionally edited first. */
export function demoPolicy(edit?: (s: SiteInput) => void): SitePolicy {
  const input = demoSiteFile();
  edit?.(input);
  return new SitePolicy(validateSite(input));
}

/** Runs one detector over records (stream, record) and returns the merged findings. */
export function runDetector(detector: Detector, policy: SitePolicy, records: Array<[string, LogRecord]>): Finding[] {
  const out = new MemorySink();
  const engine = new DetectionEngine([detector], policy, out);
  for (const [s, r] of records) engine.write(s, r);
  engine.finish();
  return engine.list();
}

/** A modbus_detailed request row (ICSNPP fields) from `src` to `dst`. */
export function detailed(ts: number, src: string, dst: string, fc: number, address: number, quantity: number, extra: Partial<Record<string, unknown>> = {}): LogRecord {
  return {
    ts,
    uid: `C${Math.round(ts * 1000)}`,
    'id.orig_h': src,
    'id.orig_p': 49152,
    'id.resp_h': dst,
    'id.resp_p': 502,
    unit: 1,
    address,
    quantity,
    matched: true,
    source_h: src,
    destination_h: dst,
    function_code: fc,
    ...extra,
  } as LogRecord;
}

/** A conn record. */
export function conn(ts: number, orig: string, resp: string, port: number, state = 'SF', proto = 'tcp', extra: Partial<Record<string, unknown>> = {}): LogRecord {
  return { ts, uid: `C${orig}-${resp}-${port}-${ts}`, 'id.orig_h': orig, 'id.orig_p': 50000, 'id.resp_h': resp, 'id.resp_p': port, proto, conn_state: state, orig_bytes: 100, resp_bytes: state === 'SF' ? 100 : 0, ...extra } as LogRecord;
}

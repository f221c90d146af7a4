import type { LogRecord } from '../events/record.js';
import type { SitePolicy } from '../policy/site-policy.js';
import type { FindingWriter } from './finding.js';

/**
 * One detector: reads the log records of the streams it names (the same records the logs hold,
 * in pipeline order) and reports findings. Detectors keep bounded state and never throw on odd
 * records (a missing field reads as absent). One file per detector under detect/detectors/.
 */
export interface Detector {
  /** Stable name, written in every finding (`unauthorized_write`). */
  readonly name: string;
  /** Streams it reads (`modbus_detailed`, `conn`, `assets` …). */
  readonly streams: readonly string[];
  /** One record of one of `streams`. */
  observe(stream: string, record: LogRecord, out: FindingWriter): void;
  /** The input ended (after the `assets` records): report what only the whole run shows. */
  finish(out: FindingWriter): void;
}

/** Builds a detector for a site; null when the site gives it nothing to check. */
export type DetectorFactory = (policy: SitePolicy) => Detector | null;

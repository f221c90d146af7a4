import type { LogRecord } from './record.js';

/**
 * Typed reads of log-record fields (Zeek / ICSNPP field names: `id.orig_h`, `orig_ip_bytes` …) for
 * the sinks and detectors that fold records. A missing or mistyped field reads as the fallback;
 * never throws.
 */

/** A string field, or '' when absent or not a string. */
export function fieldString(r: LogRecord, name: string): string {
  const v = r[name];
  return typeof v === 'string' ? v : '';
}

/** A numeric field, or `fallback` (default 0) when absent, not a number or not finite. */
export function fieldNumber(r: LogRecord, name: string, fallback = 0): number {
  const v = r[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A list field of numbers (other items skipped), or [] when absent. */
export function fieldNumbers(r: LogRecord, name: string): number[] {
  const v = r[name];
  if (!Array.isArray(v)) return [];
  const out: number[] = [];
  for (const x of v) if (typeof x === 'number') out.push(x);
  return out;
}

/** A list field of strings (other items skipped), or [] when absent. */
export function fieldStrings(r: LogRecord, name: string): string[] {
  const v = r[name];
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v) if (typeof x === 'string') out.push(x);
  return out;
}

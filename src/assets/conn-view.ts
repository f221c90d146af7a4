import { fieldNumber } from '../events/fields.js';
import type { LogRecord } from '../events/record.js';

/**
 * Typed reads of conn.log fields (Zeek names: `id.orig_h`, `orig_ip_bytes`, `service` …) for
 * sinks that fold conn records. A missing or mistyped field reads as '' or 0, never throws.
 */

/** Bytes the originator sent: `orig_ip_bytes` (IP headers included), else `orig_bytes` (payload). */
export function connOrigBytes(r: LogRecord): number {
  const v = r['orig_ip_bytes'];
  return typeof v === 'number' && Number.isFinite(v) ? v : fieldNumber(r, 'orig_bytes');
}

/** Bytes the responder sent: `resp_ip_bytes`, else `resp_bytes`. */
export function connRespBytes(r: LogRecord): number {
  const v = r['resp_ip_bytes'];
  return typeof v === 'number' && Number.isFinite(v) ? v : fieldNumber(r, 'resp_bytes');
}

/**
 * The confirmed services of a conn record: Zeek writes `service` as a comma-separated list
 * ("modbus", "ssl,http"); empty entries and entries marked failed ("-name") are dropped.
 * A set[string]/vector form (array) is accepted too.
 */
export function connServices(r: LogRecord): string[] {
  const v = r['service'];
  const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v.map(String) : [];
  return items.filter((s) => s !== '' && !s.startsWith('-'));
}

import { gzipSync } from 'node:zlib';
import { isoTime } from '../terminal/http-message.js';
import type { TruthMove, TruthPosition } from '../terminal/truth.js';

/** Record layouts of leaked move data. */
export const LEAK_FORMATS = ['json', 'csv'] as const;
/** Encodings applied to the laid-out records before they leave. */
export const LEAK_ENCODINGS = ['plain', 'base64', 'hex', 'gzip'] as const;

/** A record layout: JSON array or CSV with a header line. */
export type LeakFormat = (typeof LEAK_FORMATS)[number];
/** plain text, base64 (RFC 4648 §4, padded), lower-case hex (RFC 4648 §8) or gzip (RFC 1952). */
export type LeakEncoding = (typeof LEAK_ENCODINGS)[number];

/** CSV columns, in order (RFC 4180, CRLF line ends). */
export const LEAK_CSV_HEADER = 'container,iso_type,kind,crane,from,to,pol,pod,gross_kg,vessel,voyage,unlock_ts';

/** A position as text: vessel BBBRRTT (ISO 9711-1 bay-row-tier) or `lane-<n>`. */
function place(p: TruthPosition): string {
  return p.type === 'vessel' ? p.code : `lane-${p.lane}`;
}

/**
 * The move records as text: `json` — an array of `{container, iso_type, kind, crane, from, to, pol,
 * pod, gross_kg, vessel, voyage, unlock_ts}` (pol/pod UN/LOCODEs, unlock_ts ISO 8601 UTC); `csv` —
 * `LEAK_CSV_HEADER` and one CRLF-terminated row per record (no field needs quoting).
 */
export function layoutMoves(records: readonly TruthMove[], format: LeakFormat): string {
  if (format === 'csv') {
    let out = `${LEAK_CSV_HEADER}\r\n`;
    for (const r of records) {
      out += `${r.container},${r.isoType},${r.kind},${r.craneId},${place(r.from)},${place(r.to)},${r.portOfLoading},${r.portOfDischarge},${r.grossKg},${r.vessel.name},${r.vessel.voyage},${isoTime(r.unlockTs)}\r\n`;
    }
    return out;
  }
  return JSON.stringify(
    records.map((r) => ({
      container: r.container,
      iso_type: r.isoType,
      kind: r.kind,
      crane: r.craneId,
      from: place(r.from),
      to: place(r.to),
      pol: r.portOfLoading,
      pod: r.portOfDischarge,
      gross_kg: r.grossKg,
      vessel: r.vessel.name,
      voyage: r.vessel.voyage,
      unlock_ts: isoTime(r.unlockTs),
    })),
  );
}

/**
 * `text` (UTF-8) encoded as `encoding`: the bytes themselves, base64 text, hex text, or a gzip
 * member (RFC 1952; zlib level 9, no file name, MTIME 0 — the same input gives the same bytes).
 */
export function encodeLeak(text: string, encoding: LeakEncoding): Uint8Array {
  const raw = Buffer.from(text, 'utf8');
  switch (encoding) {
    case 'plain':
      return raw;
    case 'base64':
      return Buffer.from(raw.toString('base64'), 'latin1');
    case 'hex':
      return Buffer.from(raw.toString('hex'), 'latin1');
    case 'gzip':
      return gzipSync(raw, { level: 9 });
  }
}

/** HTTP media type of a payload of `format` sent as `encoding`. */
export function leakMediaType(format: LeakFormat, encoding: LeakEncoding): string {
  if (encoding === 'gzip') return 'application/octet-stream';
  if (encoding !== 'plain') return 'text/plain';
  return format === 'csv' ? 'text/csv' : 'application/json';
}

import { readFileSync, statSync } from 'node:fs';
import { CwError } from '../errors.js';

/**
 * Bounds of one process-sample CSV (the telemetry reader's own limits: a file beyond them is
 * refused with CW_ERR_READ, never read partly).
 */
export const PROCESS_SAMPLE_LIMITS = Object.freeze({
  /** Bytes of one CSV file (64 MiB). */
  maxFileBytes: 64 * 1024 * 1024,
  /** Data rows (one year of one-second samples would be 31.5 M; 1 M rows covers a year of minutes). */
  maxRows: 1_000_000,
  /** Columns of the header row, time and label columns included. */
  maxColumns: 512,
  /** Characters of one line. */
  maxLineChars: 65_536,
});

/** How the time column is written. */
export type SampleTimeFormat =
  /** Seconds since the epoch, decimal. */
  | 'epoch'
  /** ISO 8601 date-time with `Z` or an offset (ECMA-262 Date Time String Format). */
  | 'iso'
  /** `dd/mm/yy HH` in UTC, two-digit year meaning 20yy (the BATADAL data sets' hourly stamp). */
  | 'dmy-hour';

/** Which columns are the time and the label, and how the time reads. */
export interface ProcessSampleFormat {
  /** Header name of the time column (matched after trimming spaces). */
  readonly timeColumn: string;
  readonly timeFormat: SampleTimeFormat;
  /** Header name of an optional 0/1 label column (e.g. `ATT_FLAG`); it is not a signal. */
  readonly labelColumn?: string;
}

/** One row: its time, the value of every signal (indexed like `ProcessSamples.signals`; NaN where the cell is empty) and its label. */
export interface ProcessSample {
  /** Seconds since the epoch (UTC). */
  readonly ts: number;
  /** Signal values, same order as `ProcessSamples.signals`. */
  readonly values: Float64Array;
  /** Label of the row: 1 when the label column reads non-zero, 0 when zero, -1 when there is no label column or the cell is empty. */
  readonly label: number;
}

/** A parsed CSV of process samples: signal names (header order, time and label columns removed) and rows in file order. */
export interface ProcessSamples {
  readonly signals: readonly string[];
  readonly rows: readonly ProcessSample[];
}

/** A CW_ERR_READ error naming the source, line (1-based) and column (1-based field number). */
function fail(source: string, line: number, column: number, what: string): CwError {
  return new CwError('CW_ERR_READ', `${source}:${line}:${column}: ${what}`);
}

/** Seconds since the epoch of `dd/mm/yy HH` (UTC), or NaN when the text is not of that shape or not a real date. */
function parseDmyHour(s: string): number {
  if (s.length !== 11 || s.charCodeAt(2) !== 0x2f || s.charCodeAt(5) !== 0x2f || s.charCodeAt(8) !== 0x20) return Number.NaN;
  const d = twoDigits(s, 0);
  const m = twoDigits(s, 3);
  const y = twoDigits(s, 6);
  const h = twoDigits(s, 9);
  if (d < 1 || m < 1 || m > 12 || h > 23) return Number.NaN;
  const ms = Date.UTC(2000 + y, m - 1, d, h);
  if (new Date(ms).getUTCDate() !== d) return Number.NaN;
  return ms / 1000;
}

/** Value of the two decimal digits at `at`, or -1. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 0x30;
  const b = s.charCodeAt(at + 1) - 0x30;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/** Seconds since the epoch of one time cell, NaN when it does not parse. */
function parseTime(s: string, f: SampleTimeFormat): number {
  if (f === 'dmy-hour') return parseDmyHour(s);
  if (f === 'epoch') return s === '' ? Number.NaN : Number(s);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return Number.NaN;
  return Date.parse(s) / 1000;
}

/**
 * Parses CSV text of timestamped process samples (RFC 4180 without quoting: comma-separated
 * fields, CRLF or LF line ends, spaces around fields ignored, blank lines skipped): a header row of
 * column names, then one row per sample with the same number of fields. Every column except the
 * time and label columns is a signal whose cells are decimal numbers (empty = NaN, absent reading).
 * Rows must be in non-decreasing time order.
 * Errors (CwError CW_ERR_READ, message `source:line:column: reason`): a field count differing from
 * the header, a cell that is not a number, a time that does not parse or goes backwards, a label
 * that is not a number, a missing time/label column, duplicate column names, and anything beyond
 * `PROCESS_SAMPLE_LIMITS` (line length, columns, rows).
 */
export function parseProcessSamples(text: string, format: ProcessSampleFormat, source = 'samples'): ProcessSamples {
  const L = PROCESS_SAMPLE_LIMITS;
  let pos = 0;
  let lineNo = 0;
  let header: string[] | null = null;
  let timeIdx = -1;
  let labelIdx = -1;
  const signalOf: number[] = [];
  const signals: string[] = [];
  const rows: ProcessSample[] = [];
  let prevTs = Number.NEGATIVE_INFINITY;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > L.maxLineChars) throw fail(source, lineNo, 1, `line longer than ${L.maxLineChars} characters`);
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (header === null) {
      if (cells.length > L.maxColumns) throw fail(source, lineNo, L.maxColumns + 1, `more than ${L.maxColumns} columns`);
      header = cells.map((c) => c.trim());
      const seen = new Set<string>();
      for (let i = 0; i < header.length; i++) {
        const name = header[i];
        if (name === '') throw fail(source, lineNo, i + 1, 'empty column name');
        if (seen.has(name)) throw fail(source, lineNo, i + 1, `duplicate column name ${name}`);
        seen.add(name);
        if (name === format.timeColumn) timeIdx = i;
        else if (format.labelColumn !== undefined && name === format.labelColumn) labelIdx = i;
        else {
          signalOf.push(i);
          signals.push(name);
        }
      }
      if (timeIdx < 0) throw fail(source, lineNo, 1, `no time column ${format.timeColumn}`);
      if (format.labelColumn !== undefined && labelIdx < 0) throw fail(source, lineNo, 1, `no label column ${format.labelColumn}`);
      continue;
    }
    if (cells.length !== header.length) {
      throw fail(source, lineNo, Math.min(cells.length, header.length) + 1, `${cells.length} fields where the header has ${header.length}`);
    }
    if (rows.length >= L.maxRows) throw fail(source, lineNo, 1, `more than ${L.maxRows} rows`);
    const ts = parseTime(cells[timeIdx].trim(), format.timeFormat);
    if (!Number.isFinite(ts)) throw fail(source, lineNo, timeIdx + 1, `time ${JSON.stringify(cells[timeIdx].trim())} is not ${format.timeFormat}`);
    if (ts < prevTs) throw fail(source, lineNo, timeIdx + 1, 'time goes backwards');
    prevTs = ts;
    let label = -1;
    if (labelIdx >= 0) {
      const s = cells[labelIdx].trim();
      if (s !== '') {
        const n = Number(s);
        if (!Number.isFinite(n)) throw fail(source, lineNo, labelIdx + 1, `label ${JSON.stringify(s)} is not a number`);
        label = n !== 0 ? 1 : 0;
      }
    }
    const values = new Float64Array(signalOf.length);
    for (let k = 0; k < signalOf.length; k++) {
      const s = cells[signalOf[k]].trim();
      if (s === '') {
        values[k] = Number.NaN;
        continue;
      }
      const n = Number(s);
      if (!Number.isFinite(n)) throw fail(source, lineNo, signalOf[k] + 1, `${signals[k]} value ${JSON.stringify(s)} is not a number`);
      values[k] = n;
    }
    rows.push({ ts, values, label });
  }
  if (header === null) throw fail(source, Math.max(lineNo, 1), 1, 'no header row');
  return { signals, rows };
}

/**
 * Reads and parses a process-sample CSV file (see `parseProcessSamples`). Throws CwError:
 * CW_ERR_NOT_FOUND when the file is absent, CW_ERR_READ when it cannot be read, exceeds
 * `PROCESS_SAMPLE_LIMITS.maxFileBytes` or is malformed (message names line and column), CW_ERR_EMPTY when it has no bytes.
 */
export function readProcessSamplesFile(path: string, format: ProcessSampleFormat): ProcessSamples {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CwError('CW_ERR_NOT_FOUND', `process samples ${path} do not exist`);
  }
  if (size === 0) throw new CwError('CW_ERR_EMPTY', `process samples ${path} are empty`);
  if (size > PROCESS_SAMPLE_LIMITS.maxFileBytes) {
    throw new CwError('CW_ERR_READ', `process samples ${path} exceed ${PROCESS_SAMPLE_LIMITS.maxFileBytes} bytes`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CwError('CW_ERR_READ', `process samples ${path} cannot be read: ${(e as Error).message}`);
  }
  return parseProcessSamples(text, format, path);
}

/**
 * Display formatting: times in UTC (deterministic, whatever the browser's zone), sizes in
 * binary units, counts with thousands separators.
 */

/** Epoch seconds (float) → `YYYY-MM-DD HH:MM:SS` UTC; `—` for null. */
export function fmtTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '—';
  return new Date(ts * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Duration in seconds → `1h 02m`, `3m 05s` or `4.2 s`; `—` for null. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes → `512 B`, `1.5 MiB` (IEC binary prefixes). */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** Number with thousands separators and at most `digits` decimals; `—` for null. */
export function fmtNum(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Any log-record value as table text: arrays joined with `, `, null as `—`. */
export function fmtValue(value: string | number | boolean | null | readonly (string | number | boolean)[] | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** `YYYY-MM-DDTHH:MM:SS` (a `datetime-local` value, read as UTC) → epoch seconds; undefined when empty or invalid. */
export function parseUtcInput(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** Epoch seconds → a `datetime-local` value in UTC (`YYYY-MM-DDTHH:MM:SS`); empty for undefined. */
export function toUtcInput(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts)) return '';
  return new Date(ts * 1000).toISOString().slice(0, 19);
}

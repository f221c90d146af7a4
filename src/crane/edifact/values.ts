/**
 * Reading data element values of a tokenized segment (ISO 9735-1) and converting the few value kinds
 * the container messages carry: decimal numbers (ISO 9735-1 decimal mark), dates/times (UNTDID 2005/2380/2379),
 * weights and temperatures with their measure unit codes (UN/ECE Recommendation 20: KGM, LBR, TNE,
 * CEL, FAH). Pure functions; bad values give null, and the caller raises the anomaly.
 */
import type { EdiSegment } from './tokenizer.js';

/** Component `c` of data element `e` of `seg` (both 0-based, tag excluded; `EdiSegment.comp`), trimmed, with '' turned into null. */
export function compOrNull(seg: EdiSegment, e: number, c: number = 0): string | null {
  const v = seg.comp(e, c).trim();
  return v === '' ? null : v;
}

/**
 * A decimal number as EDIFACT writes it: optional sign, digits, one decimal mark `.` or `,` (ISO 9735-1
 * allows either whatever UNA says), no exponent, no thousands separators. Null when malformed.
 */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** Mass in kilograms of `value` given in measure unit `unit` (Rec. 20: KGM kilogram, LBR pound = 0.45359237 kg, TNE tonne); null for another unit. Rounded to grams. */
export function massKg(value: number, unit: string): number | null {
  let kg: number;
  if (unit === 'KGM') kg = value;
  else if (unit === 'LBR') kg = value * 0.45359237;
  else if (unit === 'TNE') kg = value * 1000;
  else return null;
  return Math.round(kg * 1000) / 1000;
}

/** Temperature in °C of `value` in unit `unit` (Rec. 20: CEL degree Celsius, FAH degree Fahrenheit); null for another unit. Rounded to 0.01 °C. */
export function celsius(value: number, unit: string): number | null {
  let c: number;
  if (unit === 'CEL') c = value;
  else if (unit === 'FAH') c = ((value - 32) * 5) / 9;
  else return null;
  return Math.round(c * 100) / 100;
}

/**
 * Century of a 2-digit year (formats 101, 201, 202 and UNB 0017 of syntax versions 1–3 carry none):
 * 00–69 → 2000–2069, 70–99 → 1970–1999.
 */
function fullYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Days in `month` (1–12) of `year` (Gregorian). */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Digits of each supported date/time format (2379). */
const FORMAT_LENGTH: ReadonlyMap<string, number> = new Map([
  ['101', 6],
  ['102', 8],
  ['201', 10],
  ['202', 12],
  ['203', 12],
  ['204', 14],
]);

/** Format assumed for a value written without 2379, by its digits. */
const FORMAT_BY_LENGTH: ReadonlyMap<number, string> = new Map([
  [6, '101'],
  [8, '102'],
  [10, '201'],
  [12, '203'],
  [14, '204'],
]);

/**
 * A date/time value (2380) in its format (2379, UNTDID): 101 YYMMDD, 102 CCYYMMDD, 201 YYMMDDHHMM,
 * 202 YYMMDDHHMMSS, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS; with no format the length decides (6, 8, 10,
 * 12 → 101, 102, 201, 203; 14 → 204). Result: ISO 8601 local time without zone —
 * `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (EDIFACT times carry no zone). Null when
 * the value does not fit the format or is not a calendar date (hour 24 is allowed only as 24:00).
 */
export function ediDateTime(value: string, format: string | null): string | null {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return null;
  const f = format === null || format === '' ? FORMAT_BY_LENGTH.get(v.length) : format;
  if (f === undefined || FORMAT_LENGTH.get(f) !== v.length) return null;
  const twoDigitYear = f === '101' || f === '201' || f === '202';
  const year = twoDigitYear ? fullYear(Number(v.slice(0, 2))) : Number(v.slice(0, 4));
  const rest = v.slice(twoDigitYear ? 2 : 4);
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  const date = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  if (rest.length === 4) return date;
  const hour = Number(rest.slice(4, 6));
  const minute = Number(rest.slice(6, 8));
  const second = rest.length === 10 ? Number(rest.slice(8, 10)) : 0;
  if (minute > 59 || second > 59 || hour > 24 || (hour === 24 && (minute !== 0 || second !== 0))) return null;
  const time = `${pad2(hour)}:${pad2(minute)}`;
  return rest.length === 10 ? `${date}T${time}:${pad2(second)}` : `${date}T${time}`;
}

/**
 * An ISO 8601 local date-time `YYYY-MM-DDTHH:MM` (seconds allowed and dropped) as its parts, for
 * writers; null when malformed or not a calendar date.
 */
export function isoParts(iso: string): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(iso);
  if (m === null) return null;
  const [year, month, day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute };
}

/** `YYYY-MM-DDTHH:MM` → format 203 `CCYYMMDDHHMM`; null when malformed. */
export function toFormat203(iso: string): string | null {
  const p = isoParts(iso);
  if (p === null) return null;
  return `${String(p.year).padStart(4, '0')}${pad2(p.month)}${pad2(p.day)}${pad2(p.hour)}${pad2(p.minute)}`;
}

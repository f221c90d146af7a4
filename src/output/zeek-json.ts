import type { LogRecord, LogValue } from '../events/record.js';
import type { StreamSchema, ZeekType } from '../events/schema.js';
import type { JsonBytes } from './json-bytes.js';

/**
 * Zeek's JSON log line format (LogAscii::use_json=T, JSON::TS_EPOCH; Zeek's
 * src/threading/formatters/JSON.cc over rapidjson's Writer):
 * - one object per record, keys = Zeek field names (dotted: `id.orig_h`), in schema order;
 * - unset fields are omitted; empty vectors and sets are written as `[]`;
 * - time, interval and double: rapidjson `Writer::Double`, i.e. the shortest decimal that reads
 *   back as the same double, with `.0` on integral values (`100.0`), exponent form below 1e-6 and
 *   from 1e21 (`1e-7`, `1e21`), NaN and ±Infinity as `null`. A pcap timestamp (microseconds)
 *   comes out with at most 6 decimals (`1258531221.486539`): Zeek's JSON does not pad to 6 (its
 *   TSV writer does);
 * - count, int, port: integers; bool: `true` / `false`; string, addr, enum: JSON strings;
 * - vectors and sets: arrays, in the order the record holds them (producers sort sets).
 */

/** Formats a double as Zeek's JSON writer does (see above). */
export function zeekJsonDouble(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return Object.is(x, -0) ? '-0.0' : `${x}.0`;
  const s = String(x);
  const e = s.indexOf('e+');
  return e < 0 ? s : s.slice(0, e + 1) + s.slice(e + 2);
}

type NumberWriter = (x: number, out: JsonBytes) => void;

/** Below 2^33 a double's spacing is under 10^-6, so a value that is some k / 10^6 prints as that decimal. */
const MICROS_EXACT_BELOW = 2 ** 33;

/**
 * A time, interval or double field, as zeekJsonDouble formats it. A positive value under 2^33 that
 * is exactly the double nearest some k / 10^6 (pcap timestamps and durations at microsecond
 * resolution) is written from k: its shortest round-trip form is that decimal, since the spacing of
 * doubles there is less than 10^-6 and no shorter decimal lies within half a spacing of it.
 */
function writeDouble(x: number, out: JsonBytes): void {
  if (x > 0 && x < MICROS_EXACT_BELOW && !Number.isInteger(x)) {
    const k = Math.round(x * 1e6);
    if (k / 1e6 === x) {
      out.micros(k);
      return;
    }
  }
  out.ascii(zeekJsonDouble(x));
}

/** A count, int or port field; a value that is not a safe integer falls back to the double form. */
function writeInteger(x: number, out: JsonBytes): void {
  if (Number.isSafeInteger(x)) out.integer(x);
  else out.ascii(zeekJsonDouble(x));
}

function numberWriter(type: ZeekType): NumberWriter {
  return type === 'time' || type === 'interval' || type === 'double' ? writeDouble : writeInteger;
}

function writeValue(v: LogValue, num: NumberWriter, out: JsonBytes): void {
  switch (typeof v) {
    case 'number':
      num(v, out);
      return;
    case 'string':
      out.jsonString(v);
      return;
    case 'boolean':
      out.ascii(v ? 'true' : 'false');
      return;
    default: {
      const arr = v as readonly (string | number | boolean)[];
      out.byte(0x5b);
      for (let i = 0; i < arr.length; i++) {
        if (i !== 0) out.byte(0x2c);
        writeValue(arr[i], num, out);
      }
      out.byte(0x5d);
    }
  }
}

/** Encodes one record of a stream as a Zeek JSON line into a byte buffer. */
export type ZeekJsonEncoder = (record: LogRecord, out: JsonBytes) => void;

/**
 * Builds the line encoder of one stream: appends `{"ts":…,…}\n` (UTF-8) for a record to `out`, fields
 * in schema order. Fields absent from the schema are not written. One encoder per stream, reused
 * per record; keys are encoded once, here.
 */
export function zeekJsonEncoder(schema: StreamSchema): ZeekJsonEncoder {
  const n = schema.fields.length;
  const names = schema.fields.map((f) => f.name);
  const utf8 = new TextEncoder();
  const firstKeys = names.map((name) => utf8.encode(`${JSON.stringify(name)}:`));
  const nextKeys = names.map((name) => utf8.encode(`,${JSON.stringify(name)}:`));
  const writers = schema.fields.map((f) => numberWriter(f.type));
  return (record: LogRecord, out: JsonBytes): void => {
    out.byte(0x7b);
    let first = true;
    for (let i = 0; i < n; i++) {
      const v = record[names[i]];
      if (v === undefined || v === null) continue;
      out.bytes(first ? firstKeys[i] : nextKeys[i]);
      writeValue(v, writers[i], out);
      first = false;
    }
    out.byte(0x7d);
    out.byte(0x0a);
  };
}

import type { LogRecord, LogValue } from '../events/record.js';
import type { StreamSchema, ZeekType } from '../events/schema.js';

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

/** Formats an integer field (count, int, port); a non-integer falls back to the double form. */
function zeekJsonInteger(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : zeekJsonDouble(x);
}

type NumberFormat = (x: number) => string;

function numberFormat(type: ZeekType): NumberFormat {
  return type === 'time' || type === 'interval' || type === 'double' ? zeekJsonDouble : zeekJsonInteger;
}

function valueText(v: LogValue, num: NumberFormat): string {
  switch (typeof v) {
    case 'number':
      return num(v);
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default: {
      const arr = v as readonly (string | number | boolean)[];
      let out = '[';
      for (let i = 0; i < arr.length; i++) out += (i === 0 ? '' : ',') + valueText(arr[i], num);
      return out + ']';
    }
  }
}

/**
 * Builds the line encoder of one stream: `record → '{"ts":…,…}\n'` with fields in schema order.
 * Fields absent from the schema are not written. Pure; one encoder per stream, reused per record.
 */
export function zeekJsonEncoder(schema: StreamSchema): (record: LogRecord) => string {
  const n = schema.fields.length;
  const names = schema.fields.map((f) => f.name);
  const firstKeys = names.map((name) => `${JSON.stringify(name)}:`);
  const nextKeys = firstKeys.map((k) => `,${k}`);
  const formats = schema.fields.map((f) => numberFormat(f.type));
  return (record: LogRecord): string => {
    let out = '{';
    let first = true;
    for (let i = 0; i < n; i++) {
      const v = record[names[i]];
      if (v === undefined || v === null) continue;
      out += (first ? firstKeys[i] : nextKeys[i]) + valueText(v, formats[i]);
      first = false;
    }
    return out + '}\n';
  };
}

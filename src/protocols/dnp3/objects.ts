/**
 * DNP3 application layer object headers and data (IEEE 1815-2012 §4.2.2.7, Tables 4-7 qualifiers and
 * 4-8 ranges; object sizes from Annex A). Pure: walks a fragment's object part and reports each object
 * header and each control block (CROB g12v1, PCB g12v2, A.8.1 / A.8.2) to a visitor; no throws.
 */

/** What the walker reports. Implemented once per flow (no per-fragment closures). */
export interface ObjectVisitor {
  /**
   * One object header. `count` is the number of objects (null for qualifier 0x06 "all"); `rangeLow` /
   * `rangeHigh` are the start and stop index or virtual address of a range qualifier (0x00..0x05), else null.
   */
  objectHeader(group: number, variation: number, qualifier: number, count: number | null, rangeLow: number | null, rangeHigh: number | null): void;
  /**
   * One Control Relay Output Block (g12v1) or Pattern Control Block (g12v2), 11 octets (A.8.1):
   * control code, count, on-time and off-time (ms, 32 bits LE), status. `index` is the point index
   * (the prefix, or start + position in a range).
   */
  controlBlock(pcb: boolean, index: number, controlCode: number, count: number, onTime: number, offTime: number, status: number): void;
}

/** Why a walk stopped early (weird names; `null` when the whole object part was read). */
export type ObjectAnomaly =
  /** The bytes end inside an object header, its range, a prefix or an object. */
  | 'dnp3.truncated_object'
  /** A qualifier code (Table 4-7 / 4-8) this analyzer does not know: 0x?A, 0x?C..0x?F or prefix code 7. */
  | 'dnp3.invalid_qualifier'
  /** A range whose stop index is below its start. */
  | 'dnp3.invalid_range'
  /** An object of unknown size without a size prefix: the rest of the fragment cannot be walked. */
  | 'dnp3.unknown_object';

/** Object size codes below zero (sizes ≥ 0 are octets per object). */
const PACKED1 = -1;
const PACKED2 = -2;
/** g0 device attribute: data type (1), length (1), value (length) (A.1). */
const ATTRIBUTE = -3;
/** g110..g113 octet strings: the variation is the length (A.39..A.42). */
const VARIATION_LENGTH = -4;
const UNKNOWN = -5;

/** Octets per object of the fixed-size variations, indexed by group, then variation (Annex A). */
const FIXED: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
  [1, [0, PACKED1, 1]],
  [2, [0, 1, 7, 3]],
  [3, [0, PACKED2, 1]],
  [4, [0, 1, 7, 3]],
  [10, [0, PACKED1, 1]],
  [11, [0, 1, 7]],
  [12, [0, 11, 11, PACKED1]],
  [13, [0, 1, 7]],
  [20, [0, 5, 3, 5, 3, 4, 2, 4, 2]],
  [21, [0, 5, 3, 5, 3, 11, 9, 11, 9, 4, 2, 4, 2]],
  [22, [0, 5, 3, 5, 3, 11, 9, 11, 9]],
  [23, [0, 5, 3, 5, 3, 11, 9, 11, 9]],
  [30, [0, 5, 3, 4, 2, 5, 9]],
  [31, [0, 5, 3, 11, 9, 4, 2, 5, 9]],
  [32, [0, 5, 3, 11, 9, 5, 9, 11, 15]],
  [33, [0, 5, 3, 11, 9, 5, 9, 11, 15]],
  [34, [0, 2, 4, 4]],
  [40, [0, 5, 3, 5, 9]],
  [41, [0, 5, 3, 5, 9]],
  [42, [0, 5, 3, 11, 9, 5, 9, 11, 15]],
  [43, [0, 5, 3, 11, 9, 5, 9, 11, 15]],
  [50, [0, 6, 10, 6, 11]],
  [51, [0, 6, 6]],
  [52, [0, 2, 2]],
  [60, [0, 0, 0, 0, 0]],
  [80, [0, PACKED1]],
  [81, [0, 3]],
  [101, [0, 2, 4, 8]],
  [102, [0, 1]],
  [121, [0, 7]],
  [122, [0, 7, 13]],
]);

/** Size code of one object of `group`/`variation` (octets, or PACKED1 / PACKED2 / ATTRIBUTE / VARIATION_LENGTH / UNKNOWN). */
function objectSize(group: number, variation: number): number {
  if (group === 0) return variation === 0 ? UNKNOWN : ATTRIBUTE;
  if (group >= 110 && group <= 113) return variation === 0 ? UNKNOWN : VARIATION_LENGTH;
  const row = FIXED.get(group);
  if (row === undefined || variation >= row.length) return UNKNOWN;
  const size = row[variation];
  return variation === 0 && group !== 60 ? UNKNOWN : size;
}

/** Octets of the prefix of each object for prefix code (qualifier bits 6..4) 0..6 (Table 4-7). */
const PREFIX_BYTES: readonly number[] = [0, 1, 2, 4, 1, 2, 4];
/** Octets of the range field for range specifier code (qualifier bits 3..0) 0..0xF; -1 invalid (Table 4-8). */
const RANGE_BYTES: readonly number[] = [2, 4, 8, 2, 4, 8, 0, 1, 2, 4, -1, 1, -1, -1, -1, -1];

/** Little-endian unsigned read of `n` (1, 2 or 4) octets. */
function readLe(b: Uint8Array, p: number, n: number): number {
  if (n === 1) return b[p];
  if (n === 2) return b[p] | (b[p + 1] << 8);
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
}

/**
 * Walk the object headers of an application fragment's object part `b[start, end)` (§4.2.2.7) and
 * report them to `v`. `withData` is false for requests that carry object headers only (READ, the
 * freeze, class assignment and unsolicited-control requests: §4.4), true for every other message.
 * @returns null when the whole object part was read, else why the walk stopped (everything before was reported)
 */
export function walkObjects(b: Uint8Array, start: number, end: number, withData: boolean, v: ObjectVisitor): ObjectAnomaly | null {
  let p = start;
  while (p < end) {
    if (end - p < 3) return 'dnp3.truncated_object';
    const group = b[p];
    const variation = b[p + 1];
    const qualifier = b[p + 2];
    p += 3;
    const prefixCode = (qualifier >>> 4) & 0x07;
    const rangeCode = qualifier & 0x0f;
    const rangeBytes = RANGE_BYTES[rangeCode];
    if (rangeBytes < 0 || prefixCode === 7) return 'dnp3.invalid_qualifier';
    if (end - p < rangeBytes) return 'dnp3.truncated_object';
    let count: number | null;
    let low: number | null = null;
    let high: number | null = null;
    if (rangeCode <= 5) {
      const n = rangeBytes >>> 1;
      low = readLe(b, p, n);
      high = readLe(b, p + n, n);
      if (high < low) return 'dnp3.invalid_range';
      count = high - low + 1;
    } else if (rangeCode === 6) {
      count = null;
    } else {
      count = readLe(b, p, rangeBytes);
    }
    p += rangeBytes;
    v.objectHeader(group, variation, qualifier, count, low, high);
    const n = count ?? 0;
    const prefixBytes = PREFIX_BYTES[prefixCode];
    if (!withData) {
      // Headers only; an index prefix per object may still follow (e.g. READ with qualifier 0x17).
      const skip = prefixCode >= 1 && prefixCode <= 3 ? n * prefixBytes : 0;
      if (end - p < skip) return 'dnp3.truncated_object';
      p += skip;
      continue;
    }
    const sizePrefix = prefixCode >= 4;
    const size = sizePrefix ? 0 : objectSize(group, variation);
    if (!sizePrefix && (size === PACKED1 || size === PACKED2)) {
      // Packed bits (A.2.1 …): no prefixes; ⌈n × bits / 8⌉ octets for the whole range.
      const total = Math.ceil((n * (size === PACKED1 ? 1 : 2)) / 8);
      if (end - p < total) return 'dnp3.truncated_object';
      p += total;
      continue;
    }
    if (!sizePrefix && size === UNKNOWN) return 'dnp3.unknown_object';
    // Objects without octets (class data g60) and without prefixes: nothing to read, whatever the count.
    if (!sizePrefix && size === 0 && prefixBytes === 0) continue;
    const control = group === 12 && (variation === 1 || variation === 2);
    for (let i = 0; i < n; i++) {
      if (end - p < prefixBytes) return 'dnp3.truncated_object';
      const prefix = prefixBytes > 0 ? readLe(b, p, prefixBytes) : 0;
      p += prefixBytes;
      let octets: number;
      if (sizePrefix) octets = prefix;
      else if (size === ATTRIBUTE) {
        if (end - p < 2) return 'dnp3.truncated_object';
        octets = 2 + b[p + 1];
      } else if (size === VARIATION_LENGTH) octets = variation;
      else octets = size;
      if (end - p < octets) return 'dnp3.truncated_object';
      if (control && octets === 11) {
        const index = prefixCode >= 1 && prefixCode <= 3 ? prefix : (low ?? 0) + i;
        v.controlBlock(variation === 2, index, b[p], b[p + 1], readLe(b, p + 2, 4), readLe(b, p + 6, 4), b[p + 10]);
      }
      p += octets;
    }
  }
  return null;
}

/**
 * True for request function codes whose objects are headers only (IEEE 1815-2012 §4.4): READ (1),
 * IMMED_FREEZE(_NR) (7, 8), FREEZE_CLEAR(_NR) (9, 10), ENABLE/DISABLE_UNSOLICITED (0x14, 0x15),
 * ASSIGN_CLASS (0x16).
 */
export function headersOnly(fc: number): boolean {
  return fc === 0x01 || (fc >= 0x07 && fc <= 0x0a) || (fc >= 0x14 && fc <= 0x16);
}

/**
 * Finds ISO 6346 container numbers in arbitrary payload bytes (a flow's data, a decoded field, a
 * file): every standalone `[A-Z]{3}[UJZ][0-9]{7}` whose eleventh digit is the ISO 6346:2022 Annex A
 * check digit of the first ten characters. "Standalone" means the 11 characters are a whole
 * alphanumeric run: the byte before and the byte after (if any) are not ASCII letters or digits, so
 * longer alphanumeric runs (hashes, base64, serials) never match — the semantics of the regular
 * expression `(?<![A-Za-z0-9])[A-Z]{3}[UJZ]\d{7}(?![A-Za-z0-9])` over the payload read as latin1.
 *
 * The scan reads the bytes directly (no string is made of the payload) and samples every 7th byte for
 * a digit: any run of 7 digits contains a sampled byte, so a number cannot be skipped, and payloads
 * without digits are passed over 7 bytes at a time. Nothing is allocated unless a number is found.
 */
import { checkDigitBytes } from './iso6346.js';

/** Default bound on the numbers reported per payload (`scanContainerNumbers` `maxMatches`). */
export const DEFAULT_MAX_CONTAINER_MATCHES = 64;

/** One container number found in a payload. */
export interface ContainerHit {
  /** The 11 characters, e.g. `MSKU1234565` (always upper case, check digit valid). */
  readonly number: string;
  /** Byte offset of the first character within the scanned view (relative to the view, not its buffer). */
  readonly offset: number;
}

/** What `scanContainerNumbers` found. */
export interface ContainerScanResult {
  /** The numbers in payload order, at most `maxMatches`. */
  readonly hits: readonly ContainerHit[];
  /** True when the scan stopped at `maxMatches` (more numbers may follow). */
  readonly truncated: boolean;
}

/** Shared result for the common case of a payload without container numbers (no allocation). */
const NONE: ContainerScanResult = Object.freeze({ hits: Object.freeze([]) as readonly ContainerHit[], truncated: false });

/** Byte classes: 0 = not alphanumeric, 1 = A–Z, 2 = 0–9, 3 = a–z. */
const CLASS = ((): Uint8Array => {
  const t = new Uint8Array(256);
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x30; c <= 0x39; c++) t[c] = 2;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 3;
  return t;
})();

const UPPER = 1;
const DIGIT = 2;

/** Characters `[s, s+11)` as a latin1 string (only called for a confirmed number). */
function text11(b: Uint8Array, s: number): string {
  let out = '';
  for (let i = 0; i < 11; i++) out += String.fromCharCode(b[s + i]);
  return out;
}

/**
 * The 4 letters before the 7-digit run starting at `ds` are `[A-Z]{3}[UJZ]`, the run is delimited on
 * both sides by non-alphanumerics (or the view's ends), and the check digit holds.
 */
function isNumberAt(b: Uint8Array, ds: number, de: number): boolean {
  const s = ds - 4;
  if (s > 0 && CLASS[b[s - 1]] !== 0) return false;
  if (de + 1 < b.length && CLASS[b[de + 1]] !== 0) return false;
  if (CLASS[b[s]] !== UPPER || CLASS[b[s + 1]] !== UPPER || CLASS[b[s + 2]] !== UPPER) return false;
  const cat = b[s + 3];
  if (cat !== 0x55 && cat !== 0x4a && cat !== 0x5a) return false;
  return checkDigitBytes(b, s) === b[s + 10] - 0x30;
}

/**
 * Every check-digit-valid ISO 6346 number standing alone in `payload`, in order, at most `maxMatches`.
 * Works on any view (non-zero byteOffset); offsets are relative to the view. Never throws.
 * Cost: about one byte read in seven on digit-free data; bounded by `payload.length`.
 * @param payload bytes to scan (read as latin1: one byte, one character)
 * @param maxMatches stop after this many numbers (`truncated` is then true); ≤ 0 reports nothing
 */
export function scanContainerNumbers(payload: Uint8Array, maxMatches: number = DEFAULT_MAX_CONTAINER_MATCHES): ContainerScanResult {
  const len = payload.length;
  if (maxMatches <= 0 || len < 11) return NONE;
  let hits: ContainerHit[] | null = null;
  // A number's 7 digits are at [s+4, s+10] with s ≥ 0, so the first sample is index 10.
  let p = 10;
  while (p < len) {
    if (CLASS[payload[p]] !== DIGIT) {
      p += 7;
      continue;
    }
    let ds = p;
    while (ds > 0 && CLASS[payload[ds - 1]] === DIGIT) ds--;
    let de = p;
    while (de + 1 < len && CLASS[payload[de + 1]] === DIGIT) de++;
    if (de - ds === 6 && ds >= 4 && isNumberAt(payload, ds, de)) {
      if (hits === null) hits = [];
      hits.push({ number: text11(payload, ds - 4), offset: ds - 4 });
      if (hits.length >= maxMatches) return { hits, truncated: de + 1 < len };
    }
    // The byte after the run is not a digit, so the next 7-digit run starts at de + 2 or later and
    // contains de + 7.
    p = de + 7;
  }
  return hits === null ? NONE : { hits, truncated: false };
}

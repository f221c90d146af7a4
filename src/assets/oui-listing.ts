import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CwError } from '../errors.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
/** Keys are 6 (MA-L), 7 (MA-M) or 9 (MA-S) hex digits; `keyNumber` adds the length above 16^9. */
const KEY_LENGTH_UNIT = 16 ** 9;
/** Fewer entries than this and the file is not the registry laid out as expected. */
const MIN_ENTRIES = 1000;

/** The hex digit of character code `c` (upper case, as the registry writes keys), or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** `key` (6, 7 or 9 upper-case hex digits) as one number: the digits' value plus length × 16^9; -1 for other text. */
function keyNumber(key: string): number {
  if (key.length !== 6 && key.length !== 7 && key.length !== 9) return -1;
  let v = 0;
  for (let i = 0; i < key.length; i++) {
    const d = hexDigit(key.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v + key.length * KEY_LENGTH_UNIT;
}

/**
 * The oui-data package's listing (BSD-2-Clause; the IEEE MA-L, MA-M and MA-S public listings, a
 * JSON object of ~54,000 entries `"KEY": "Organization\nAddress lines…"`), read once without
 * parsing it whole: the file is kept as bytes and indexed by key (one scan of the lines, ≈ 10 ms,
 * against ≈ 60 ms and some 15 MB of heap for JSON.parse); an entry's text is decoded when asked for.
 * A run meets a few hundred prefixes. Should a release of the package lay the file out otherwise
 * (not one `"KEY": "…"` entry per line), the listing is parsed whole instead.
 */
export class OuiListing {
  private constructor(
    private readonly bytes: Buffer,
    /** Key number (keyNumber) → offset of the value's opening quote in `bytes`. */
    private readonly index: Map<number, number> | null,
    /** The whole listing, when the file could not be indexed line by line. */
    private readonly parsed: Readonly<Record<string, string>> | null,
  ) {}

  /**
   * Reads the listing: the oui-data package's, or the JSON file at `path`.
   * Errors: `CwError('CW_ERR_READ')` when the file cannot be found, read or parsed.
   */
  static load(path?: string): OuiListing {
    try {
      const bytes = readFileSync(path ?? createRequire(import.meta.url).resolve('oui-data'));
      const index = indexLines(bytes);
      if (index !== null) return new OuiListing(bytes, index, null);
      return new OuiListing(bytes, null, JSON.parse(bytes.toString('utf8')) as Record<string, string>);
    } catch (err) {
      throw new CwError('CW_ERR_READ', `cannot read the IEEE OUI registry (package oui-data): ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The entry text registered under `key` (hex digits, upper case), or undefined. */
  get(key: string): string | undefined {
    if (this.parsed !== null) return Object.hasOwn(this.parsed, key) ? this.parsed[key] : undefined;
    const at = this.index!.get(keyNumber(key));
    if (at === undefined) return undefined;
    const b = this.bytes;
    let i = at + 1;
    while (i < b.length && b[i] !== QUOTE) i += b[i] === BACKSLASH ? 2 : 1;
    return JSON.parse(b.toString('utf8', at, i + 1)) as string;
  }
}

/**
 * Offsets of the values of a listing laid out one entry per line (`\n "KEY": "value"`), by key
 * number; null when a line that starts an entry does not have that form or too few entries are found.
 */
function indexLines(b: Buffer): Map<number, number> | null {
  const index = new Map<number, number>();
  let nl = b.indexOf(NEWLINE);
  while (nl >= 0 && nl + 2 < b.length) {
    if (b[nl + 1] === SPACE && b[nl + 2] === QUOTE) {
      let i = nl + 3;
      let v = 0;
      let d: number;
      while ((d = hexDigit(b[i])) >= 0) {
        v = v * 16 + d;
        i++;
      }
      const len = i - nl - 3;
      if ((len !== 6 && len !== 7 && len !== 9) || b[i] !== QUOTE || b[i + 1] !== COLON || b[i + 2] !== SPACE || b[i + 3] !== QUOTE) return null;
      index.set(v + len * KEY_LENGTH_UNIT, i + 3);
      nl = b.indexOf(NEWLINE, i + 4);
    } else {
      nl = b.indexOf(NEWLINE, nl + 1);
    }
  }
  return index.size >= MIN_ENTRIES ? index : null;
}
